// File: translate/redis/errors.h
// Redis 7 error texts (byte-exact, specs/resp-subset.md) and the single mapping from engine
// Errc values to Redis error replies.
//
//   w.Error(kSyntaxError);
//   if (!r.ok()) return ReplyEngineError(w, r.errc());
//   ReplyInvalidExpire(w, "set");   // ERR invalid expire time in 'set' command
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "engine/result.h"
#include "protocols/resp/reply_writer.h"

namespace kvgate::redis {

inline constexpr std::string_view kSyntaxError = "ERR syntax error";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotPositive = "ERR value is out of range, must be positive";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kDecrOverflow = "ERR decrement would overflow";
inline constexpr std::string_view kNanOrInf = "ERR increment would produce NaN or Infinity";
inline constexpr std::string_view kOffsetOutOfRange = "ERR offset is out of range";
inline constexpr std::string_view kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kDbOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kSameObject = "ERR source and destination objects are the same";
inline constexpr std::string_view kInvalidCursor = "ERR invalid cursor";
inline constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";
inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
// HyperLogLog commands on a string that is not an HLL, and on corrupt sparse opcodes.
inline constexpr std::string_view kNotHll =
    "WRONGTYPE Key is not a valid HyperLogLog string value.";
inline constexpr std::string_view kCorruptHll = "INVALIDOBJ Corrupted HLL object detected";
inline constexpr std::string_view kOom = "OOM command not allowed when used memory > 'maxmemory'.";

// ERR wrong number of arguments for '<fullname>' command
void ReplyArity(resp::ReplyWriter& w, std::string_view fullname);
// Redis addReplySubcommandSyntaxError: ERR unknown subcommand or wrong number of arguments for
// '<subcommand as typed, cut to 128>'. Try <CONTAINER> HELP.
void ReplySubcommandSyntax(resp::ReplyWriter& w, std::string_view subcommand,
                           std::string_view container);
// ERR invalid expire time in '<command>' command
void ReplyInvalidExpire(resp::ReplyWriter& w, std::string_view command);
// ERR unknown command '<name>', with args beginning with: '<a>' ... (Redis processCommand: the
// name cut to 128 bytes, arguments appended while the text is shorter than 128 bytes).
std::string UnknownCommandError(std::span<const std::string_view> args);
// The one Errc -> reply mapping for engine failures seen by Redis commands.
void ReplyEngineError(resp::ReplyWriter& w, engine::Errc errc);

// The argument as a C string would see it: cut at the first NUL. Redis compares option keywords
// with strcasecmp() on NUL-terminated buffers, so "nx\0junk" is NX there, and here.
std::string_view CString(std::string_view arg);

// networking.c clientAcceptHandler's refusal of a non-loopback client in protected mode.
inline constexpr std::string_view kProtectedModeDenied =
    "-DENIED Redis is running in protected mode because protected mode is enabled and no "
    "password is set for the default user. In this mode connections are only accepted from the "
    "loopback interface. If you want to connect from external computers to Redis you may adopt "
    "one of the following solutions: 1) Just disable protected mode sending the command "
    "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the "
    "same host the server is running, however MAKE SURE Redis is not publicly accessible from "
    "internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively "
    "you can just disable the protected mode by editing the Redis configuration file, and "
    "setting the protected mode option to 'no', and then restarting the server. 3) If you "
    "started the server manually just for testing, restart it with the '--protected-mode no' "
    "option. 4) Setup a an authentication password for the default user. NOTE: You only need "
    "to do one of the above things in order for the server to start accepting connections from "
    "the outside.\r\n";

}  // namespace kvgate::redis

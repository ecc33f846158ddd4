// File: translate/redis/stream_read_args.h
// The arguments XREAD and XREADGROUP share, read as Redis 7.0's xreadCommand reads them:
// [GROUP g c] [COUNT n] [BLOCK ms] [NOACK] STREAMS key ... id ..., options in any order before
// STREAMS, GROUP and NOACK refused by XREAD, BLOCK refused inside scripts; and the top of their
// replies (an array of [key, entries] in RESP2, a map in RESP3).
//
//   XReadArgs a;
//   if (!ParseXReadArgs(ctx, /*group=*/true, &a)) return;   // replied with Redis's error
//   std::string_view key = ctx.arg(a.keys), id = ctx.arg(a.keys + a.n);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocols/resp/reply_writer.h"
#include "translate/redis/command.h"

namespace kvgate::redis {

// Redis serves a blocked read without COUNT at most this many entries per stream.
inline constexpr size_t kBlockedDefaultCount = 1000;

struct XReadArgs {
  bool block = false;
  int64_t deadline_ms = 0;  // 0: forever
  int64_t count = 0;        // 0: no limit
  size_t keys = 0;          // keys are args [keys, keys + n), their IDs the n after
  size_t n = 0;
  // XREADGROUP only:
  size_t group = 0;  // the group's argument (the consumer's follows it); 0: no GROUP
  bool noack = false;
};

// BLOCK ms as getTimeoutFromObjectOrReply reads milliseconds: the deadline, 0 for none.
bool ParseBlockMs(CommandContext& ctx, std::string_view arg, int64_t* deadline_ms);
// False after replying the error Redis gives. `xreadgroup` accepts GROUP and NOACK and
// requires GROUP.
bool ParseXReadArgs(CommandContext& ctx, bool xreadgroup, XReadArgs* out);
// The reply's top: n streams.
void ReplyTopHeader(resp::ReplyWriter& w, size_t n);

}  // namespace kvgate::redis

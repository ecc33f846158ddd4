// File: translate/redis/script_convert.h
// Conversions between RESP and Lua values, as redis-server 7.0 makes them for scripts.
//
// A command's reply (RESP2 or RESP3, as the script asked with redis.setresp) to Lua:
//   integer -> number; bulk -> string; null bulk / null array -> false; array -> table;
//   status -> {ok=s}; error -> {err=s}; RESP3: null -> nil, boolean -> boolean,
//   map -> {map={k=v}}, set -> {set={m=true}}, double -> {double=n}, big number ->
//   {big_number=s}, verbatim -> {verbatim_string={format=f, string=s}}; attributes dropped.
// The script's result to the caller's reply:
//   string -> bulk; number -> integer (truncated); boolean -> :1 / null with RESP2 scripts,
//   a boolean with RESP3 ones; table: {err=} error, {ok=} status, {double=}, {big_number=},
//   {verbatim_string=}, {map=}, {set=}, else an array up to the first nil; other -> null.
//
//   PushRespReply(L, "*2\r\n:1\r\n$-1\r\n");   // pushes {1, false}
//   WriteLuaValue(L, w, 2);                     // pops the top value, writes it to w
#pragma once

#include <string_view>

#include "protocols/resp/reply_writer.h"

struct lua_State;

namespace kvgate::redis {

// Pushes the Lua value of one RESP reply; false (nothing pushed) if it is malformed or the Lua
// stack cannot grow.
bool PushRespReply(lua_State* L, std::string_view reply);
// Pops the value on top of the stack and writes it as a reply; script_resp is the protocol the
// script chose (booleans depend on it).
void WriteLuaValue(lua_State* L, resp::ReplyWriter& w, int script_resp);
// Pushes Redis's error table {err=...} for `text`: "-CODE message" keeps its code, other text
// gets "ERR "; CR/LF at the ends are trimmed.
void PushErrorTable(lua_State* L, std::string_view text);
// The %.17g form Redis gives a Lua number passed to redis.call.
std::string_view FormatLuaNumber(double v, char (&buf)[64]);

}  // namespace kvgate::redis

// File: translate/redis/script_msgpack.h
// The cmsgpack library of Redis's Lua environment (lua-cmsgpack 0.4.0's behaviour), written for
// kvgate: cmsgpack.pack(v...) concatenates the MessagePack encodings of its arguments (an integral
// number in int64 range as the smallest int/uint form, another number as float 32 when that is
// exact, else float 64; strings as fixstr/str8/str16/str32; a table whose keys are exactly 1..n as
// an array, any other as a map in lua_next order; tables nested 16 deep and functions, userdata
// and nil as nil); cmsgpack.unpack(s) answers every value in s, unpack_one(s [, offset]) and
// unpack_limit(s, limit [, offset]) answer the next offset (-1 at the end) and then the values;
// errors "Missing bytes in input." and "Bad data format in input." (bin and ext are not decoded,
// as in Redis). Job queues use it: Bull's scripts unpack their options with it.
//
//   Open(L, OpenCmsgpack, "cmsgpack");   // script_lib.cc
#pragma once

struct lua_State;

namespace kvgate::redis {

// lua_CFunction: pushes the cmsgpack table (pack, unpack, unpack_one, unpack_limit, _NAME,
// _VERSION, _COPYRIGHT, _DESCRIPTION).
int OpenCmsgpack(lua_State* L);

}  // namespace kvgate::redis

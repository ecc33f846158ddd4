// File: translate/redis/script_struct.h
// The struct library of Redis's Lua environment (Roberto Ierusalimschy's struct 0.2 as Redis 7.0
// ships it), written for kvgate since Debian does not package it: struct.pack(fmt, ...) and
// struct.unpack(fmt, s [, pos]) convert between Lua values and binary strings, struct.size(fmt)
// gives a fixed format's size. Format: `>` big endian, `<` little endian, `![n]` alignment
// (default 8), `x` a zero byte, `b`/`B` `h`/`H` `l`/`L` signed/unsigned char, short, long, `T`
// size_t, `i[n]`/`I[n]` an integer of n bytes (4 by default, up to 32), `c[n]` n chars (pack: 0
// is the whole string; unpack: 0 takes the previous number as the length), `s` a zero-terminated
// string, `f` float, `d` double, spaces ignored. Errors carry struct.c's texts (luaL_argerror's
// "bad argument #n to 'pack' (...)" included, with its argument numbers).
//
//   Open(L, OpenStruct, "struct");   // script_lib.cc
//   struct.pack('>I2', 258) == '\1\2';  struct.unpack('<h', '\255\255') == -1, 3
#pragma once

struct lua_State;

namespace kvgate::redis {

// lua_CFunction: pushes the struct table (pack, unpack, size).
int OpenStruct(lua_State* L);

}  // namespace kvgate::redis

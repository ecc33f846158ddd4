// File: translate/redis/script_lib.h
// The Redis Lua environment of a fresh lua_State (script_lib.cc): base/table/string/math,
// cjson, bit and cmsgpack (script_msgpack.h); the redis table (call, pcall, error_reply,
// status_reply, sha1hex, log, setresp, set_repl, replicate_commands, breakpoint, debug, the LOG_
// and REPL_ constants, REDIS_VERSION);
// Redis's pcall (error tables surface as their err string), rand48 math.random, loaders that
// refuse bytecode, and the sandbox: globals and library tables are read-only proxies, reading a
// missing global is an error.
//
//   ScriptLibRefs refs = OpenScriptLibraries(L, "7.0.15");
#pragma once

#include <string_view>

struct lua_State;

namespace kvgate::redis {

struct ScriptLibRefs {
  int handler = 0;  // registry ref: the error handler scripts run under (adds source and line)
  int globals = 0;  // registry ref: the real global table (KEYS and ARGV are set there)
  int proxies = 0;  // registry ref: {proxy = table} for every read-only proxy
};

ScriptLibRefs OpenScriptLibraries(lua_State* L, std::string_view version);

// A C function's error: pushes Redis's error table for `text` (script_convert.h) and raises it.
// Call only from a C function's outermost frame (it does not return).
int RaiseError(lua_State* L, const char* text);

}  // namespace kvgate::redis

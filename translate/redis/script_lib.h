// File: translate/redis/script_lib.h
// The Redis Lua environment of a fresh lua_State (script_lib.cc): base/table/string/math,
// cjson, bit and cmsgpack (script_msgpack.h); the redis table (call, pcall, error_reply,
// status_reply, sha1hex, log, setresp, set_repl, replicate_commands, breakpoint, debug, the LOG_
// and REPL_ constants, REDIS_VERSION);
// Redis's pcall (error tables surface as their err string), rand48 math.random, loaders that
// refuse bytecode, and the sandbox: globals and library tables are read-only proxies, reading a
// missing global is an error.
//
// EVAL's state (eval) also has redis.breakpoint/debug/replicate_commands and the global
// __redis__err__handler, as in redis-server; the FUNCTION state has neither.
//
//   ScriptLibRefs refs = OpenScriptLibraries(L, "7.0.15", /*eval=*/true);
#pragma once

#include <string_view>

struct lua_State;

namespace kvgate::redis {

struct ScriptLibRefs {
  int handler = 0;  // registry ref: the error handler scripts run under (adds source and line)
  int globals = 0;  // registry ref: the real global table (KEYS and ARGV are set there)
  int proxies = 0;  // registry ref: {proxy = table} for every read-only proxy
};

ScriptLibRefs OpenScriptLibraries(lua_State* L, std::string_view version, bool eval);

// Exposed for the FUNCTION load-time API (function_lua.cc), which builds the same kind of
// read-only tables: replaces the table on top by a read-only proxy registered in the proxies
// table at stack index `proxies`.
void MakeReadonlyProxy(lua_State* L, int proxies);
// The __index of a table whose missing fields are an error (the sandboxed globals).
int MissingGlobal(lua_State* L);

// A C function's error: pushes Redis's error table for `text` (script_convert.h) and raises it.
// Call only from a C function's outermost frame (it does not return).
int RaiseError(lua_State* L, const char* text);

}  // namespace kvgate::redis

// File: translate/redis/function_lua.h
// The Lua side of FUNCTION LOAD, as redis-server 7.0's function_lua.c: while a library's body
// runs, its globals are only the load-time API, a read-only `redis` table holding
// register_function, log, the LOG_ constants and REDIS_VERSION[_NUM] (any other name, such as
// redis.call or string, is "Script attempted to access nonexistent global variable"), and
// redis.register_function(name, fn) / redis.register_function{function_name=, callback=,
// flags=, description=} records into the runner's FunctionLoad. The functions keep the
// library's globals table, which sees the full environment again once loading ends.
//
//   OpenFunctionLoadApi(L, proxies_ref);   // once per function Lua state
//   SetLoadGlobals(L, true);  ...run the body...  SetLoadGlobals(L, false);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct lua_State;

namespace kvgate::redis {

// Redis's script flags (script.h scripts_flags_def), in its order.
enum FunctionFlag : uint32_t {
  kFnNoWrites = 1u << 0,
  kFnAllowOom = 1u << 1,
  kFnAllowStale = 1u << 2,
  kFnNoCluster = 1u << 3,
  kFnAllowCrossSlot = 1u << 4,
};
struct FunctionFlagName {
  uint32_t flag;
  std::string_view name;
};
inline constexpr FunctionFlagName kFunctionFlagNames[] = {
    {kFnNoWrites, "no-writes"},
    {kFnAllowOom, "allow-oom"},
    {kFnAllowStale, "allow-stale"},
    {kFnNoCluster, "no-cluster"},
    {kFnAllowCrossSlot, "allow-cross-slot-keys"},
};

struct RegisteredFunction {
  std::string name;
  std::optional<std::string> description;
  uint32_t flags = 0;
  int ref = 0;  // registry reference of the callback
};

// What a library's body registered while it ran.
struct FunctionLoad {
  std::vector<RegisteredFunction> functions;
};

// [a-zA-Z0-9_]+ (functionsVerifyName): library and function names.
bool IsValidFunctionName(std::string_view name);

// Builds the load-time API table (kept in the registry) after OpenScriptLibraries; its tables are
// read-only proxies registered in the proxies table (registry reference proxies_ref).
void OpenFunctionLoadApi(lua_State* L, int proxies_ref);
// Points the globals at the load-time API (load) or back at the full environment.
void SetLoadGlobals(lua_State* L, bool load);

}  // namespace kvgate::redis

#include "translate/redis/function_lua.h"

#include <lua.hpp>

#include <strings.h>

#include <cstring>

#include <utility>

#include "translate/redis/script_lib.h"
#include "translate/redis/script_runner.h"

namespace kvgate::redis {
namespace {

constexpr const char* kLoadApiKey = "kvgate_function_load_api";
constexpr const char* kGlobalsKey = "kvgate_function_globals";

// The callback on top of the stack, if `index` holds a function: pops it into the registry.
int TakeRef(lua_State* L) {
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

void Unref(lua_State* L, int* ref) {
  if (*ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, *ref);
  *ref = LUA_NOREF;
}

std::string ToString(lua_State* L, int index) {
  size_t len = 0;
  const char* s = lua_tolstring(L, index, &len);
  return std::string(s, len);
}

// The flags table on top of the stack (an array of flag names).
bool ReadFlags(lua_State* L, uint32_t* flags) {
  uint32_t out = 0;
  for (int j = 1;; ++j) {
    lua_rawgeti(L, -1, j);  // raw: a metamethod could raise through this frame
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      break;
    }
    if (!lua_isstring(L, -1)) {
      lua_pop(L, 1);
      return false;
    }
    const char* name = lua_tostring(L, -1);
    bool found = false;
    for (const FunctionFlagName& f : kFunctionFlagNames) {
      if (f.name.size() == std::strlen(name) && strcasecmp(f.name.data(), name) == 0) {
        out |= f.flag;
        found = true;
        break;
      }
    }
    lua_pop(L, 1);
    if (!found) return false;
  }
  *flags = out;
  return true;
}

// redis.register_function{...}: the table at index 1.
const char* ReadNamed(lua_State* L, RegisteredFunction* fn) {
  if (!lua_istable(L, 1)) {
    return "calling redis.register_function with a single argument is only applicable to Lua "
           "table (representing named arguments).";
  }
  bool has_name = false;
  const char* err = nullptr;
  lua_pushnil(L);
  while (err == nullptr && lua_next(L, 1) != 0) {
    if (!lua_isstring(L, -2)) {
      err = "named argument key given to redis.register_function is not a string";
      break;
    }
    const char* key = lua_tostring(L, -2);
    if (strcasecmp(key, "function_name") == 0) {
      if (!lua_isstring(L, -1)) {
        err = "function_name argument given to redis.register_function must be a string";
        break;
      }
      fn->name = ToString(L, -1);
      has_name = true;
    } else if (strcasecmp(key, "description") == 0) {
      if (!lua_isstring(L, -1)) {
        err = "description argument given to redis.register_function must be a string";
        break;
      }
      fn->description = ToString(L, -1);
    } else if (strcasecmp(key, "callback") == 0) {
      if (!lua_isfunction(L, -1)) {
        err = "callback argument given to redis.register_function must be a function";
        break;
      }
      Unref(L, &fn->ref);
      fn->ref = TakeRef(L);  // pops the value
      continue;
    } else if (strcasecmp(key, "flags") == 0) {
      if (!lua_istable(L, -1)) {
        err =
            "flags argument to redis.register_function must be a table representing function "
            "flags";
        break;
      }
      if (!ReadFlags(L, &fn->flags)) {
        err = "unknown flag given";
        break;
      }
    } else {
      err = "unknown argument given to redis.register_function";
      break;
    }
    lua_pop(L, 1);
  }
  if (err == nullptr && !has_name)
    err = "redis.register_function must get a function name argument";
  if (err == nullptr && fn->ref == LUA_NOREF) {
    err = "redis.register_function must get a callback argument";
  }
  if (err != nullptr) Unref(L, &fn->ref);
  return err;
}

const char* ReadPositional(lua_State* L, RegisteredFunction* fn) {
  if (!lua_isstring(L, 1)) return "first argument to redis.register_function must be a string";
  if (!lua_isfunction(L, 2)) return "second argument to redis.register_function must be a function";
  fn->name = ToString(L, 1);
  fn->ref = TakeRef(L);  // pops argument 2
  return nullptr;
}

// Does register_function's work; returns the error to raise, after every C++ object is gone.
const char* Register(lua_State* L) {
  FunctionLoad* load = ScriptRunner::From(L).loading();
  if (load == nullptr) return "redis.register_function can only be called on FUNCTION LOAD command";
  const int argc = lua_gettop(L);
  if (argc < 1 || argc > 2) return "wrong number of arguments to redis.register_function";
  RegisteredFunction fn;
  fn.ref = LUA_NOREF;
  if (const char* err = argc == 1 ? ReadNamed(L, &fn) : ReadPositional(L, &fn)) return err;
  const char* err = nullptr;
  if (!IsValidFunctionName(fn.name)) {
    // Redis's text, for function names too.
    err =
        "Library names can only contain letters, numbers, or underscores(_) and must be at "
        "least one character long";
  } else {
    for (const RegisteredFunction& f : load->functions) {
      if (f.name == fn.name) err = "Function already exists in the library";
    }
  }
  if (err != nullptr) {
    Unref(L, &fn.ref);
    return err;
  }
  load->functions.push_back(std::move(fn));
  return nullptr;
}

int RegisterFunction(lua_State* L) {
  const char* err = Register(L);
  return err == nullptr ? 0 : RaiseError(L, err);
}

// Missing fields of the table on top are an error, as Redis's luaSetErrorMetatable.
void SetErrorMetatable(lua_State* L) {
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, MissingGlobal);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
}

}  // namespace

bool IsValidFunctionName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

void OpenFunctionLoadApi(lua_State* L, int proxies_ref) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, proxies_ref);
  const int proxies = lua_gettop(L);
  // The full environment the globals proxy stands for, to point back at after loading.
  lua_getmetatable(L, LUA_GLOBALSINDEX);
  lua_getfield(L, -1, "__index");
  lua_setfield(L, LUA_REGISTRYINDEX, kGlobalsKey);
  lua_pop(L, 1);
  lua_newtable(L);  // the API
  lua_newtable(L);  // its redis table
  lua_pushcfunction(L, RegisterFunction);
  lua_setfield(L, -2, "register_function");
  lua_getglobal(L, "redis");
  for (const char* name : {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING",
                           "REDIS_VERSION_NUM", "REDIS_VERSION"}) {
    lua_getfield(L, -1, name);
    lua_setfield(L, -3, name);
  }
  lua_pop(L, 1);
  SetErrorMetatable(L);
  MakeReadonlyProxy(L, proxies);
  lua_setfield(L, -2, "redis");
  SetErrorMetatable(L);
  MakeReadonlyProxy(L, proxies);
  lua_setfield(L, LUA_REGISTRYINDEX, kLoadApiKey);
  lua_settop(L, proxies - 1);
}

void SetLoadGlobals(lua_State* L, bool load) {
  lua_getmetatable(L, LUA_GLOBALSINDEX);
  lua_pushstring(L, "__index");
  lua_getfield(L, LUA_REGISTRYINDEX, load ? kLoadApiKey : kGlobalsKey);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

}  // namespace kvgate::redis

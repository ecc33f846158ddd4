#include "translate/redis/script_lib.h"

#include <lua.hpp>

extern "C" {
#include <lua-bitop.h>
#include <lua-cjson.h>
}

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "translate/redis/script_convert.h"
#include "translate/redis/script_msgpack.h"
#include "translate/redis/script_runner.h"
#include "translate/redis/script_struct.h"
#include "translate/redis/sha1.h"

namespace kvgate::redis {
namespace {

constexpr const char* kReadonly = "Attempt to modify a readonly table";
constexpr const char* kProxiesKey = "kvgate_readonly_proxies";

// ---- redis.* ----

int RedisCall(lua_State* L) {
  const int n = ScriptRunner::From(L).CallCommand(L, true);
  return n < 0 ? lua_error(L) : n;
}

int RedisPcall(lua_State* L) {
  return ScriptRunner::From(L).CallCommand(L, false);
}

// error_reply / status_reply answer a wrong argument with an error table, without raising.
int ErrorReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  size_t len = 0;
  const char* s = lua_tolstring(L, 1, &len);
  PushErrorTable(L, std::string_view(s, len));
  return 1;
}

int StatusReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  lua_newtable(L);
  lua_pushstring(L, "ok");
  lua_pushvalue(L, 1);
  lua_rawset(L, -3);
  return 1;
}

void PushSha1(lua_State* L, const char* s, size_t len) {
  const std::string hex = Sha1Hex(std::string_view(s == nullptr ? "" : s, s == nullptr ? 0 : len));
  lua_pushlstring(L, hex.data(), hex.size());
}

int Sha1hex(lua_State* L) {
  if (lua_gettop(L) != 1) return RaiseError(L, "wrong number of arguments");
  size_t len = 0;
  const char* s = lua_tolstring(L, 1, &len);
  PushSha1(L, s, len);
  return 1;
}

int Log(lua_State* L) {
  const int argc = lua_gettop(L);
  if (argc < 2) return RaiseError(L, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1)) return RaiseError(L, "First argument must be a number (log level).");
  const lua_Number level = lua_tonumber(L, 1);
  if (level < 0 || level > 3) return RaiseError(L, "Invalid debug level.");
  // kvgate's translate layer has no log sink: the message is dropped (README).
  return 0;
}

int SetResp(lua_State* L) {
  if (lua_gettop(L) != 1) return RaiseError(L, "redis.setresp() requires one argument.");
  const lua_Number resp = lua_tonumber(L, 1);
  if (resp != 2 && resp != 3) return RaiseError(L, "RESP version must be 2 or 3.");
  ScriptRunner::From(L).set_script_resp(static_cast<int>(resp));
  return 0;
}

int SetRepl(lua_State* L) {
  if (lua_gettop(L) != 1) return RaiseError(L, "redis.set_repl() requires one argument.");
  const lua_Number flags = lua_tonumber(L, 1);
  if (flags < 0 || flags > 3 || flags != std::floor(flags)) {
    return RaiseError(
        L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
  }
  return 0;  // no replication: nothing to choose
}

int ReplicateCommands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

// Whether the calling user's ACL allows the command with these arguments.
int AclCheckCmd(lua_State* L) {
  const int argc = lua_gettop(L);
  if (argc < 1)
    return RaiseError(L, "Please specify at least one argument for this redis lib call");
  std::vector<std::string_view> args;
  for (int i = 1; i <= argc; ++i) {
    if (lua_type(L, i) != LUA_TSTRING && lua_type(L, i) != LUA_TNUMBER) {
      return RaiseError(L, "Lua redis lib command arguments must be strings or integers");
    }
    size_t len = 0;
    const char* s = lua_tolstring(L, i, &len);  // stays alive: it is on the stack
    args.emplace_back(s, len);
  }
  std::optional<bool> allowed = ScriptRunner::From(L).UserMayRun(args);
  if (!allowed) return RaiseError(L, "Invalid command passed to redis.acl_check_cmd()");
  lua_pushboolean(L, *allowed ? 1 : 0);
  return 1;
}

int Breakpoint(lua_State* L) {
  lua_pushboolean(L, 0);
  return 1;
}

int Debug(lua_State*) {
  return 0;
}

// ---- base library replacements ----

// Redis's pcall: an error table raised by redis.call surfaces as its err string.
int Pcall(lua_State* L) {
  luaL_checkany(L, 1);
  const int argc = lua_gettop(L);
  if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) == 0) {
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    return lua_gettop(L);
  }
  if (lua_istable(L, -1)) {
    lua_pushstring(L, "err");
    lua_rawget(L, -2);
    if (lua_isstring(L, -1)) {
      lua_replace(L, -2);
    } else {
      lua_pop(L, 1);
    }
  }
  lua_pushboolean(L, 0);
  lua_insert(L, -2);
  return 2;
}

// loadstring / load refuse binary chunks (malformed bytecode can break the VM).
int LoadBuffer(lua_State* L, const char* s, size_t len, const char* name) {
  if (len > 0 && s[0] == LUA_SIGNATURE[0]) {
    lua_pushnil(L);
    lua_pushstring(L, "bytecode loading is not allowed");
    return 2;
  }
  if (luaL_loadbuffer(L, s, len, name) == 0) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

int LoadString(lua_State* L) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, 1, &len);
  const char* name = luaL_optstring(L, 2, s);
  return LoadBuffer(L, s, len, name);
}

int Load(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  const char* name = luaL_optstring(L, 2, "=(load)");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (;;) {
    lua_pushvalue(L, 1);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      break;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  size_t len = 0;
  const char* s = lua_tolstring(L, -1, &len);
  return LoadBuffer(L, s, len, name);
}

// Pushes the table a read-only proxy stands for, or nothing (false) if `index` is no proxy.
bool PushProxyTarget(lua_State* L, int index) {
  lua_getfield(L, LUA_REGISTRYINDEX, kProxiesKey);
  lua_pushvalue(L, index);
  lua_rawget(L, -2);
  lua_remove(L, -2);
  if (lua_istable(L, -1)) return true;
  lua_pop(L, 1);
  return false;
}

int Rawset(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  if (PushProxyTarget(L, 1)) return luaL_error(L, kReadonly);
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

// rawget, next and pairs see through a proxy to the table it stands for.
int Rawget(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  if (PushProxyTarget(L, 1)) lua_replace(L, 1);
  lua_settop(L, 2);
  lua_rawget(L, 1);
  return 1;
}

int Next(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (PushProxyTarget(L, 1)) lua_replace(L, 1);
  lua_settop(L, 2);
  if (lua_next(L, 1) != 0) return 2;
  lua_pushnil(L);
  return 1;
}

int Pairs(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

int ReadonlyNewindex(lua_State* L) {
  return luaL_error(L, kReadonly);
}

int MissingGlobalError(lua_State* L) {
  const char* name = lua_tostring(L, 2);
  return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                    name == nullptr ? "?" : name);
}

// math.random / math.randomseed over Redis's rand48, so scripts see redis-server's sequence.
int MathRandom(lua_State* L) {
  constexpr double kMax = 2147483647.0;
  const double r = static_cast<double>(ScriptRunner::From(L).NextRand() % 2147483647) / kMax;
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      break;
    case 1: {
      const int u = luaL_checkint(L, 1);
      luaL_argcheck(L, 1 <= u, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * u) + 1);
      break;
    }
    case 2: {
      const int l = luaL_checkint(L, 1);
      const int u = luaL_checkint(L, 2);
      luaL_argcheck(L, l <= u, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (u - l + 1)) + l);
      break;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}

int MathRandomseed(lua_State* L) {
  ScriptRunner::From(L).SeedRand(static_cast<int32_t>(luaL_checkint(L, 1)));
  return 0;
}

// The error handler scripts run under: a non-table error becomes {err="ERR " .. tostring(e)},
// and the position of the Lua code that raised it is added (skipping a C function such as
// error or redis.call).
int ErrorHandler(lua_State* L) {
  lua_Debug ar;
  bool where = lua_getstack(L, 1, &ar) != 0 && lua_getinfo(L, "nSl", &ar) != 0;
  if (where && std::strcmp(ar.what, "C") == 0) {
    where = lua_getstack(L, 2, &ar) != 0 && lua_getinfo(L, "nSl", &ar) != 0;
  }
  lua_settop(L, 1);
  if (!lua_istable(L, 1)) {
    lua_newtable(L);
    lua_pushstring(L, "err");
    lua_pushstring(L, "ERR ");
    switch (lua_type(L, 1)) {
      case LUA_TSTRING:
      case LUA_TNUMBER:
        lua_pushvalue(L, 1);
        break;
      case LUA_TNIL:
        lua_pushstring(L, "nil");
        break;
      case LUA_TBOOLEAN:
        lua_pushstring(L, lua_toboolean(L, 1) ? "true" : "false");
        break;
      default:
        lua_pushfstring(L, "%s: %p", luaL_typename(L, 1), lua_topointer(L, 1));
    }
    lua_concat(L, 2);
    lua_rawset(L, -3);
    lua_replace(L, 1);
  }
  if (where) {
    lua_pushstring(L, "source");
    lua_pushstring(L, ar.source);
    lua_rawset(L, 1);
    lua_pushstring(L, "line");
    lua_pushinteger(L, ar.currentline);
    lua_rawset(L, 1);
  }
  return 1;
}

void Open(lua_State* L, lua_CFunction open, const char* name) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  // Some modules set the global themselves, some only return their table.
  if (name[0] != '\0' && lua_istable(L, -1)) {
    lua_setglobal(L, name);
  } else {
    lua_pop(L, 1);
  }
}

void SetFunction(lua_State* L, const char* name, lua_CFunction f) {
  lua_pushstring(L, name);
  lua_pushcfunction(L, f);
  lua_rawset(L, -3);
}

void SetNumber(lua_State* L, const char* name, lua_Number v) {
  lua_pushstring(L, name);
  lua_pushnumber(L, v);
  lua_rawset(L, -3);
}

int VersionNum(std::string_view version) {
  int parts[3] = {0, 0, 0};
  int i = 0;
  for (char c : version) {
    if (c == '.') {
      if (++i == 3) break;
    } else if (c >= '0' && c <= '9') {
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  return (parts[0] << 16) | (parts[1] << 8) | parts[2];
}

void OpenRedisTable(lua_State* L, std::string_view version, bool eval) {
  lua_newtable(L);
  SetFunction(L, "call", RedisCall);
  SetFunction(L, "pcall", RedisPcall);
  SetFunction(L, "error_reply", ErrorReply);
  SetFunction(L, "status_reply", StatusReply);
  SetFunction(L, "sha1hex", Sha1hex);
  SetFunction(L, "log", Log);
  SetFunction(L, "setresp", SetResp);
  SetFunction(L, "set_repl", SetRepl);
  SetFunction(L, "acl_check_cmd", AclCheckCmd);
  if (eval) {  // EVAL's state only (eval.c adds them)
    SetFunction(L, "replicate_commands", ReplicateCommands);
    SetFunction(L, "breakpoint", Breakpoint);
    SetFunction(L, "debug", Debug);
  }
  SetNumber(L, "LOG_DEBUG", 0);
  SetNumber(L, "LOG_VERBOSE", 1);
  SetNumber(L, "LOG_NOTICE", 2);
  SetNumber(L, "LOG_WARNING", 3);
  SetNumber(L, "REPL_NONE", 0);
  SetNumber(L, "REPL_AOF", 1);
  SetNumber(L, "REPL_SLAVE", 2);
  SetNumber(L, "REPL_REPLICA", 2);
  SetNumber(L, "REPL_ALL", 3);
  lua_pushstring(L, "REDIS_VERSION");
  lua_pushlstring(L, version.data(), version.size());
  lua_rawset(L, -3);
  SetNumber(L, "REDIS_VERSION_NUM", VersionNum(version));
  lua_setglobal(L, "redis");
}

// Replaces the table on top by a read-only proxy of it (the proxy is registered in `proxies`,
// at stack index proxies).
void MakeProxy(lua_State* L, int proxies) {
  lua_newtable(L);           // table, proxy
  lua_createtable(L, 0, 3);  // table, proxy, mt
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyNewindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);  // table, proxy
  lua_pushvalue(L, -1);     // table, proxy, proxy
  lua_pushvalue(L, -3);
  lua_rawset(L, proxies);  // proxies[proxy] = table
  lua_replace(L, -2);      // proxy
}

// coroutine.create sets the script hook on the new thread (hooks are per thread); wrap is
// rebuilt over it.
int CoroutineCreate(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State* co = lua_newthread(L);
  lua_sethook(co, lua_gethook(L), lua_gethookmask(L), lua_gethookcount(L));
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  return 1;
}

constexpr const char* kWrap =
    "local create, resume, unpack, select, error = ...\n"
    "return function(f)\n"
    "  local co = create(f)\n"
    "  local function pass(ok, ...)\n"
    "    if not ok then error((...), 0) end\n"
    "    return ...\n"
    "  end\n"
    "  return function(...) return pass(resume(co, ...)) end\n"
    "end\n";

void OpenCoroutineHooks(lua_State* L) {
  lua_getglobal(L, "coroutine");
  lua_pushcfunction(L, CoroutineCreate);
  lua_setfield(L, -2, "create");
  if (luaL_loadstring(L, kWrap) == 0) {
    lua_getfield(L, -2, "create");
    lua_getfield(L, -3, "resume");
    lua_getglobal(L, "unpack");
    lua_getglobal(L, "select");
    lua_getglobal(L, "error");
    lua_call(L, 5, 1);
    lua_setfield(L, -2, "wrap");
  } else {
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

}  // namespace

void MakeReadonlyProxy(lua_State* L, int proxies) {
  MakeProxy(L, proxies);
}

int MissingGlobal(lua_State* L) {
  return MissingGlobalError(L);
}

int RaiseError(lua_State* L, const char* text) {
  PushErrorTable(L, text);
  return lua_error(L);
}

ScriptLibRefs OpenScriptLibraries(lua_State* L, std::string_view version, bool eval) {
  Open(L, luaopen_base, "");
  Open(L, luaopen_table, LUA_TABLIBNAME);
  Open(L, luaopen_string, LUA_STRLIBNAME);
  Open(L, luaopen_math, LUA_MATHLIBNAME);
  Open(L, luaopen_cjson, "cjson");
  Open(L, luaopen_bit, "bit");
  Open(L, OpenCmsgpack, "cmsgpack");
  Open(L, OpenStruct, "struct");
  lua_settop(L, 0);
  for (const char* name : {"dofile", "loadfile", "print", "getfenv", "setfenv", "newproxy"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  lua_register(L, "pcall", Pcall);
  lua_register(L, "loadstring", LoadString);
  lua_register(L, "load", Load);
  lua_register(L, "rawset", Rawset);
  lua_register(L, "rawget", Rawget);
  lua_register(L, "next", Next);
  lua_getglobal(L, "next");
  lua_pushcclosure(L, Pairs, 1);
  lua_setglobal(L, "pairs");
  if (eval) lua_register(L, "__redis__err__handler", ErrorHandler);
  lua_getglobal(L, "math");
  lua_pushcfunction(L, MathRandom);
  lua_setfield(L, -2, "random");
  lua_pushcfunction(L, MathRandomseed);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);
  OpenCoroutineHooks(L);
  OpenRedisTable(L, version, eval);

  ScriptLibRefs refs;
  lua_pushcfunction(L, ErrorHandler);
  refs.handler = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);  // 1: proxies
  lua_pushvalue(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, kProxiesKey);
  lua_pushvalue(L, 1);
  refs.proxies = luaL_ref(L, LUA_REGISTRYINDEX);
  // Library tables become read-only proxies (strings' methods keep the real table).
  for (const char* name :
       {"string", "table", "math", "coroutine", "cjson", "bit", "cmsgpack", "struct", "redis"}) {
    lua_getglobal(L, name);
    if (!lua_istable(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    MakeProxy(L, 1);
    lua_setglobal(L, name);
  }
  // The globals: reading a missing one is an error; scripts see them through a proxy.
  lua_pushvalue(L, LUA_GLOBALSINDEX);  // 2: the real globals
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, MissingGlobalError);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, 2);
  lua_pushvalue(L, 2);
  refs.globals = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushvalue(L, 2);
  MakeProxy(L, 1);  // 3: the proxy
  lua_pushstring(L, "_G");
  lua_pushvalue(L, 3);
  lua_rawset(L, 2);
  lua_replace(L, LUA_GLOBALSINDEX);
  lua_settop(L, 0);
  return refs;
}

}  // namespace kvgate::redis

// File: tests/integration/redis_function_differential_test.cc
// Redis 7.0 functions (FUNCTION LOAD/DELETE/LIST/FLUSH/DUMP/RESTORE/STATS/KILL/HELP, FCALL,
// FCALL_RO) against a real redis-server, byte for byte in RESP2 and RESP3
// (support/script_diff.h): library metadata and load errors, redis.register_function's forms and
// errors, the load-time API, flags, FCALL's checks and its read-only rules, functions' own Lua
// environment, FUNCTION LIST/STATS replies, DUMP payloads and RESTORE of hand-made payloads
// (every policy, bad versions and checksums, the pre-GA RDB_OPCODE_FUNCTION form). Each script
// starts with FUNCTION FLUSH (FLUSHALL keeps functions). Not compared: the order of several
// libraries, or of several functions of one library, in FUNCTION LIST and DUMP (redis-server
// walks a dict whose hash seed is random per process).
//
//   CompareScripts(FunctionScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/script_diff.h"
#include "protocols/rdb/rdb_format.h"

namespace {

using kvgate::testing::S;
using kvgate::testing::Script;
using Cmd = std::vector<std::string>;
using Cmds = std::vector<Cmd>;

Cmd Load(const std::string& code) {
  return {"FUNCTION", "LOAD", code};
}

// A library `lib` with one function `fn` whose body is `body` (keys and args are its
// parameters).
std::string Lib(const std::string& lib, const std::string& fn, const std::string& body) {
  return "#!lua name=" + lib + "\nredis.register_function('" + fn + "', function(keys, args)\n" +
         body + "\nend)";
}

// A library whose body is `code` (it must register functions itself).
std::string Body(const std::string& lib, const std::string& code) {
  return "#!lua name=" + lib + "\n" + code;
}

// A FUNCTION RESTORE payload: `body` then the DUMP footer of RDB version `version`.
std::string Payload(std::string body, uint16_t version = kvgate::rdb::kRdbVersion) {
  if (version == kvgate::rdb::kRdbVersion) {
    kvgate::rdb::AppendFooter(&body);
    return body;
  }
  std::string p = body;
  kvgate::rdb::AppendFooter(&p);
  p[body.size()] = static_cast<char>(version & 0xff);
  p[body.size() + 1] = static_cast<char>(version >> 8);
  return p;
}

std::string Function2(const std::string& code) {
  std::string out(1, static_cast<char>(245));
  kvgate::rdb::AppendString(&out, code);
  return out;
}

Script F(std::string name, Cmds cmds) {
  cmds.insert(cmds.begin(), {"FUNCTION", "FLUSH"});
  return S(std::move(name), cmds);
}

std::vector<Script> FunctionScripts() {
  // Tables of commands read best one per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  const std::string echo = Lib("lib", "f", "return {keys, args}");
  s.push_back(F("load and fcall", {
      Load(echo), {"FCALL", "f", "2", "k1", "k2", "a1", "a2"}, {"FCALL", "F", "0"},
      {"FCALL", "f", "0", "x"}, {"FCALL", "nosuch", "0"}, {"FCALL", "nosuch", "x"},
      {"FCALL", "f", "x"}, {"FCALL", "f", "-1"}, {"FCALL", "f", "3", "a"},
      {"FCALL", "f", "1.5", "a"}, {"FCALL_RO", "f", "0"}, {"FCALL", "f"}, {"FCALL_RO", "f"},
      Load(echo), {"FUNCTION", "LOAD", "REPLACE", echo}, {"FUNCTION", "LOAD", "replace", echo},
      {"FUNCTION", "LOAD", "REPLACE", "REPLACE", echo}, {"FUNCTION", "LOAD", "FOO", echo},
      {"FUNCTION", "LOAD", "REPLACE"}, {"FUNCTION", "LOAD"},
      Load(Lib("lib2", "F", "return 2")), Load(Lib("lib2", "g", "return 2")),
      {"FCALL", "g", "0"}, {"FUNCTION", "LOAD", "REPLACE", Lib("lib2", "f", "return 3")},
      {"FCALL", "g", "0"}, {"FUNCTION", "LOAD", "REPLACE", Lib("lib", "h", "return 4")},
      {"FCALL", "f", "0"}, {"FCALL", "h", "0"},
  }));
  s.push_back(F("library metadata", {
      Load("return 1"), Load(""), Load("#!lua name=x"), Load("#!lua\nreturn 1"),
      Load("#!lua name=a name=b\n"), Load("#!lua NAME=a NAME=b\n"), Load("#!lua foo=bar\n"),
      Load("#!lua name=\n"), Load("#!lua name=a-b\n"), Load("#!lua name=a.b\n"),
      Load("#!js name=a\n"), Load("#! name=a\n"), Load("#!lua name=\"unbalanced\n"),
      Load("#!lua name='x'y\n"), Load("#!lua \"name=a\"b\n"), Load("#!lua name=nofn\nlocal x = 1"),
      Load(std::string("#!lua name=nul\0\n", 16)),
      Load(Lib("UPPER", "u1", "return 1") ), Load("#!LUA name=up\nredis.register_function('u2', "
                                                  "function() return 2 end)"),
      Load("#!lua \"name=quoted\"\nredis.register_function('u3', function() return 3 end)"),
      Load("#!lua  name=q2  \nredis.register_function('u4', function() return 4 end)"),
      Load("#!\"lua\" name=q3\nredis.register_function('u5', function() return 5 end)"),
      Load("#!lua name=\"\\x41b\"\nredis.register_function('u6', function() return 6 end)"),
      {"FCALL", "u1", "0"}, {"FCALL", "u2", "0"}, {"FCALL", "U3", "0"}, {"FCALL", "u6", "0"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "Ab"},
  }));
  s.push_back(F("load errors", {
      Load(Body("bad", "return +")), Load(Body("bad", "\n\nlocal = 1")),
      Load(Body("err", "error('boom')")), Load(Body("err", "error({err='X tbl'})")),
      Load(Body("err", "error({err='tbl'})")), Load(Body("err", "error({})")),
      // error itself is no load-time global: these answer "nonexistent global variable".
      Load(Body("err", "error('boom', 0)")),
      Load(Body("g", "x = 1")), Load(Body("g", "redis.call('ping')")),
      Load(Body("g", "redis.pcall('ping')")), Load(Body("g", "local s = string.format('x')")),
      Load(Body("g", "return KEYS")), Load(Body("g", "redis.x = 1")),
      Load(Body("g", "redis.log(redis.LOG_WARNING, 'loading')")),
      Load(Body("g", "local v = redis.REDIS_VERSION .. redis.REDIS_VERSION_NUM\n"
                     "redis.register_function('v', function() return v end)")),
      Load(Body("g2", "redis.register_function('v2', function() return redis.LOG_NOTICE end)")),
      {"FCALL", "v2", "0"},
      Load(Body("g3", "redis.register_function('v3', function() return redis.call('ping') end)")),
      {"FCALL", "v3", "0"},
      Load(Body("slow", "local i = 0 while true do i = i + 1 end")),
      {"FUNCTION", "STATS"},
  }));
  s.push_back(F("register_function errors", {
      Load(Body("r", "redis.register_function()")),
      Load(Body("r", "redis.register_function('a', function() end, 3)")),
      Load(Body("r", "redis.register_function({}, function() end)")),
      Load(Body("r", "redis.register_function('a', 'b')")),
      Load(Body("r", "redis.register_function('a-b', function() end)")),
      Load(Body("r", "redis.register_function('', function() end)")),
      Load(Body("r", "redis.register_function('a', function() end)\n"
                     "redis.register_function('a', function() end)")),
      Load(Body("r", "redis.register_function('x')")),
      Load(Body("r", "redis.register_function{}")),
      Load(Body("r", "redis.register_function{function_name='a'}")),
      Load(Body("r", "redis.register_function{callback=function() end}")),
      Load(Body("r", "redis.register_function{function_name='a', callback='x'}")),
      Load(Body("r", "redis.register_function{function_name={}, callback=function() end}")),
      Load(Body("r", "redis.register_function{function_name='a', callback=function() end, "
                     "flags='x'}")),
      Load(Body("r", "redis.register_function{function_name='a', callback=function() end, "
                     "flags={'nosuch'}}")),
      Load(Body("r", "redis.register_function{function_name='a', callback=function() end, "
                     "flags={{}}}")),
      Load(Body("r", "redis.register_function{function_name='a', callback=function() end, "
                     "description={}}")),
      Load(Body("r", "redis.register_function{function_name='a', callback=function() end, "
                     "other=1}")),
      Load(Body("r", "redis.register_function{[true]=1}")),
      Load(Body("r", "redis.register_function{[1]='x'}")),
      Load(Body("num", "redis.register_function(12, function() return 'twelve' end)")),
      {"FCALL", "12", "0"},
      Load(Body("named", "redis.register_function{FUNCTION_NAME='n1', CallBack=function() "
                         "return 'named' end, description=5, flags={'NO-WRITES'}}")),
      {"FCALL_RO", "n1", "0"}, {"FUNCTION", "LIST", "LIBRARYNAME", "named"},
      Load(Body("late", "local r = redis\nredis.register_function('late', function() "
                        "return r.register_function('x', function() end) end)")),
      {"FCALL", "late", "0"},
  }));
  const std::string flagged =
      Body("flagged", "redis.register_function{function_name='fl', callback=function() return 1 "
                      "end, description='all the flags', flags={'no-writes', 'allow-oom', "
                      "'allow-stale', 'no-cluster', 'allow-cross-slot-keys'}}");
  s.push_back(F("function list", {
      {"FUNCTION", "LIST"}, Load(flagged), {"FUNCTION", "LIST"}, {"FUNCTION", "LIST", "WITHCODE"},
      {"FUNCTION", "LIST", "withcode", "libraryname", "FLAG*"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "nomatch"}, {"FUNCTION", "LIST", "LIBRARYNAME"},
      {"FUNCTION", "LIST", "WITHCODE", "WITHCODE"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "a", "LIBRARYNAME", "b"},
      {"FUNCTION", "LIST", "foo"},
      Load(Body("plain", "redis.register_function('p', function() return 1 end)")),
      {"FUNCTION", "LIST", "LIBRARYNAME", "pl?in"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "plain", "WITHCODE"},
      Load(Body("two", "redis.register_function{function_name='t1', callback=function() end, "
                       "flags={}}")),
      {"FUNCTION", "LIST", "LIBRARYNAME", "two"},
  }));
  s.push_back(F("fcall runs", {
      Load(Body("w", "redis.register_function('w', function(keys, args) "
                     "return redis.call('set', keys[1], args[1]) end)\n"
                     "redis.register_function{function_name='ro', flags={'no-writes'}, "
                     "callback=function(keys, args) return redis.call('set', keys[1], 'x') end}\n"
                     "redis.register_function{function_name='rd', flags={'no-writes'}, "
                     "callback=function(keys) return redis.call('get', keys[1]) end}\n"
                     "redis.register_function{function_name='rp', flags={'no-writes'}, "
                     "callback=function(keys) return redis.pcall('incr', keys[1]) end}")),
      {"FCALL", "w", "1", "k", "v"}, {"GET", "k"}, {"FCALL", "ro", "1", "k"},
      {"FCALL_RO", "ro", "1", "k"}, {"FCALL_RO", "rd", "1", "k"}, {"FCALL", "rd", "1", "k"},
      {"FCALL_RO", "w", "1", "k", "v"}, {"FCALL", "rp", "1", "k"}, {"FCALL_RO", "rp", "1", "k"},
      Load(Lib("e", "e", "error('x')")), {"FCALL", "e", "0"},
      Load(Lib("e2", "e2", "return redis.call('nosuch')")), {"FCALL", "e2", "0"},
      Load(Lib("e3", "e3", "return redis.call('incr', 'k')")), {"FCALL", "e3", "0"},
      Load(Lib("e4", "e4", "return error({err='-MY own'})")), {"FCALL", "e4", "0"},
      Load(Lib("e5", "e5", "return KEYS")), {"FCALL", "e5", "0"},
      Load(Lib("e6", "e6", "x = 1")), {"FCALL", "e6", "0"},
      Load(Lib("e7", "e7", "return redis.call('fcall', 'w', '0')")), {"FCALL", "e7", "0"},
      Load(Lib("e8", "e8", "return redis.call('function', 'list')")), {"FCALL", "e8", "0"},
      Load(Lib("e9", "e9", "return nil + 1")), {"FCALL", "e9", "0"},
  }));
  s.push_back(F("function environment", {
      Load(Lib("env", "env",
               "return {type(redis.breakpoint), type(redis.debug), type(redis.replicate_commands), "
               "type(redis.register_function), type(redis.setresp), type(string), type(cjson), "
               "type(redis.sha1hex), type(redis.acl_check_cmd), type(redis.set_repl)}")),
      {"FCALL", "env", "0"},
      {"EVAL", "return {type(redis.breakpoint), type(redis.register_function)}", "0"},
      Load(Body("count", "local n = 0\nredis.register_function('count', function() n = n + 1 "
                         "return n end)")),
      {"FCALL", "count", "0"}, {"FCALL", "count", "0"}, {"EVAL", "return n", "0"},
      Load(Lib("resp3", "resp3", "redis.setresp(3) return redis.call('hgetall', 'h')")),
      {"HSET", "h", "a", "1"}, {"FCALL", "resp3", "0"},
      Load(Lib("sel", "sel", "redis.call('select', '1') redis.call('set', 'x', 'db1') "
                             "return redis.call('dbsize')")),
      {"FCALL", "sel", "0"}, {"DBSIZE"}, {"SELECT", "1"}, {"GET", "x"},
      Load(Lib("types", "types", "return {1, 'two', 3.9, true, false, {ok='st'}, {double=1.5}}")),
      {"FCALL", "types", "0"},
      {"MULTI"}, {"FCALL", "count", "0"}, {"FCALL", "nosuch", "0"}, {"EXEC"},
  }));
  s.push_back(F("delete flush stats kill help", {
      {"FUNCTION", "STATS"}, Load(Lib("l1", "f1", "return 1")),
      Load(Body("l2", "redis.register_function('f2', function() return 2 end)\n"
                      "redis.register_function('f3', function() return 3 end)")),
      {"FUNCTION", "STATS"}, {"FUNCTION", "DELETE", "l1"}, {"FUNCTION", "DELETE", "l1"},
      {"FUNCTION", "DELETE", "L2"}, {"FCALL", "f1", "0"}, {"FCALL", "f2", "0"},
      {"FUNCTION", "STATS"}, {"FUNCTION", "FLUSH"}, {"FUNCTION", "STATS"}, {"FCALL", "f2", "0"},
      {"FUNCTION", "FLUSH", "ASYNC"}, {"FUNCTION", "FLUSH", "sync"}, {"FUNCTION", "FLUSH", "x"},
      {"FUNCTION", "FLUSH", "SYNC", "x"}, {"FUNCTION", "KILL"}, {"SCRIPT", "KILL"},
      {"FUNCTION", "HELP"}, {"FUNCTION", "nosuch"}, {"FUNCTION"}, {"FUNCTION", "DELETE"},
      {"FUNCTION", "STATS", "x"}, {"FUNCTION", "KILL", "x"}, {"FUNCTION", "DUMP", "x"},
      {"FUNCTION", "HELP", "x"}, {"FUNCTION", "RESTORE"},
      Load(Lib("l1", "f1", "return 1")), {"FLUSHALL"}, {"FCALL", "f1", "0"},
      {"SCRIPT", "FLUSH"}, {"FCALL", "f1", "0"},
  }));
  const std::string small = Lib("d", "d", "return 'dumped'");
  const std::string big = Lib("big", "big", "local t = {} for i = 1, 10 do t[i] = i end "
                                            "return t -- padding padding padding padding");
  s.push_back(F("dump", {
      {"FUNCTION", "DUMP"}, Load(small), {"FUNCTION", "DUMP"}, {"FUNCTION", "FLUSH"},
      Load(big), {"FUNCTION", "DUMP"}, {"FUNCTION", "FLUSH"},
      Load("#!lua name=s\nredis.register_function('s', function() end)"), {"FUNCTION", "DUMP"},
  }));
  const std::string r1 = Lib("r1", "r1f", "return 'restored'");
  const std::string r2 = Lib("r2", "r2f", "return 'second'");
  std::string old_form(1, static_cast<char>(246));
  kvgate::rdb::AppendString(&old_form, "old");
  kvgate::rdb::AppendString(&old_form, "LUA");
  kvgate::rdb::AppendLen(&old_form, 1);
  kvgate::rdb::AppendString(&old_form, "a description");
  kvgate::rdb::AppendString(&old_form, "redis.register_function('oldf', function() return 'old' end)");
  s.push_back(F("restore", {
      {"FUNCTION", "RESTORE", Payload(Function2(r1))}, {"FCALL", "r1f", "0"},
      {"FUNCTION", "RESTORE", Payload(Function2(r1))},
      {"FUNCTION", "RESTORE", Payload(Function2(r1)), "APPEND"},
      {"FUNCTION", "RESTORE", Payload(Function2(r1)), "replace"}, {"FCALL", "r1f", "0"},
      {"FUNCTION", "RESTORE", Payload(Function2(r2)), "FLUSH"}, {"FCALL", "r1f", "0"},
      {"FCALL", "r2f", "0"}, {"FUNCTION", "RESTORE", Payload(Function2(Lib("r3", "R2F", "")))},
      {"FUNCTION", "RESTORE", Payload(Function2(Lib("r2", "x", ""))), "REPLACE"},
      {"FCALL", "x", "0"}, {"FCALL", "r2f", "0"},
      {"FUNCTION", "RESTORE", Payload(Function2(r1) + Function2(r1))},
      {"FUNCTION", "RESTORE", Payload(Function2("return 1"))},
      {"FUNCTION", "RESTORE", Payload(Function2(Body("nofn", "")))},
      {"FUNCTION", "RESTORE", Payload(std::string(1, '\0'))},
      {"FUNCTION", "RESTORE", Payload(std::string("\xf5\x05" "ab", 4))},
      {"FUNCTION", "RESTORE", Payload(std::string("\xf5\x3f", 2))},
      {"FUNCTION", "RESTORE", Payload(std::string("\xf5", 1))},
      {"FUNCTION", "RESTORE", Payload(Function2(r1), 11)},
      {"FUNCTION", "RESTORE", Payload(Function2(r1), 9)}, {"FCALL", "r1f", "0"},
      {"FUNCTION", "RESTORE", Payload(Function2(r1)).substr(1)},
      {"FUNCTION", "RESTORE", "short"}, {"FUNCTION", "RESTORE", ""},
      {"FUNCTION", "RESTORE", Payload(Function2(r1)), "bad"},
      {"FUNCTION", "RESTORE", Payload(Function2(r1)), "FLUSH", "x"},
      {"FUNCTION", "RESTORE", Payload(old_form)}, {"FCALL", "oldf", "0"},
      {"FUNCTION", "LIST", "LIBRARYNAME", "old", "WITHCODE"},
      {"FUNCTION", "RESTORE", Payload(""), "FLUSH"}, {"FUNCTION", "STATS"},
  }));
  // clang-format on
  return s;
}

}  // namespace

TEST_CASE("Redis functions answer like redis-server 7, byte for byte",
          "[integration][redis][differential][function]") {
  kvgate::testing::CompareScripts(FunctionScripts(), /*resp3=*/true);
}

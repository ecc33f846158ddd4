// EVAL / EVALSHA / SCRIPT in process (script_engine.h): the cache, SCRIPT KILL through the busy
// hook, the sandbox's guards (rawset, raw writes into library proxies, bytecode, coroutines
// under the hook), lua-maxmemory, SELECT inside a script, and scripts seen by keyspace
// notifications, WATCH, MULTI/EXEC and client tracking as the same commands run directly.
#include <catch2/catch.hpp>

#include <string>

#include "translate/redis/script_engine.h"
#include "translate/redis/sha1.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string ScriptErr(const std::string& msg, const std::string& body, int line = 1) {
  return Err(msg + " script: " + Sha1Hex(body) + ", on @user_script:" + std::to_string(line) + ".");
}

TEST_CASE("SHA-1 digests", "[redis][script]") {
  CHECK(Sha1Hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(Sha1Hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(Sha1Hex(std::string(1000, 'a')) == "291e9a6c66994949b57ba5e650361e98fc36b1ba");
  CHECK(Sha1Hex(std::string(55, 'x')).size() == 40);
  CHECK(Sha1Hex(std::string(56, 'x')) != Sha1Hex(std::string(57, 'x')));
}

TEST_CASE("EVAL, EVALSHA and the script cache", "[redis][script]") {
  RedisHarness h;
  auto& c = h.Connect();
  const std::string body = "return redis.call('incr', KEYS[1])";
  const std::string sha = Sha1Hex(body);
  CHECK(h.Cmd(c, {"EVALSHA", sha, "1", "n"}) ==
        Err("NOSCRIPT No matching script. Please use EVAL."));
  CHECK(h.Cmd(c, {"EVAL", body, "1", "n"}) == Int(1));
  CHECK(h.Cmd(c, {"EVALSHA", sha, "1", "n"}) == Int(2));
  CHECK(h.Cmd(c, {"SCRIPT", "EXISTS", sha, "nope"}) == Arr(2) + Int(1) + Int(0));
  CHECK(h.front().scripts().cached_scripts() == 1);
  CHECK(h.Cmd(c, {"SCRIPT", "LOAD", "return 7"}) == Bulk(Sha1Hex("return 7")));
  CHECK(h.Cmd(c, {"EVALSHA_RO", Sha1Hex("return 7"), "0"}) == Int(7));
  CHECK(h.Cmd(c, {"SCRIPT", "FLUSH"}) == kOk);
  CHECK(h.Cmd(c, {"SCRIPT", "EXISTS", sha}) == Arr(1) + Int(0));
  CHECK(h.Cmd(c, {"EVALSHA", sha, "1", "n"}) ==
        Err("NOSCRIPT No matching script. Please use EVAL."));
  CHECK(h.Cmd(c, {"GET", "n"}) == Bulk("2"));
  CHECK(h.Cmd(c, {"SCRIPT", "DEBUG", "NO"}) == kOk);
  CHECK(h.Cmd(c, {"SCRIPT", "KILL"}) == Err("NOTBUSY No scripts in execution right now."));
  CHECK(h.front().scripts().memory_bytes() > 0);
}

TEST_CASE("a runaway script is stopped by SCRIPT KILL from the busy hook", "[redis][script]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "busy-reply-threshold", "0"}) == kOk);
  CHECK(h.Cmd(c, {"CONFIG", "GET", "lua-time-limit"}).find("0") != std::string::npos);
  ScriptEngine& scripts = h.front().scripts();
  int calls = 0;
  ScriptEngine::KillResult result = ScriptEngine::KillResult::kNotBusy;
  scripts.set_busy_callback([&] {
    ++calls;
    result = scripts.Kill();
  });
  const std::string loop = "local i = 0 while true do i = i + 1 end";
  CHECK(h.Cmd(c, {"EVAL", loop, "0"}) ==
        ScriptErr("ERR Script killed by user with SCRIPT KILL...", loop));
  CHECK(calls == 1);
  CHECK(result == ScriptEngine::KillResult::kKilled);
  // A loop inside a coroutine is under the hook too.
  const std::string co = "local f = coroutine.wrap(function() while true do end end) f()";
  CHECK(h.Cmd(c, {"EVAL", co, "0"}).find("Script killed by user") != std::string::npos);
  // After a write the script cannot be killed; it is left to finish.
  int rounds = 0;
  scripts.set_busy_callback([&] {
    result = scripts.Kill();
    ++rounds;
  });
  const std::string writer = "redis.call('set','w','1') for i = 1, 300000 do end return 'done'";
  CHECK(h.Cmd(c, {"EVAL", writer, "0"}) == Bulk("done"));
  CHECK(rounds >= 1);
  CHECK(result == ScriptEngine::KillResult::kUnkillable);
  CHECK(!scripts.running());
  // The server answers normally afterwards.
  CHECK(h.Cmd(c, {"EVAL", "return 1", "0"}) == Int(1));
}

TEST_CASE("a script past lua-maxmemory is stopped; the state recovers", "[redis][script]") {
  RedisConfig config;
  config.lua_max_memory = 16u << 20;
  RedisHarness h(config);
  auto& c = h.Connect();
  const std::string hog =
      "local t = {} for i = 1, 1e8 do t[i] = string.rep('x', 1000) .. i end return #t";
  CHECK(h.Cmd(c, {"EVAL", hog, "0"}) ==
        ScriptErr("ERR Script used more memory than lua-maxmemory allows", hog));
  CHECK(h.front().scripts().memory_bytes() < config.lua_max_memory);
  // Inside pcall the error is caught; what the failed function held is garbage then, collected
  // before the next instruction, and the script goes on.
  const std::string garbage =
      "local ok = pcall(function() local t = {} for i = 1, 1e8 do t[i] = string.rep('y', 1000) "
      ".. i end end) return ok and 'finished' or 'stopped'";
  CHECK(h.Cmd(c, {"EVAL", garbage, "0"}) == Bulk("stopped"));
  CHECK(h.Cmd(c, {"EVAL", "return #string.rep('z', 1000000)", "0"}) == Int(1000000));
  CHECK(h.Cmd(c, {"SET", "k", "v"}) == kOk);
}

TEST_CASE("the sandbox keeps scripts from leaving state behind", "[redis][script]") {
  RedisHarness h;
  auto& c = h.Connect();
  const std::string ro = "ERR user_script:1: Attempt to modify a readonly table";
  CHECK(h.Cmd(c, {"EVAL", "rawset(_G, 'x', 1)", "0"}) == ScriptErr(ro, "rawset(_G, 'x', 1)"));
  CHECK(h.Cmd(c, {"EVAL", "rawset(redis, 'x', 1)", "0"}) == ScriptErr(ro, "rawset(redis, 'x', 1)"));
  CHECK(h.Cmd(c, {"EVAL", "setmetatable(_G, {})", "0"}).find("protected metatable") !=
        std::string::npos);
  CHECK(h.Cmd(c, {"EVAL", "return getmetatable(_G)", "0"}) == kNil);
  // table.insert writes raw: the proxy is emptied after the script.
  CHECK(h.Cmd(c, {"EVAL", "table.insert(string, 'leak') return #string", "0"}) == Int(1));
  CHECK(h.Cmd(c, {"EVAL", "return rawget(string, 1)", "0"}) == kNil);
  CHECK(h.Cmd(c, {"EVAL", "return string.len('abc')", "0"}) == Int(3));
  // Binary chunks are refused.
  CHECK(h.Cmd(c, {"EVAL", "return {loadstring(string.dump(function() return 1 end))}", "0"}) ==
        Arr(0));
  CHECK(h.Cmd(c, {"EVAL", "local f, e = loadstring(string.dump(function() end)) return e", "0"}) ==
        Bulk("bytecode loading is not allowed"));
  CHECK(h.Cmd(c, {"EVAL",
                  "local s = string.dump(function() end) "
                  "return select(2, load(function() local r = s s = nil return r end))",
                  "0"}) == Bulk("bytecode loading is not allowed"));
  CHECK(h.Cmd(c, {"EVAL", "return load(function() return nil end)()", "0"}) == kNil);
  // A table holding itself ends with Redis's stack-limit error, not a crash.
  const std::string deep = h.Cmd(c, {"EVAL", "local t = {} t[1] = t return t", "0"});
  CHECK(deep.find("-ERR reached lua stack limit") != std::string::npos);
}

TEST_CASE("SELECT inside a script affects the script only", "[redis][script]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SELECT", "2"}) == kOk);
  CHECK(h.Cmd(c, {"EVAL", "redis.call('select', 3) return redis.call('set', 'k', 'v')", "0"}) ==
        kOk);
  CHECK(h.Cmd(c, {"EXISTS", "k"}) == Int(0));
  CHECK(h.Cmd(c, {"SELECT", "3"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v"));
  CHECK(h.Cmd(c, {"EVAL", "return redis.call('get', 'k')", "0"}) == Bulk("v"));
}

TEST_CASE("scripts' writes are seen by notifications, WATCH, MULTI and tracking",
          "[redis][script]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& sub = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  h.Cmd(sub, {"HELLO", "3"});
  h.Cmd(sub, {"PSUBSCRIBE", "__key*"});
  h.Take(sub);
  CHECK(h.Cmd(c, {"EVAL", "return redis.call('incr', KEYS[1])", "1", "n"}) == Int(1));
  CHECK(h.Take(sub) == KeyEvents("n", "incrby"));

  // WATCH: another client's script touches the watched key.
  auto& other = h.Connect();
  CHECK(h.Cmd(other, {"WATCH", "n"}) == kOk);
  CHECK(h.Cmd(c, {"EVAL", "return redis.call('incr', 'n')", "0"}) == Int(2));
  CHECK(h.Cmd(other, {"MULTI"}) == kOk);
  CHECK(h.Cmd(other, {"GET", "n"}) == "+QUEUED\r\n");
  CHECK(h.Cmd(other, {"EXEC"}) == "*-1\r\n");

  // EVAL inside MULTI is queued and runs in EXEC.
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"EVAL", "return redis.call('incr', 'n')", "0"}) == "+QUEUED\r\n");
  CHECK(h.Cmd(c, {"EVAL", "error('boom')", "0"}) == "+QUEUED\r\n");
  CHECK(h.Cmd(c, {"EXEC"}) ==
        Arr(2) + Int(3) + ScriptErr("ERR user_script:1: boom", "error('boom')"));

  // Tracking: a key read by a script is tracked for the caller.
  auto& t = h.Connect();
  h.Cmd(t, {"HELLO", "3"});
  CHECK(h.Cmd(t, {"CLIENT", "TRACKING", "ON"}) == kOk);
  CHECK(h.Cmd(t, {"EVAL", "return redis.call('get', 'n')", "0"}) == Bulk("3"));
  CHECK(h.Cmd(c, {"SET", "n", "9"}) == kOk);
  CHECK(h.Take(t).find("invalidate") != std::string::npos);
}

TEST_CASE("script argument and key count errors", "[redis][script]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"EVAL", "return 1", "-1"}) == Err("ERR Number of keys can't be negative"));
  CHECK(h.Cmd(c, {"EVAL", "return 1", "1"}) ==
        Err("ERR Number of keys can't be greater than number of args"));
  CHECK(h.Cmd(c, {"EVAL", "return 1", "x"}) == Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"EVAL", "return +", "0"}) ==
        Err("ERR Error compiling script (new function): user_script:1: unexpected symbol near "
            "'+'"));
  CHECK(h.Cmd(c, {"EVAL", "return redis.call('eval', 'return 1', '0')", "0"}) ==
        ScriptErr("ERR This Redis command is not allowed from script",
                  "return redis.call('eval', 'return 1', '0')"));
  CHECK(h.Cmd(c, {"EVAL_RO", "return redis.call('set', 'a', 'b')", "0"}) ==
        ScriptErr("ERR Write commands are not allowed from read-only scripts.",
                  "return redis.call('set', 'a', 'b')"));
}

}  // namespace
}  // namespace kvgate::redis::testing

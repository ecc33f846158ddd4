// FUNCTION / FCALL in process (script_engine.h, function_library.h): FUNCTION KILL and
// SCRIPT KILL through the busy hook, each refusing the other kind of script, FUNCTION STATS'
// view of a running function, the INFO fields, DUMP -> RESTORE round trips with several
// libraries, and the libraries' Lua references released on DELETE, REPLACE and FLUSH.
#include <catch2/catch.hpp>

#include <string>

#include "translate/redis/command.h"
#include "translate/redis/script_engine.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string Lib(const std::string& lib, const std::string& fn, const std::string& body,
                const std::string& flags = "") {
  return "#!lua name=" + lib + "\nredis.register_function{function_name='" + fn + "', flags={" +
         flags + "}, callback=function(keys, args)\n" + body + "\nend}";
}

const std::string kLoop = "local i = 0 while true do i = i + 1 end";

TEST_CASE("FUNCTION KILL stops a running function; SCRIPT KILL refuses it", "[redis][function]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "busy-reply-threshold", "0"}) == kOk);
  CHECK(h.Cmd(c, {"FUNCTION", "LOAD", Lib("spin", "spin", kLoop, "'no-writes'")}) == Bulk("spin"));
  ScriptEngine& scripts = h.front().scripts();
  ScriptEngine::KillResult by_script = ScriptEngine::KillResult::kKilled;
  ScriptEngine::KillResult by_function = ScriptEngine::KillResult::kNotBusy;
  std::string name;
  size_t argc = 0;
  scripts.set_busy_callback([&] {
    const ScriptRunner* running = scripts.running_runner();
    REQUIRE(running != nullptr);
    name.assign(running->running_name());
    argc = running->running_ctx()->argc();
    by_script = scripts.Kill(ScriptRunner::Kind::kEval);
    by_function = scripts.Kill(ScriptRunner::Kind::kFunction);
  });
  CHECK(h.Cmd(c, {"FCALL", "spin", "1", "key", "arg"}) ==
        Err("ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:3."));
  CHECK(by_script == ScriptEngine::KillResult::kOtherKind);
  CHECK(by_function == ScriptEngine::KillResult::kKilled);
  CHECK(name == "spin");
  CHECK(argc == 5);
  CHECK(!scripts.running());

  // An EVAL script is FUNCTION KILL's other kind.
  CHECK(h.Cmd(c, {"EVAL", kLoop, "0"}).find("Script killed by user") != std::string::npos);
  CHECK(by_function == ScriptEngine::KillResult::kOtherKind);
  CHECK(by_script == ScriptEngine::KillResult::kKilled);

  // A function that has written cannot be killed by either.
  CHECK(h.Cmd(c, {"FUNCTION", "LOAD",
                  Lib("wr", "wr",
                      "redis.call('set','w','1') for i = 1, 300000 do end return 'done'")}) ==
        Bulk("wr"));
  CHECK(h.Cmd(c, {"FCALL", "wr", "0"}) == Bulk("done"));
  CHECK(by_function == ScriptEngine::KillResult::kUnkillable);
  CHECK(h.Cmd(c, {"FUNCTION", "KILL"}) == Err("NOTBUSY No scripts in execution right now."));
}

TEST_CASE("the kill replies name the command that can kill the running script",
          "[redis][function]") {
  protocols::OutChain out;
  resp::ReplyWriter w(&out, 2);
  ReplyKill(w, ScriptEngine::KillResult::kOtherKind, ScriptRunner::Kind::kEval);
  ReplyKill(w, ScriptEngine::KillResult::kOtherKind, ScriptRunner::Kind::kFunction);
  CHECK(out.ToString() ==
        "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN "
        "NOSAVE.\r\n-BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
        "SHUTDOWN NOSAVE.\r\n");
}

TEST_CASE("FUNCTION DUMP and RESTORE round-trip several libraries", "[redis][function]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"FUNCTION", "LOAD", Lib("a", "fa", "return 'a'")}) == Bulk("a"));
  CHECK(h.Cmd(c, {"FUNCTION", "LOAD", Lib("b", "fb", "return 'b'", "'no-writes'")}) == Bulk("b"));
  FunctionLibraries& libs = h.front().scripts().functions();
  const std::string dump = libs.Dump();
  CHECK(h.Cmd(c, {"FUNCTION", "RESTORE", dump}) == Err("ERR Library a already exists"));
  CHECK(h.Cmd(c, {"FUNCTION", "RESTORE", dump, "REPLACE"}) == kOk);
  CHECK(h.Cmd(c, {"FUNCTION", "FLUSH"}) == kOk);
  CHECK(h.Cmd(c, {"FCALL", "fa", "0"}) == Err("ERR Function not found"));
  CHECK(h.Cmd(c, {"FUNCTION", "RESTORE", dump}) == kOk);
  CHECK(h.Cmd(c, {"FCALL", "fa", "0"}) == Bulk("a"));
  CHECK(h.Cmd(c, {"FCALL_RO", "fb", "0"}) == Bulk("b"));
  CHECK(libs.Dump() == dump);
  CHECK(libs.function_count() == 2);
}

TEST_CASE("libraries release their Lua functions", "[redis][function]") {
  RedisHarness h;
  auto& c = h.Connect();
  ScriptEngine& scripts = h.front().scripts();
  // Settle the state's own allocations first.
  CHECK(h.Cmd(c, {"FUNCTION", "LOAD", Lib("x", "x", "return 1")}) == Bulk("x"));
  CHECK(h.Cmd(c, {"FUNCTION", "FLUSH"}) == kOk);
  // The pad is a constant of the callback (a distinct string each time, Lua interns strings):
  // a library left referenced keeps it alive.
  for (int i = 0; i < 200; ++i) {
    const std::string pad = std::string(4000, 'p') + std::to_string(i);
    CHECK(h.Cmd(c, {"FUNCTION", "LOAD", "REPLACE",
                    Lib("big", "big", "local pad = '" + pad + "' return #pad")}) == Bulk("big"));
  }
  CHECK(h.Cmd(c, {"FUNCTION", "DELETE", "big"}) == kOk);
  // Every replaced library was unreferenced: a full collection frees them all.
  CHECK(scripts.function_memory_bytes() < 200 * 4000);
}

TEST_CASE("INFO shows the functions and libraries", "[redis][function]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"INFO", "memory"}).find("number_of_functions:0\r\n") != std::string::npos);
  CHECK(h.Cmd(c, {"FUNCTION", "LOAD",
                  "#!lua name=i\nredis.register_function('i1', function() end)\n"
                  "redis.register_function('i2', function() end)"}) == Bulk("i"));
  const std::string info = h.Cmd(c, {"INFO", "memory"});
  CHECK(info.find("number_of_functions:2\r\n") != std::string::npos);
  CHECK(info.find("number_of_libraries:1\r\n") != std::string::npos);
  CHECK(info.find("used_memory_vm_functions:0\r\n") == std::string::npos);
  CHECK(info.find("used_memory_functions:") != std::string::npos);
}

}  // namespace
}  // namespace kvgate::redis::testing

// File: tests/integration/shutdown_test.cc
// SHUTDOWN end to end on a real kvgate: Redis 7.0's argument errors (checked against a real
// redis-server too), refused inside MULTI (as SAVE is), a clean exit (status 0, the client's connection
// closed without a reply) that keeps every acknowledged write, SHUTDOWN SAVE taking a
// checkpoint first, and a script past busy-reply-threshold: plain SHUTDOWN gets -BUSY, SHUTDOWN
// NOSAVE ends the process at once without the script's unacknowledged changes; a kill -9
// during such a script keeps none of them either (a script's changes reach the log whole).
//
//   RawConn c(port);  c.Send(EncodeCommand({"SHUTDOWN"}));  c.WaitClosed();  // exit status 0
#include <signal.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gateway/manifest.h"
#include "integration/support/persistence_files.h"
#include "integration/support/process.h"
#include "integration/support/resp_client.h"

using kvgate::testing::Call;
using kvgate::testing::EncodeCommand;
using kvgate::testing::RawConn;
using kvgate::testing::StartKvgateIn;
using kvgate::testing::TempDir;

namespace {

// Waits for the process to exit by itself; its exit status (-1: still running after ~10 s).
int WaitExit(kvgate::testing::Process& p) {
  for (int i = 0; i < 1000 && p.running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return p.running() ? -1 : p.Stop();
}

std::string ArgumentErrors(int port) {
  RawConn c(port);
  std::string t;
  for (const std::vector<std::string>& cmd :
       std::vector<std::vector<std::string>>{{"SHUTDOWN", "LATER"},
                                             {"SHUTDOWN", "NOSAVE", "SAVE"},
                                             {"SHUTDOWN", "ABORT", "NOW"},
                                             {"SHUTDOWN", "ABORT"},
                                             {"MULTI"},
                                             {"SHUTDOWN"},
                                             {"SAVE"},
                                             {"EXEC"}}) {
    t += c.Call(cmd);
  }
  return t;
}

}  // namespace

TEST_CASE("shutdown: argument errors and MULTI as redis-server 7.0 answers them",
          "[integration][shutdown]") {
  auto ref = kvgate::testing::StartRedisServer();
  REQUIRE(ref != nullptr);
  TempDir dir("data");
  auto kv = StartKvgateIn(dir.path, {});
  const std::string want = ArgumentErrors(ref->port);
  CHECK(ArgumentErrors(kv->redis_port) == want);
  CHECK(want ==
        "-ERR syntax error\r\n-ERR syntax error\r\n-ERR syntax error\r\n"
        "-ERR No shutdown in progress.\r\n+OK\r\n"
        "-ERR Command not allowed inside a transaction\r\n"
        "-ERR Command not allowed inside a transaction\r\n"
        "-EXECABORT Transaction discarded because of previous errors.\r\n");
  CHECK(kv->process->running());
}

TEST_CASE("shutdown: exits 0 without a reply and keeps every acknowledged write",
          "[integration][shutdown]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    CHECK(Call(kv->redis_port, {"SET", "k", "v"}) == "+OK\r\n");
    RawConn c(kv->redis_port);
    c.Send(EncodeCommand({"SHUTDOWN"}));
    CHECK(c.ReadReplies(1, 5000).empty());
    CHECK(c.WaitClosed(5000));
    CHECK(WaitExit(*kv->process) == 0);
  }
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    CHECK(Call(kv->redis_port, {"GET", "k"}) == "$1\r\nv\r\n");
    // SAVE: a checkpoint first (the manifest then names a base).
    RawConn c(kv->redis_port);
    c.Send(EncodeCommand({"SHUTDOWN", "SAVE", "NOW"}));
    CHECK(c.WaitClosed(10000));
    CHECK(WaitExit(*kv->process) == 0);
  }
  kvgate::gateway::Manifest m;
  bool exists = false;
  std::string error;
  REQUIRE(kvgate::gateway::ReadManifest(dir.path, &m, &exists, &error));
  CHECK(m.base() != nullptr);
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(Call(kv->redis_port, {"GET", "k"}) == "$1\r\nv\r\n");
}

TEST_CASE("shutdown: a busy script's changes never reach the log half done",
          "[integration][shutdown]") {
  const std::string script =
      "for i = 1, 1000 do redis.call('SET', 'partial:' .. i, 'x') end "
      "local n = 0 while true do n = n + 1 end";
  for (const bool crash : {false, true}) {
    INFO((crash ? "kill -9" : "SHUTDOWN NOSAVE") << " during the script");
    TempDir dir("data");
    {
      auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes", "--appendfsync", "always"});
      const int port = kv->redis_port;
      CHECK(Call(port, {"CONFIG", "SET", "busy-reply-threshold", "100"}) == "+OK\r\n");
      CHECK(Call(port, {"SET", "before", "1"}) == "+OK\r\n");
      RawConn a(port);
      a.Send(EncodeCommand({"EVAL", script, "0"}));
      std::this_thread::sleep_for(std::chrono::milliseconds(400));  // past the threshold
      RawConn b(port);
      CHECK(b.Call({"PING"}).rfind("-BUSY Redis is busy running a script.", 0) == 0);
      CHECK(b.Call({"SHUTDOWN"}) ==
            "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN "
            "NOSAVE.\r\n");
      if (crash) {
        REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
      } else {
        b.Send(EncodeCommand({"SHUTDOWN", "NOSAVE"}));
        CHECK(b.WaitClosed(5000));
        CHECK(WaitExit(*kv->process) == 0);
      }
    }
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    CHECK(Call(kv->redis_port, {"GET", "before"}) == "$1\r\n1\r\n");
    CHECK(Call(kv->redis_port, {"EXISTS", "partial:1"}) == ":0\r\n");
    CHECK(Call(kv->redis_port, {"DBSIZE"}) == ":1\r\n");
  }
}

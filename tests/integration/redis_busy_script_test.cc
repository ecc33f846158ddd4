// File: tests/integration/redis_busy_script_test.cc
// A script that runs past busy-reply-threshold, against a real redis-server 7.0 and kvgate
// started the same way, transcripts compared byte for byte: while it runs, other clients are
// still served (the loop answers them from the script's hook): -BUSY for ordinary commands,
// a transaction whose queued command was refused ends in EXECABORT, AUTH/HELLO/MULTI/WATCH run,
// FUNCTION KILL names the wrong kind, a client that connects meanwhile is served too, and its
// SCRIPT KILL stops the read-only script, whose caller gets Redis's error; afterwards
// everything is served again.
//
//   EVAL "while true do end" 0      (client a)      PING -> -BUSY ... (client b)
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/support/process.h"
#include "integration/support/resp_client.h"

namespace {

using kvgate::testing::RawConn;

std::string Cmd(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

// One run of the scenario; every reply, in order, with a label.
std::string Transcript(int port) {
  std::string t;
  RawConn a(port);
  RawConn b(port);
  RawConn c(port);
  const auto note = [&](const std::string& label, const std::string& reply) {
    t += label + ": " + reply;
  };
  note("config", b.Call({"CONFIG", "SET", "busy-reply-threshold", "100"}));
  note("set", b.Call({"SET", "k", "before"}));
  note("watch", c.Call({"WATCH", "k"}));
  a.Send(Cmd({"EVAL", "local n = 0 while true do n = n + 1 end", "0"}));
  // Past the threshold on both servers (the script never ends by itself).
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  note("ping", b.Call({"PING"}));
  note("get", b.Call({"GET", "k"}));
  note("eval", b.Call({"EVAL", "return 1", "0"}));
  note("hello", b.Call({"HELLO", "2"}).substr(0, 1));  // its map names the server
  note("multi", c.Call({"MULTI"}));
  note("queued", c.Call({"SET", "k", "during"}));
  note("function kill", b.Call({"FUNCTION", "KILL"}));
  note("pipeline", (b.Send(Cmd({"PING"}) + Cmd({"ECHO", "x"})), b.ReadReplies(2)));
  {
    RawConn late(port);  // a client that connects while the script runs (redis-cli SCRIPT KILL)
    note("late ping", late.Call({"PING"}));
    note("script kill", late.Call({"SCRIPT", "KILL"}));
  }
  note("killed", a.ReadReplies(1));
  note("exec", c.Call({"EXEC"}));
  note("after", b.Call({"PING"}));
  note("get after", a.Call({"GET", "k"}));
  note("script kill again", b.Call({"SCRIPT", "KILL"}));
  return t;
}

}  // namespace

TEST_CASE("A busy script answers other clients -BUSY and stops on SCRIPT KILL, as redis-server",
          "[integration][redis][differential][scripts]") {
  auto ref = kvgate::testing::StartRedisServer();
  REQUIRE(ref != nullptr);
  auto kv = kvgate::testing::StartKvgate();
  const std::string want = Transcript(ref->port);
  const std::string got = Transcript(kv->redis_port);
  CHECK(got == want);
  INFO("redis-server:\n" << want);
  CHECK(want.find("ping: -BUSY Redis is busy running a script.") != std::string::npos);
}

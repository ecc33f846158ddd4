// File: tests/integration/support/script_diff.cc
// CompareScripts (script_diff.h): one fresh connection per script and server; the reference's
// reply length tells how long to wait for kvgate's.
#include "integration/support/script_diff.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/process.h"
#include "integration/support/resp_client.h"

namespace kvgate::testing {

std::string Cmds(const std::vector<std::vector<std::string>>& cmds) {
  std::string out;
  for (const auto& c : cmds) out += EncodeCommand(c);
  return out;
}

std::vector<std::string> Eval(const std::string& body, const std::vector<std::string>& rest) {
  std::vector<std::string> c = {"EVAL", body};
  c.insert(c.end(), rest.begin(), rest.end());
  return c;
}

Script S(std::string name, const std::vector<std::vector<std::string>>& cmds) {
  return {std::move(name), {Cmds(cmds)}};
}

Script Raw(std::string name, std::vector<std::string> chunks) {
  return {std::move(name), std::move(chunks)};
}

namespace {

struct Outcome {
  std::string bytes;
  bool closed = false;
};

Outcome RunOn(int port, const Script& script, size_t expect_bytes, bool resp3) {
  RawConn c(port);
  if (resp3) {
    c.Send(EncodeCommand({"HELLO", "3"}));
    c.ReadReplies(1);
  }
  for (size_t i = 0; i < script.chunks.size(); ++i) {
    c.Send(script.chunks[i]);
    if (script.chunks.size() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(15));
  }
  Outcome o;
  if (expect_bytes == std::string::npos) {
    o.bytes = c.ReadUntilQuiet(250);
  } else {
    // Wait for as many bytes as the reference produced, then a little more for any extra.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (o.bytes.size() < expect_bytes && std::chrono::steady_clock::now() < deadline &&
           !c.closed()) {
      o.bytes += c.ReadUntilQuiet(50);
    }
    o.bytes += c.ReadUntilQuiet(80);
  }
  o.closed = c.WaitClosed(o.closed ? 0 : 100) || c.closed();
  return o;
}

void Flush(int port) {
  RawConn c(port);
  c.Send(EncodeCommand({"FLUSHALL"}));
  c.ReadReplies(1);
}

}  // namespace

void CompareScripts(const std::vector<Script>& scripts, bool resp3) {
  auto ref = StartRedisServer();
  REQUIRE(ref != nullptr);  // tools/setup.sh installs redis-server
  auto kv = StartKvgate();
  for (bool three : {false, true}) {
    if (three && !resp3) break;
    for (const auto& script : scripts) {
      // Each script starts from empty databases on both servers.
      Flush(ref->port);
      Flush(kv->redis_port);
      Outcome want = RunOn(ref->port, script, std::string::npos, three);
      Outcome got = RunOn(kv->redis_port, script, want.bytes.size(), three);
      INFO("script: " << script.name << (three ? " (RESP3)" : " (RESP2)"));
      INFO("redis-server:\n" << Printable(want.bytes));
      INFO("kvgate:\n" << Printable(got.bytes));
      CHECK(got.bytes == want.bytes);
      CHECK(got.closed == want.closed);
    }
  }
}

}  // namespace kvgate::testing

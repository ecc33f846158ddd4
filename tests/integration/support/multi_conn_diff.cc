// File: tests/integration/support/multi_conn_diff.cc
// RunMulti / CompareMulti (multi_conn_diff.h): the steps, with a pause after each so that
// deliveries to the other connections arrive before the next step.
//
//   std::vector<std::string> out = RunMulti(port, script);   // out[i]: connection i's bytes
#include "integration/support/multi_conn_diff.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "integration/support/process.h"
#include "integration/support/resp_client.h"

namespace kvgate::testing {

std::string Printable(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    if (ch == '\r')
      out += "\\r";
    else if (ch == '\n')
      out += "\\n\n";
    else if (ch < 32 || ch > 126) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", ch);
      out += buf;
    } else
      out += static_cast<char>(ch);
  }
  return out;
}

std::vector<std::string> RunMulti(int port, const MultiScript& script) {
  std::vector<std::unique_ptr<RawConn>> conns;
  std::vector<std::string> ids;
  for (int i = 0; i < script.conns; ++i) {
    conns.push_back(std::make_unique<RawConn>(port));
    conns.back()->Send(EncodeCommand({"CLIENT", "ID"}));
    std::string id = conns.back()->ReadReplies(1);
    ids.push_back(id.size() > 3 ? id.substr(1, id.size() - 3) : "0");
  }
  std::vector<std::string> out(script.conns);
  for (const Step& step : script.steps) {
    std::string bytes;
    std::vector<std::string> cmd;
    for (std::string arg : step.cmd) {
      for (int i = 0; i < script.conns; ++i) {
        const std::string ph = "{id" + std::to_string(i) + "}";
        if (arg == ph) arg = ids[i];
      }
      if (arg.empty()) {
        bytes += EncodeCommand(cmd);
        cmd.clear();
      } else {
        cmd.push_back(arg);
      }
    }
    bytes += EncodeCommand(cmd);
    conns[step.conn]->Send(bytes);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (int i = 0; i < script.conns; ++i) {
      std::string got = conns[i]->ReadUntilQuiet(40);
      if (!(step.quiet && i == step.conn)) out[i] += got;
    }
  }
  return out;
}

// Runs each script on a real redis-server and on kvgate (empty databases before each) and
// compares every connection's transcript.
void CompareMulti(const std::vector<MultiScript>& scripts) {
  auto ref = kvgate::testing::StartRedisServer();
  REQUIRE(ref != nullptr);
  auto kv = kvgate::testing::StartKvgate();
  for (const auto& script : scripts) {
    for (int port : {ref->port, kv->redis_port}) {
      RawConn c(port);
      c.Send(EncodeCommand({"FLUSHALL"}));
      c.ReadReplies(1);
    }
    std::vector<std::string> want = RunMulti(ref->port, script);
    std::vector<std::string> got = RunMulti(kv->redis_port, script);
    for (int i = 0; i < script.conns; ++i) {
      INFO("script: " << script.name << ", connection " << i);
      INFO("redis-server:\n" << Printable(want[i]));
      INFO("kvgate:\n" << Printable(got[i]));
      CHECK_FALSE(want[i].empty());  // every connection of every script receives something
      CHECK(got[i] == want[i]);
    }
  }
}

}  // namespace kvgate::testing

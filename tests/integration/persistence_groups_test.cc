// File: tests/integration/persistence_groups_test.cc
// Consumer groups of a stream in a file bucket: every group command is logged as the change it
// made (a few bytes), not as the stream's image, and a kill -9 brings back exactly the groups,
// consumers and pending entries (XINFO STREAM FULL, XINFO GROUPS and
// XPENDING's summary byte for byte).
#include <signal.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/support/persistence_files.h"
#include "integration/support/process.h"
#include "integration/support/resp_client.h"

using kvgate::testing::DbSizeAfterLoading;
using kvgate::testing::RawConn;
using kvgate::testing::StartKvgateIn;
using kvgate::testing::TempDir;

namespace {

uint64_t AofSize(RawConn& c) {
  const std::string info = c.Call({"INFO", "persistence"});
  const size_t at = info.find("aof_current_size:");
  REQUIRE(at != std::string::npos);
  return std::stoull(info.substr(at + 17));
}

std::vector<std::string> Snapshot(RawConn& c) {
  return {c.Call({"XINFO", "STREAM", "s", "FULL"}),
          c.Call({"XPENDING", "s", "g1"}),  // the extended form's idle times move on
          c.Call({"XPENDING", "s", "g2"}), c.Call({"XINFO", "GROUPS", "s"})};
}

}  // namespace

TEST_CASE("persistence: consumer group commands log their change, and come back exactly",
          "[integration][persistence]") {
  TempDir dir("data");
  std::vector<std::string> before;
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes", "--appendfsync", "always"});
    RawConn c(kv->redis_port);
    // A stream large enough that an image per command would show in the log's size.
    for (int batch = 0; batch < 20; ++batch) {
      std::string pipeline;
      for (int i = 1; i <= 250; ++i) {
        const std::string id = std::to_string(batch * 250 + i) + "-0";
        pipeline += kvgate::testing::EncodeCommand(
            {"XADD", "s", id, "field", "value-" + std::string(40, 'x') + id});
      }
      c.Send(pipeline);
      REQUIRE(c.ReadReplies(250).size() > 250);
    }
    const uint64_t loaded = AofSize(c);
    REQUIRE(loaded > 200 * 1000);
    REQUIRE(c.Call({"XGROUP", "CREATE", "s", "g1", "0"}) == "+OK\r\n");
    REQUIRE(c.Call({"XGROUP", "CREATE", "s", "g2", "$"}) == "+OK\r\n");
    REQUIRE(c.Call({"XGROUP", "CREATE", "s", "g3", "10-0", "ENTRIESREAD", "10"}) == "+OK\r\n");
    CHECK(c.Call({"XGROUP", "CREATECONSUMER", "s", "g1", "idle"}) == ":1\r\n");
    for (int i = 0; i < 40; ++i) {
      const std::string who = i % 2 == 0 ? "alice" : "bob";
      REQUIRE(c.Call({"XREADGROUP", "GROUP", "g1", who, "COUNT", "3", "STREAMS", "s", ">"})
                  .rfind("*1", 0) == 0);
    }
    // History again: alice's pending entries are delivered once more.
    REQUIRE(c.Call({"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "4", "STREAMS", "s", "0"})
                .rfind("*1", 0) == 0);
    for (int i = 1; i <= 30; i += 2) {
      CHECK(c.Call({"XACK", "s", "g1", std::to_string(i) + "-0"}) == ":1\r\n");
    }
    CHECK(
        c.Call({"XCLAIM", "s", "g1", "carol", "0", "4-0", "6-0", "RETRYCOUNT", "7", "IDLE", "500"})
            .rfind("*2", 0) == 0);
    CHECK(c.Call({"XCLAIM", "s", "g1", "carol", "0", "4000-0", "FORCE", "JUSTID"}) ==
          "*1\r\n$6\r\n4000-0\r\n");
    CHECK(c.Call({"XAUTOCLAIM", "s", "g1", "dave", "0", "0", "COUNT", "5", "JUSTID"})
              .rfind("*3", 0) == 0);
    CHECK(c.Call({"XREADGROUP", "GROUP", "g2", "erin", "NOACK", "STREAMS", "s", ">"}) == "*-1\r\n");
    CHECK(c.Call({"XADD", "s", "6000-0", "late", "entry"}) == "$6\r\n6000-0\r\n");
    CHECK(c.Call({"XREADGROUP", "GROUP", "g2", "erin", "STREAMS", "s", ">"}).rfind("*1", 0) == 0);
    CHECK(c.Call({"XGROUP", "DELCONSUMER", "s", "g1", "bob"}).rfind(":", 0) == 0);
    CHECK(c.Call({"XGROUP", "SETID", "s", "g1", "50-0", "ENTRIESREAD", "50"}) == "+OK\r\n");
    CHECK(c.Call({"XGROUP", "DESTROY", "s", "g3"}) == ":1\r\n");
    CHECK(c.Call({"XDEL", "s", "8-0"}) == ":1\r\n");  // pending in g1: XAUTOCLAIM drops it
    CHECK(c.Call({"XAUTOCLAIM", "s", "g1", "dave", "0", "0", "COUNT", "100"}).rfind("*3", 0) == 0);
    // Some ninety group commands on a ~500 KB stream: far less than one image each.
    CHECK(AofSize(c) - loaded < 64 * 1024);
    before = Snapshot(c);
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(DbSizeAfterLoading(kv->redis_port) == ":1\r\n");
  RawConn c(kv->redis_port);
  const std::vector<std::string> after = Snapshot(c);
  REQUIRE(after.size() == before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    INFO("snapshot part " << i);
    CHECK(after[i] == before[i]);
  }
}

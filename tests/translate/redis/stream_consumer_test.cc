// File: tests/translate/redis/stream_consumer_test.cc
// Consumer groups in process, on a fake clock, where idle times are exact: XPENDING's idle
// column and IDLE filter, delivery counts through history reads, XCLAIM's min idle time, IDLE,
// TIME and RETRYCOUNT, XAUTOCLAIM skipping entries not idle long enough (and its attempts
// bound), XINFO CONSUMERS' idle, a blocked XREADGROUP delivering at the time it is served, and
// group changes seen by WATCH and keyspace-free (XREADGROUP fires no event, as in Redis).
// Byte-for-byte replies against redis-server are in
// tests/integration/redis_stream_consumer_differential_test.cc.
//
//   h.Advance(1500);
//   h.Cmd(c, {"XPENDING", "s", "g", "-", "+", "10"});   // [[1-1, alice, 1500, 1]]
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

// One XPENDING extended row.
std::string Row(std::string_view id, std::string_view consumer, int64_t idle, int64_t count) {
  return Arr(4) + Bulk(id) + Bulk(consumer) + Int(idle) + Int(count);
}

// The server's clock, read with TIME ([seconds, microseconds]).
int64_t NowMs(RedisHarness& h, RedisHarness::Client& c) {
  const std::string t = h.Cmd(c, {"TIME"});
  std::vector<std::string> parts;
  for (size_t at = 0, next; (next = t.find("\r\n", at)) != std::string::npos; at = next + 2) {
    parts.push_back(t.substr(at, next - at));
  }
  REQUIRE(parts.size() == 5);
  return std::stoll(parts[2]) * 1000 + std::stoll(parts[4]) / 1000;
}

void AddEntries(RedisHarness& h, RedisHarness::Client& c, int n) {
  for (int i = 1; i <= n; ++i) {
    const std::string id = std::to_string(i) + "-1";
    REQUIRE(h.Cmd(c, {"XADD", "s", id, "f", "v" + std::to_string(i)}) == Bulk(id));
  }
}

TEST_CASE("XPENDING idle times and delivery counts follow the clock", "[redis][streams]") {
  RedisHarness h;
  auto& c = h.Connect();
  AddEntries(h, c, 2);
  REQUIRE(h.Cmd(c, {"XGROUP", "CREATE", "s", "g", "0"}) == kOk);
  REQUIRE(h.Cmd(c, {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"}) ==
          Arr(1) + Arr(2) + Bulk("s") + Arr(1) + XEntry("1-1", "f", "v1"));
  h.Advance(1500);
  CHECK(h.Cmd(c, {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"}) ==
        Arr(1) + Arr(2) + Bulk("s") + Arr(1) + XEntry("2-1", "f", "v2"));
  h.Advance(500);
  CHECK(h.Cmd(c, {"XPENDING", "s", "g", "-", "+", "10"}) ==
        Arr(2) + Row("1-1", "alice", 2000, 1) + Row("2-1", "bob", 500, 1));
  CHECK(h.Cmd(c, {"XPENDING", "s", "g", "IDLE", "2000", "-", "+", "10"}) ==
        Arr(1) + Row("1-1", "alice", 2000, 1));
  CHECK(h.Cmd(c, {"XPENDING", "s", "g", "IDLE", "2001", "-", "+", "10"}) == Arr(0));
  // Reading its history delivers alice's entry again: count 2, idle 0.
  CHECK(h.Cmd(c, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"}) ==
        Arr(1) + Arr(2) + Bulk("s") + Arr(1) + XEntry("1-1", "f", "v1"));
  CHECK(h.Cmd(c, {"XPENDING", "s", "g", "-", "+", "10", "alice"}) ==
        Arr(1) + Row("1-1", "alice", 0, 2));
  h.Advance(250);
  const std::string consumers = h.Cmd(c, {"XINFO", "CONSUMERS", "s", "g"});
  CHECK(consumers == Arr(2) + Arr(6) + Bulk("name") + Bulk("alice") + Bulk("pending") + Int(1) +
                         Bulk("idle") + Int(250) + Arr(6) + Bulk("name") + Bulk("bob") +
                         Bulk("pending") + Int(1) + Bulk("idle") + Int(750));
}

TEST_CASE("XCLAIM honours min idle time, IDLE, TIME and RETRYCOUNT", "[redis][streams]") {
  RedisHarness h;
  auto& c = h.Connect();
  AddEntries(h, c, 3);
  REQUIRE(h.Cmd(c, {"XGROUP", "CREATE", "s", "g", "0"}) == kOk);
  REQUIRE(h.Cmd(c, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"}).size() > 0);
  h.Advance(1000);
  CHECK(h.Cmd(c, {"XCLAIM", "s", "g", "bob", "1001", "1-1", "JUSTID"}) == Arr(0));
  CHECK(h.Cmd(c, {"XCLAIM", "s", "g", "bob", "1000", "1-1", "JUSTID"}) == Arr(1) + Bulk("1-1"));
  // JUSTID leaves the count alone; without it the claim counts as a delivery.
  CHECK(h.Cmd(c, {"XCLAIM", "s", "g", "bob", "0", "2-1"}) == Arr(1) + XEntry("2-1", "f", "v2"));
  CHECK(h.Cmd(c, {"XCLAIM", "s", "g", "carol", "0", "3-1", "IDLE", "4000", "RETRYCOUNT", "7",
                  "JUSTID"}) == Arr(1) + Bulk("3-1"));
  CHECK(h.Cmd(c, {"XPENDING", "s", "g", "-", "+", "10"}) ==
        Arr(3) + Row("1-1", "bob", 0, 1) + Row("2-1", "bob", 0, 2) + Row("3-1", "carol", 4000, 7));
  // TIME is absolute: the clock's now minus 300 ms is 300 ms idle.
  CHECK(h.Cmd(c, {"XCLAIM", "s", "g", "carol", "0", "2-1", "TIME",
                  std::to_string(NowMs(h, c) - 300), "JUSTID"}) == Arr(1) + Bulk("2-1"));
  CHECK(h.Cmd(c, {"XPENDING", "s", "g", "2-1", "2-1", "1"}) ==
        Arr(1) + Row("2-1", "carol", 300, 2));
  h.Advance(100);
  CHECK(h.Cmd(c, {"XCLAIM", "s", "g", "carol", "99", "1-1", "JUSTID"}) == Arr(1) + Bulk("1-1"));
  CHECK(h.Cmd(c, {"XPENDING", "s", "g", "-", "1-1", "1"}) == Arr(1) + Row("1-1", "carol", 0, 1));
}

TEST_CASE("XAUTOCLAIM skips entries not idle long enough, within its attempts",
          "[redis][streams]") {
  RedisHarness h;
  auto& c = h.Connect();
  AddEntries(h, c, 4);
  REQUIRE(h.Cmd(c, {"XGROUP", "CREATE", "s", "g", "0"}) == kOk);
  REQUIRE(
      h.Cmd(c, {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"}).size() >
      0);
  h.Advance(5000);
  REQUIRE(h.Cmd(c, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"}).size() > 0);
  // 1-1 and 2-1 are 5 s idle, 3-1 and 4-1 fresh: the cursor ends past the last examined.
  CHECK(h.Cmd(c, {"XAUTOCLAIM", "s", "g", "bob", "1000", "0", "JUSTID"}) ==
        Arr(3) + Bulk("0-0") + Arr(2) + Bulk("1-1") + Bulk("2-1") + Arr(0));
  h.Advance(2000);
  // COUNT 1 allows 10 attempts; a claim ends it with the next ID as the cursor.
  CHECK(h.Cmd(c, {"XAUTOCLAIM", "s", "g", "carol", "2000", "0", "COUNT", "1", "JUSTID"}) ==
        Arr(3) + Bulk("2-1") + Arr(1) + Bulk("1-1") + Arr(0));
  CHECK(h.Cmd(c, {"XPENDING", "s", "g", "-", "+", "10"}) ==
        Arr(4) + Row("1-1", "carol", 0, 1) + Row("2-1", "bob", 2000, 1) +
            Row("3-1", "alice", 2000, 1) + Row("4-1", "alice", 2000, 1));
}

TEST_CASE("A blocked XREADGROUP delivers at the time it is served", "[redis][streams][blocking]") {
  RedisHarness h;
  auto& reader = h.Connect();
  auto& writer = h.Connect();
  REQUIRE(h.Cmd(writer, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}) == kOk);
  CHECK(h.Cmd(reader, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}) ==
        "");
  h.Advance(3000);
  CHECK(h.Cmd(writer, {"XADD", "s", "1-1", "f", "v"}) == Bulk("1-1"));
  CHECK(h.Take(reader) == Arr(1) + Arr(2) + Bulk("s") + Arr(1) + XEntry("1-1", "f", "v"));
  CHECK(h.Cmd(writer, {"XPENDING", "s", "g", "-", "+", "10"}) ==
        Arr(1) + Row("1-1", "alice", 0, 1));
  // A group destroyed ends the wait with NOGROUP; the key deleted, with UNBLOCKED.
  CHECK(h.Cmd(reader, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}) ==
        "");
  CHECK(h.Cmd(writer, {"XGROUP", "DESTROY", "s", "g"}) == Int(1));
  CHECK(h.Take(reader) ==
        Err("NOGROUP the consumer group this client was blocked on no longer exists"));
  REQUIRE(h.Cmd(writer, {"XGROUP", "CREATE", "s", "g", "$"}) == kOk);
  CHECK(h.Cmd(reader, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}) ==
        "");
  CHECK(h.Cmd(writer, {"DEL", "s"}) == Int(1));
  CHECK(h.Take(reader) == Err("UNBLOCKED the stream key no longer exists"));
  CHECK(h.front().blocked().empty());
}

TEST_CASE("Group reads and claims are revisions: WATCH sees them, no keyspace event fires",
          "[redis][streams]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& other = h.Connect();
  auto& sub = h.Connect();
  AddEntries(h, c, 2);
  REQUIRE(h.Cmd(c, {"XGROUP", "CREATE", "s", "g", "0"}) == kOk);
  REQUIRE(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  REQUIRE(h.Cmd(sub, {"SUBSCRIBE", "__keyspace@0__:s"}).size() > 0);
  CHECK(h.Cmd(c, {"WATCH", "s"}) == kOk);
  CHECK(
      h.Cmd(other, {"XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"}).size() >
      0);
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"XLEN", "s"}) == Simple("QUEUED"));
  CHECK(h.Cmd(c, {"EXEC"}) == "*-1\r\n");
  CHECK(h.Take(sub) == "");
  // A read that changes nothing (an empty history) is no revision.
  CHECK(h.Cmd(c, {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "5-0"}) ==
        Arr(1) + Arr(2) + Bulk("s") + Arr(0));
  CHECK(h.Cmd(c, {"WATCH", "s"}) == kOk);
  CHECK(h.Cmd(other, {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "5-0"}).size() > 0);
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"XLEN", "s"}) == Simple("QUEUED"));
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(1) + Int(2));
}

}  // namespace
}  // namespace kvgate::redis::testing

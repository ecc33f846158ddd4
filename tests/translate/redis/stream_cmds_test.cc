// File: tests/translate/redis/stream_cmds_test.cc
// The stream commands in process, on a fake clock: keyspace events, TYPE / SCAN TYPE / OBJECT
// ENCODING / COPY / RENAME / DUMP-RESTORE / EXPIRE, an emptied stream staying, `*` IDs from the
// clock, and the NATS side's JSON. XREAD is in stream_read_test.cc.
// Byte-for-byte replies against redis-server are in
// tests/integration/redis_stream_differential_test.cc.
//
//   RedisHarness h;  auto& c = h.Connect();
//   h.Cmd(c, {"XADD", "s", "1-1", "f", "v"}) == Bulk("1-1");
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/collections/stream_value.h"
#include "translate/nats/collection_json.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

TEST_CASE("stream commands fire Redis's events", "[redis][streams]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  h.Cmd(c, {"HELLO", "3"});
  h.Cmd(c, {"PSUBSCRIBE", "__key*"});
  CHECK(h.Cmd(c, {"XADD", "s", "1-1", "f", "v"}) == KeyEvents("s", "xadd") + Bulk("1-1"));
  CHECK(h.Cmd(c, {"XADD", "s", "MAXLEN", "1", "2-1", "f", "v"}) ==
        KeyEvents("s", "xadd") + KeyEvents("s", "xtrim") + Bulk("2-1"));
  CHECK(h.Cmd(c, {"XDEL", "s", "9-9"}) == Int(0));
  CHECK(h.Cmd(c, {"XDEL", "s", "2-1"}) == KeyEvents("s", "xdel") + Int(1));
  CHECK(h.Cmd(c, {"XLEN", "s"}) == Int(0));  // an emptied stream stays
  CHECK(h.Cmd(c, {"EXISTS", "s"}) == Int(1));
  CHECK(h.Cmd(c, {"XSETID", "s", "5-5"}) == KeyEvents("s", "xsetid") + kOk);
  CHECK(h.Cmd(c, {"XTRIM", "s", "MAXLEN", "0"}) == Int(0));
  CHECK(h.Cmd(c, {"XADD", "s", "6-0", "f", "v"}) == KeyEvents("s", "xadd") + Bulk("6-0"));
  CHECK(h.Cmd(c, {"XTRIM", "s", "MAXLEN", "0"}) == KeyEvents("s", "xtrim") + Int(1));
  CHECK(h.Cmd(c, {"XADD", "none", "NOMKSTREAM", "*", "f", "v"}) == kNull3);
}

TEST_CASE("streams answer TYPE, SCAN TYPE, OBJECT ENCODING, COPY, RENAME and DUMP",
          "[redis][streams]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"XADD", "s", "*", "f", "v"}) == Bulk("1700000000000-0"));
  CHECK(h.Cmd(c, {"XADD", "s", "*", "f", "w"}) == Bulk("1700000000000-1"));
  CHECK(h.Cmd(c, {"XADD", "s", "1700000000000-*", "g", "x"}) == Bulk("1700000000000-2"));
  CHECK(h.Cmd(c, {"SADD", "set", "m"}) == Int(1));
  CHECK(h.Cmd(c, {"TYPE", "s"}) == Simple("stream"));
  CHECK(h.Cmd(c, {"SCAN", "0", "TYPE", "stream"}) == Arr(2) + Bulk("0") + Arr(1) + Bulk("s"));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "s"}) == Bulk("stream"));
  CHECK(h.Cmd(c, {"CONFIG", "GET", "stream-node-max-entries"}) ==
        Arr(2) + Bulk("stream-node-max-entries") + Bulk("100"));
  CHECK(h.Cmd(c, {"COPY", "s", "t"}) == Int(1));
  CHECK(h.Cmd(c, {"XDEL", "t", "1700000000000-0"}) == Int(1));  // the copy changes alone
  CHECK(h.Cmd(c, {"XLEN", "s"}) == Int(3));
  CHECK(h.Cmd(c, {"RENAME", "t", "u"}) == kOk);
  CHECK(h.Cmd(c, {"XLEN", "u"}) == Int(2));
  CHECK(h.Cmd(c, {"LPUSH", "s", "x"}).substr(0, 10) == "-WRONGTYPE");
  CHECK(h.Cmd(c, {"XADD", "set", "*", "f", "v"}).substr(0, 10) == "-WRONGTYPE");
  CHECK(h.Cmd(c, {"XRANGE", "set", "-", "+"}).substr(0, 10) == "-WRONGTYPE");
  // DUMP / RESTORE round trip keeps entries, deletions and the IDs.
  const std::string dump = h.Cmd(c, {"DUMP", "u"});
  REQUIRE(dump.substr(0, 1) == "$");
  const size_t body = dump.find("\r\n") + 2;
  const std::string payload = dump.substr(body, dump.size() - body - 2);
  CHECK(h.Cmd(c, {"RESTORE", "r", "0", payload}) == kOk);
  CHECK(h.Cmd(c, {"XRANGE", "r", "-", "+"}) == h.Cmd(c, {"XRANGE", "u", "-", "+"}));
  CHECK(h.Cmd(c, {"DUMP", "r"}) == dump);
  CHECK(h.Cmd(c, {"EXPIRE", "r", "10"}) == Int(1));
  h.Advance(10'000);
  CHECK(h.Cmd(c, {"EXISTS", "r"}) == Int(0));
}

TEST_CASE("a stream renders as a JSON array of entries for NATS gets", "[redis][streams]") {
  engine::StreamValue s;
  CHECK(nats::CollectionJson(s) == "[]");
  const std::string_view fv[] = {"f", "v", "g", "q\"uote"};
  s.Append({1, 2}, fv);
  CHECK(nats::CollectionJson(s) == "[[\"1-2\",[\"f\",\"v\",\"g\",\"q\\\"uote\"]]]");
}

}  // namespace
}  // namespace kvgate::redis::testing

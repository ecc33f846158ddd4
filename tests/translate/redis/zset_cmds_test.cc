// File: tests/translate/redis/zset_cmds_test.cc
// Sorted sets in process: replies in RESP2 and RESP3 (scores as doubles), keyspace events,
// the listpack -> skiplist label, STORE forms, ZRANDMEMBER (random: checked by its properties
// here, not against redis-server) and the NATS JSON rendering of a zset.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "engine/collections/zset_value.h"
#include "translate/nats/collection_json.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string Ev(std::string_view channel, std::string_view msg) {
  return ">4\r\n" + Bulk("pmessage") + Bulk("__key*") + Bulk(channel) + Bulk(msg);
}
std::string Both(std::string_view key, std::string_view event) {
  return Ev("__keyspace@0__:" + std::string(key), event) +
         Ev("__keyevent@0__:" + std::string(event), key);
}

TEST_CASE("ZADD, ZSCORE, ZRANK and ZRANGE answer as Redis", "[redis][zsets]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"ZADD", "z", "1", "a", "2", "b", "1.5", "c"}) == Int(3));
  CHECK(h.Cmd(c, {"ZADD", "z", "CH", "3", "a", "2", "b"}) == Int(1));
  CHECK(h.Cmd(c, {"ZSCORE", "z", "c"}) == Bulk("1.5"));
  CHECK(h.Cmd(c, {"ZRANK", "z", "a"}) == Int(2));
  CHECK(h.Cmd(c, {"ZREVRANK", "z", "a"}) == Int(0));
  CHECK(h.Cmd(c, {"ZRANK", "z", "nope"}) == "$-1\r\n");
  CHECK(h.Cmd(c, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}) ==
        Arr(6) + Bulk("c") + Bulk("1.5") + Bulk("b") + Bulk("2") + Bulk("a") + Bulk("3"));
  CHECK(h.Cmd(c, {"ZADD", "z", "INCR", "0.1", "c"}) == Bulk("1.6000000000000001"));
  CHECK(h.Cmd(c, {"ZADD", "z", "NX", "XX", "1", "a"}) ==
        Err("ERR XX and NX options at the same time are not compatible"));
  CHECK(h.Cmd(c, {"ZADD", "z", "x", "a"}) == Err("ERR value is not a valid float"));
  CHECK(h.Cmd(c, {"ZINCRBY", "z", "-inf", "a"}) == Bulk("-inf"));
  CHECK(h.Cmd(c, {"ZINCRBY", "z", "+inf", "a"}) ==
        Err("ERR resulting score is not a number (NaN)"));
  CHECK(h.Cmd(c, {"SET", "s", "v"}) == "+OK\r\n");
  CHECK(h.Cmd(c, {"ZADD", "s", "1", "a"}) ==
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  CHECK(h.Cmd(c, {"TYPE", "z"}) == "+zset\r\n");
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "z"}) == Bulk("listpack"));
  CHECK(h.Cmd(c, {"ZADD", "z", "1", std::string(65, 'x')}) == Int(1));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "z"}) == Bulk("skiplist"));
}

TEST_CASE("sorted-set scores are RESP3 doubles", "[redis][zsets]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"HELLO", "3"});
  CHECK(h.Cmd(c, {"ZADD", "z", "1", "a", "inf", "b", "-2.5", "c"}) == Int(3));
  CHECK(h.Cmd(c, {"ZSCORE", "z", "b"}) == ",inf\r\n");
  CHECK(h.Cmd(c, {"ZMSCORE", "z", "c", "x"}) == Arr(2) + ",-2.5\r\n" + "_\r\n");
  CHECK(h.Cmd(c, {"ZRANGE", "z", "0", "0", "WITHSCORES"}) ==
        Arr(1) + Arr(2) + Bulk("c") + ",-2.5\r\n");
  CHECK(h.Cmd(c, {"ZPOPMAX", "z"}) == Arr(2) + Bulk("b") + ",inf\r\n");
  CHECK(h.Cmd(c, {"ZPOPMIN", "z", "5"}) ==
        Arr(2) + Arr(2) + Bulk("c") + ",-2.5\r\n" + Arr(2) + Bulk("a") + ",1\r\n");
  CHECK(h.Cmd(c, {"EXISTS", "z"}) == Int(0));
}

TEST_CASE("sorted-set writes fire Redis's keyspace events", "[redis][zsets]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == "+OK\r\n");
  h.Cmd(c, {"HELLO", "3"});
  h.Cmd(c, {"PSUBSCRIBE", "__key*"});
  CHECK(h.Cmd(c, {"ZADD", "z", "1", "a", "2", "b", "3", "c"}) == Both("z", "zadd") + Int(3));
  CHECK(h.Cmd(c, {"ZADD", "z", "1", "a"}) == Int(0));
  CHECK(h.Cmd(c, {"ZINCRBY", "z", "1", "a"}) == Both("z", "zincr") + ",2\r\n");
  CHECK(h.Cmd(c, {"ZREMRANGEBYSCORE", "z", "3", "3"}) == Both("z", "zremrangebyscore") + Int(1));
  CHECK(h.Cmd(c, {"ZRANGESTORE", "d", "z", "0", "0"}) == Both("d", "zrangestore") + Int(1));
  CHECK(h.Cmd(c, {"ZUNIONSTORE", "d", "1", "nokey"}) == Both("d", "del") + Int(0));
  CHECK(h.Cmd(c, {"ZPOPMIN", "z"}) == Both("z", "zpopmin") + Arr(2) + Bulk("a") + ",2\r\n");
  CHECK(h.Cmd(c, {"ZREM", "z", "b"}) == Both("z", "zrem") + Both("z", "del") + Int(1));
}

TEST_CASE("STORE forms write a new zset or delete the destination", "[redis][zsets]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"ZADD", "a", "1", "x", "2", "y"});
  h.Cmd(c, {"ZADD", "b", "10", "y", "20", "z"});
  CHECK(h.Cmd(c, {"ZUNIONSTORE", "u", "2", "a", "b", "WEIGHTS", "1", "2"}) == Int(3));
  CHECK(h.Cmd(c, {"ZRANGE", "u", "0", "-1", "WITHSCORES"}) ==
        Arr(6) + Bulk("x") + Bulk("1") + Bulk("y") + Bulk("22") + Bulk("z") + Bulk("40"));
  CHECK(h.Cmd(c, {"ZINTERSTORE", "i", "2", "a", "b", "AGGREGATE", "MAX"}) == Int(1));
  CHECK(h.Cmd(c, {"ZSCORE", "i", "y"}) == Bulk("10"));
  CHECK(h.Cmd(c, {"ZDIFFSTORE", "i", "2", "a", "a"}) == Int(0));
  CHECK(h.Cmd(c, {"EXISTS", "i"}) == Int(0));
  CHECK(h.Cmd(c, {"ZINTERCARD", "2", "a", "b", "LIMIT", "1"}) == Int(1));
  CHECK(h.Cmd(c, {"SET", "s", "v"}) == "+OK\r\n");
  CHECK(h.Cmd(c, {"ZRANGESTORE", "s", "a", "0", "-1"}) == Int(2));
  CHECK(h.Cmd(c, {"TYPE", "s"}) == "+zset\r\n");
}

TEST_CASE("ZRANDMEMBER picks members of the zset", "[redis][zsets]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"ZRANDMEMBER", "z"}) == "$-1\r\n");
  CHECK(h.Cmd(c, {"ZRANDMEMBER", "z", "3"}) == Arr(0));
  std::vector<std::string> add = {"ZADD", "z"};
  for (int i = 0; i < 200; ++i) {
    add.push_back(std::to_string(i));
    add.push_back("m" + std::to_string(i));
  }
  CHECK(h.Cmd(c, add) == Int(200));
  const std::string one = h.Cmd(c, {"ZRANDMEMBER", "z"});
  CHECK(one.substr(0, 3) == "$" + std::to_string(one.size() - 6) + "\r");
  // Distinct members for a positive count: 50 different ones.
  std::string r = h.Cmd(c, {"ZRANDMEMBER", "z", "50"});
  CHECK(r.substr(0, 5) == "*50\r\n");
  std::set<std::string> seen;
  for (size_t p = r.find("\r\nm"); p != std::string::npos; p = r.find("\r\nm", p + 1)) {
    seen.insert(r.substr(p + 2, r.find('\r', p + 2) - p - 2));
  }
  CHECK(seen.size() == 50);
  // Repetitions allowed for a negative one; WITHSCORES pairs in RESP3.
  r = h.Cmd(c, {"ZRANDMEMBER", "z", "-500"});
  CHECK(r.substr(0, 6) == "*500\r\n");
  h.Cmd(c, {"HELLO", "3"});
  r = h.Cmd(c, {"ZRANDMEMBER", "z", "-2", "WITHSCORES"});
  CHECK(r.substr(0, 8) == "*2\r\n*2\r\n");
  CHECK(h.Cmd(c, {"ZRANDMEMBER", "z", "1", "WITHSCORES", "x"}) == Err("ERR syntax error"));
}

TEST_CASE("a zset renders as JSON pairs for NATS", "[redis][zsets]") {
  engine::ZSetValue z;
  z.Set("b", 2.5);
  z.Set("a", 1);
  z.Set("c\"", INFINITY);
  CHECK(nats::CollectionJson(z) == R"([["a",1],["b",2.5],["c\"","inf"]])");
}

TEST_CASE("ZSCAN walks a skiplist zset with a cursor", "[redis][zsets]") {
  RedisHarness h;
  auto& c = h.Connect();
  std::vector<std::string> add = {"ZADD", "z"};
  for (int i = 0; i < 300; ++i) {
    add.push_back(std::to_string(i));
    add.push_back("m" + std::to_string(i));
  }
  CHECK(h.Cmd(c, add) == Int(300));
  std::string cursor = "0";
  std::set<std::string> seen;
  int calls = 0;
  do {
    const std::string r = h.Cmd(c, {"ZSCAN", "z", cursor, "COUNT", "50"});
    const size_t a = r.find("\r\n", 4) + 2;  // after "*2\r\n$N\r\n"
    const size_t b = r.find("\r\n", a);
    cursor = r.substr(a, b - a);
    for (size_t p = r.find("\r\nm"); p != std::string::npos; p = r.find("\r\nm", p + 1)) {
      seen.insert(r.substr(p + 2, r.find('\r', p + 2) - p - 2));
    }
    // Removing low ranks mid-scan shifts every rank: the scan starts over, missing nothing.
    if (++calls == 2) CHECK(h.Cmd(c, {"ZREM", "z", "m0", "m1", "m2"}) == Int(3));
  } while (cursor != "0");
  CHECK(calls > 6);
  for (int i = 3; i < 300; ++i) CHECK(seen.count("m" + std::to_string(i)) == 1);
}

}  // namespace
}  // namespace kvgate::redis::testing

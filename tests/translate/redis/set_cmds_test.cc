// File: tests/translate/redis/set_cmds_test.cc
// The set commands in-process: what the differential test cannot compare byte for byte (random
// picks and pops, hashtable order) checked by property, plus keyspace events in Redis's order,
// encodings at Redis's thresholds, SCAN TYPE set, COPY, and the NATS side's rendering.
//
//   RedisHarness h;  auto& c = h.Connect();
//   h.Cmd(c, {"SADD", "s", "1"}) == Int(1);
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "engine/collections/set_value.h"
#include "translate/nats/collection_json.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

// The bulk strings of a flat array (or set) reply.
std::vector<std::string> Elements(const std::string& reply) {
  std::vector<std::string> out;
  size_t pos = reply.find("\r\n");
  while (pos != std::string::npos && pos + 2 < reply.size()) {
    pos += 2;
    if (reply[pos] != '$') break;
    const size_t eol = reply.find("\r\n", pos);
    const size_t n = std::stoul(reply.substr(pos + 1, eol - pos - 1));
    out.push_back(reply.substr(eol + 2, n));
    pos = eol + 2 + n;
  }
  return out;
}

TEST_CASE("SPOP and SRANDMEMBER pick members of the set", "[redis][sets]") {
  RedisHarness h;
  auto& c = h.Connect();
  std::vector<std::string> add = {"SADD", "s"};
  for (int i = 0; i < 100; ++i) add.push_back("m" + std::to_string(i));
  CHECK(h.Cmd(c, add) == Int(100));
  std::set<std::string> all(add.begin() + 2, add.end());

  auto one = Elements("*1\r\n" + h.Cmd(c, {"SRANDMEMBER", "s"}));
  REQUIRE(one.size() == 1);
  CHECK(all.count(one[0]) == 1);

  auto distinct = Elements(h.Cmd(c, {"SRANDMEMBER", "s", "40"}));
  CHECK(distinct.size() == 40);
  CHECK(std::set<std::string>(distinct.begin(), distinct.end()).size() == 40);
  auto many = Elements(h.Cmd(c, {"SRANDMEMBER", "s", "-500"}));
  CHECK(many.size() == 500);
  for (const auto& m : many) CHECK(all.count(m) == 1);
  auto whole = Elements(h.Cmd(c, {"SRANDMEMBER", "s", "1000"}));
  CHECK(std::set<std::string>(whole.begin(), whole.end()) == all);
  CHECK(h.Cmd(c, {"SRANDMEMBER", "s", "-20000000"}) == Err("ERR count is too large"));

  // SPOP small (random draws) and large (the remaining drawn, the rest popped) counts.
  std::set<std::string> popped;
  for (const char* n : {"3", "80"}) {
    auto got = Elements(h.Cmd(c, {"SPOP", "s", n}));
    CHECK(got.size() == std::stoul(n));
    for (const auto& m : got) {
      CHECK(all.count(m) == 1);
      CHECK(popped.insert(m).second);
    }
  }
  CHECK(h.Cmd(c, {"SCARD", "s"}) == Int(17));
  auto one_pop = Elements("*1\r\n" + h.Cmd(c, {"SPOP", "s"}));
  REQUIRE(one_pop.size() == 1);
  CHECK(popped.insert(one_pop[0]).second);
  auto rest = Elements(h.Cmd(c, {"SPOP", "s", "100"}));
  CHECK(rest.size() == 16);
  for (const auto& m : rest) CHECK(popped.insert(m).second);
  CHECK(popped == all);
  CHECK(h.Cmd(c, {"EXISTS", "s"}) == Int(0));
}

TEST_CASE("SPOP's rebuild makes an intset again, as Redis's new set", "[redis][sets]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "set-max-intset-entries", "4"}) == kOk);
  CHECK(h.Cmd(c, {"SADD", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}) == Int(10));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "s"}) == Bulk("hashtable"));
  CHECK(Elements(h.Cmd(c, {"SPOP", "s", "9"})).size() == 9);  // 1 remains: 1*5 <= 9
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "s"}) == Bulk("intset"));
  CHECK(h.Cmd(c, {"SCARD", "s"}) == Int(1));
  CHECK(h.Cmd(c, {"SADD", "t", "1", "2", "3", "4", "5", "6"}) == Int(6));
  CHECK(Elements(h.Cmd(c, {"SPOP", "t", "1"})).size() == 1);  // drawn: stays a hashtable
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "t"}) == Bulk("hashtable"));
}

TEST_CASE("set commands fire Redis's events in Redis's order", "[redis][sets]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  h.Cmd(c, {"HELLO", "3"});
  h.Cmd(c, {"PSUBSCRIBE", "__key*"});
  CHECK(h.Cmd(c, {"SADD", "a", "1", "2"}) == KeyEvents("a", "sadd") + Int(2));
  CHECK(h.Cmd(c, {"SADD", "a", "1"}) == Int(0));
  CHECK(h.Cmd(c, {"SREM", "a", "9"}) == Int(0));
  CHECK(h.Cmd(c, {"SMOVE", "a", "b", "1"}) ==
        KeyEvents("a", "srem") + KeyEvents("b", "sadd") + Int(1));
  CHECK(h.Cmd(c, {"SADD", "b", "2"}) == KeyEvents("b", "sadd") + Int(1));
  CHECK(h.Cmd(c, {"SMOVE", "a", "b", "2"}) ==
        KeyEvents("a", "srem") + KeyEvents("a", "del") + Int(1));  // already in b: no sadd
  CHECK(h.Cmd(c, {"SINTERSTORE", "d", "b", "b"}) == KeyEvents("d", "sinterstore") + Int(2));
  CHECK(h.Cmd(c, {"SUNIONSTORE", "d", "b", "x"}) == KeyEvents("d", "sunionstore") + Int(2));
  CHECK(h.Cmd(c, {"SDIFFSTORE", "d", "b", "b"}) == KeyEvents("d", "del") + Int(0));
  CHECK(h.Cmd(c, {"SDIFFSTORE", "d", "b", "b"}) == Int(0));
  CHECK(h.Cmd(c, {"SPOP", "b"}).find(KeyEvents("b", "spop")) == 0);
  CHECK(h.Cmd(c, {"SPOP", "b", "0"}) == "~0\r\n");
  CHECK(h.Cmd(c, {"SPOP", "b", "5"})
            .find(KeyEvents("b", "spop") + KeyEvents("b", "del") + "~1\r\n") == 0);
  CHECK(h.Cmd(c, {"SADD", "e", "x"}) == KeyEvents("e", "sadd") + Int(1));
  CHECK(h.Cmd(c, {"SREM", "e", "x", "y"}) ==
        KeyEvents("e", "srem") + KeyEvents("e", "del") + Int(1));
}

TEST_CASE("sets answer TYPE, SCAN TYPE, OBJECT ENCODING and COPY", "[redis][sets]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SADD", "s", "3", "1", "2"}) == Int(3));
  CHECK(h.Cmd(c, {"SET", "str", "v"}) == kOk);
  CHECK(h.Cmd(c, {"HSET", "h", "f", "v"}) == Int(1));
  CHECK(h.Cmd(c, {"TYPE", "s"}) == Simple("set"));
  CHECK(h.Cmd(c, {"SCAN", "0", "TYPE", "set"}) == Arr(2) + Bulk("0") + Arr(1) + Bulk("s"));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "s"}) == Bulk("intset"));
  CHECK(h.Cmd(c, {"COPY", "s", "t"}) == Int(1));
  CHECK(h.Cmd(c, {"SADD", "t", "x"}) == Int(1));  // the copy changes alone
  CHECK(h.Cmd(c, {"SMEMBERS", "s"}) == Arr(3) + Bulk("1") + Bulk("2") + Bulk("3"));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "t"}) == Bulk("hashtable"));
  for (const char* cmd : {"SINTER", "SUNION", "SDIFF", "SMEMBERS", "SCARD"}) {
    CHECK(h.Cmd(c, {cmd, "str"}) == Err("WRONGTYPE Operation against a key holding the wrong kind "
                                        "of value"));
  }
  CHECK(h.Cmd(c, {"SMOVE", "s", "h", "1"}).substr(0, 10) == "-WRONGTYPE");
  CHECK(h.Cmd(c, {"SMEMBERS", "s"}) == Arr(3) + Bulk("1") + Bulk("2") + Bulk("3"));
  CHECK(h.Cmd(c, {"GET", "s"}).substr(0, 10) == "-WRONGTYPE");
  CHECK(h.Cmd(c, {"HGET", "s", "f"}).substr(0, 10) == "-WRONGTYPE");
}

TEST_CASE("hashtable SSCAN visits every member once across calls", "[redis][sets]") {
  RedisHarness h;
  auto& c = h.Connect();
  std::vector<std::string> add = {"SADD", "s"};
  for (int i = 0; i < 1000; ++i) add.push_back("m" + std::to_string(i));
  CHECK(h.Cmd(c, add) == Int(1000));
  std::multiset<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    const std::string reply = h.Cmd(c, {"SSCAN", "s", cursor, "COUNT", "100"});
    REQUIRE(reply.substr(0, 5) == "*2\r\n$");
    const size_t len_end = reply.find("\r\n", 5);
    const size_t len = std::stoul(reply.substr(5, len_end - 5));
    cursor = reply.substr(len_end + 2, len);
    for (const auto& m : Elements(reply.substr(len_end + 4 + len))) seen.insert(m);
    ++calls;
  } while (cursor != "0" && calls < 100);
  CHECK(calls > 1);
  CHECK(seen.size() == 1000);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 1000);
}

TEST_CASE("a set renders as a JSON array for NATS gets", "[redis][sets]") {
  engine::SetValue s;
  s.Add("2", 512);
  s.Add("1", 512);
  CHECK(nats::CollectionJson(s) == "[\"1\",\"2\"]");
  s.Add("a\"b", 512);
  CHECK(nats::CollectionJson(s) == "[\"1\",\"2\",\"a\\\"b\"]");
}

}  // namespace
}  // namespace kvgate::redis::testing

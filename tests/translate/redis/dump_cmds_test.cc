// File: tests/translate/redis/dump_cmds_test.cc
// DUMP / RESTORE / MEMORY in-process: round trips of every type and encoding, TTLs, keyspace
// events, WATCH, and the decoder against hostile payloads (truncated, corrupted, huge
// lengths) given a valid footer, so that only the decoder can object: always an error reply,
// never a crash. Old forms (ziplists, text scores) come from payloads written here by hand.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "protocols/rdb/rdb_format.h"
#include "translate/redis/rdb/dump_codec.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

using namespace std::string_literals;

std::string BulkOf(const std::string& reply) {
  const size_t eol = reply.find("\r\n");
  if (reply.empty() || reply[0] != '$') return {};
  return reply.substr(eol + 2, std::stoul(reply.substr(1, eol - 1)));
}

// A payload body with a valid footer.
std::string WithFooter(std::string body) {
  rdb::AppendFooter(&body);
  return body;
}

TEST_CASE("DUMP and RESTORE round-trip every type", "[redis][dump]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "s", "hello"});
  h.Cmd(c, {"HSET", "h", "f", "1", "g", "two"});
  h.Cmd(c, {"SADD", "i", "3", "1", "2"});
  h.Cmd(c, {"SADD", "t", "a", "b"});
  h.Cmd(c, {"ZADD", "z", "1.5", "a", "-2", "b"});
  std::vector<std::string> big = {"ZADD", "big"};
  for (int i = 0; i < 300; ++i) {
    big.push_back(std::to_string(i));
    big.push_back("m" + std::to_string(i));
  }
  h.Cmd(c, big);
  for (const char* key : {"s", "h", "i", "t", "z", "big"}) {
    INFO(key);
    const std::string p = BulkOf(h.Cmd(c, {"DUMP", key}));
    REQUIRE(!p.empty());
    const std::string copy = std::string(key) + "2";
    CHECK(h.Cmd(c, {"RESTORE", copy, "0", p}) == kOk);
    CHECK(h.Cmd(c, {"TYPE", copy}) == h.Cmd(c, {"TYPE", key}));
    CHECK(h.Cmd(c, {"OBJECT", "ENCODING", copy}) == h.Cmd(c, {"OBJECT", "ENCODING", key}));
    CHECK(BulkOf(h.Cmd(c, {"DUMP", copy})) == p);
    CHECK(h.Cmd(c, {"RESTORE", copy, "0", p}) == Err("BUSYKEY Target key name already exists."));
  }
  CHECK(h.Cmd(c, {"HGETALL", "h2"}) == Arr(4) + Bulk("f") + Bulk("1") + Bulk("g") + Bulk("two"));
  CHECK(h.Cmd(c, {"ZSCORE", "z2", "a"}) == Bulk("1.5"));
  CHECK(h.Cmd(c, {"ZCARD", "big2"}) == Int(300));
  CHECK(h.Cmd(c, {"DUMP", "nokey"}) == kNil);
}

TEST_CASE("RESTORE sets TTLs, drops what is already expired, and fires restore", "[redis][dump]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "v", "x"});
  const std::string p = BulkOf(h.Cmd(c, {"DUMP", "v"}));
  CHECK(h.Cmd(c, {"RESTORE", "a", "5000", p}) == kOk);
  CHECK(h.Cmd(c, {"PTTL", "a"}) == Int(5000));
  const int64_t now = h.clock().NowMs();
  CHECK(h.Cmd(c, {"RESTORE", "b", std::to_string(now + 2000), p, "ABSTTL"}) == kOk);
  CHECK(h.Cmd(c, {"PTTL", "b"}) == Int(2000));
  CHECK(h.Cmd(c, {"RESTORE", "gone", std::to_string(now - 1), p, "ABSTTL"}) == kOk);
  CHECK(h.Cmd(c, {"EXISTS", "gone"}) == Int(0));
  h.Advance(5001);
  CHECK(h.Cmd(c, {"EXISTS", "a"}) == Int(0));

  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  h.Cmd(c, {"HELLO", "3"});
  h.Cmd(c, {"PSUBSCRIBE", "__key*"});
  CHECK(h.Cmd(c, {"RESTORE", "r", "0", p}) == KeyEvents("r", "restore") + kOk);
  CHECK(h.Cmd(c, {"RESTORE", "r", "0", p, "REPLACE"}) == KeyEvents("r", "restore") + kOk);
  CHECK(h.Cmd(c, {"RESTORE", "r", "1", p, "REPLACE", "ABSTTL"}) == KeyEvents("r", "del") + kOk);
  CHECK(h.Cmd(c, {"RESTORE", "r", "1", p, "REPLACE", "ABSTTL"}) == kOk);  // nothing to delete
}

TEST_CASE("RESTORE aborts a WATCH on its key", "[redis][dump]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& other = h.Connect();
  h.Cmd(c, {"SET", "v", "x"});
  const std::string p = BulkOf(h.Cmd(c, {"DUMP", "v"}));
  h.Cmd(c, {"WATCH", "w"});
  h.Cmd(c, {"MULTI"});
  h.Cmd(c, {"GET", "w"});
  CHECK(h.Cmd(other, {"RESTORE", "w", "0", p}) == kOk);
  CHECK(h.Cmd(c, {"EXEC"}) == "*-1\r\n");
}

TEST_CASE("RESTORE decodes old ziplist and text-score payloads", "[redis][dump]") {
  RedisHarness h;
  auto& c = h.Connect();
  // Hash ziplist {a: 1} (RDB 9).
  std::string zl = "\x10\x00\x00\x00\x0d\x00\x00\x00\x02\x00\x00\x01\x61\x03\xf2\xff"s;
  std::string body(1, static_cast<char>(rdb::kTypeHashZiplist));
  rdb::AppendString(&body, zl);
  CHECK(h.Cmd(c, {"RESTORE", "h", "0", WithFooter(body)}) == kOk);
  CHECK(h.Cmd(c, {"HGETALL", "h"}) == Arr(2) + Bulk("a") + Bulk("1"));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "h"}) == Bulk("listpack"));
  // Zset ziplist {a: 1}.
  body.assign(1, static_cast<char>(rdb::kTypeZSetZiplist));
  rdb::AppendString(&body, zl);
  CHECK(h.Cmd(c, {"RESTORE", "z", "0", WithFooter(body)}) == kOk);
  CHECK(h.Cmd(c, {"ZSCORE", "z", "a"}) == Bulk("1"));
  // RDB_TYPE_ZSET: text scores, inf.
  body.assign(1, static_cast<char>(rdb::kTypeZSet));
  rdb::AppendLen(&body, 2);
  rdb::AppendString(&body, "x");
  body +=
      "\x03"
      "2.5";
  rdb::AppendString(&body, "y");
  body += "\xfe";
  CHECK(h.Cmd(c, {"RESTORE", "t", "0", WithFooter(body)}) == kOk);
  CHECK(h.Cmd(c, {"ZSCORE", "t", "x"}) == Bulk("2.5"));
  CHECK(h.Cmd(c, {"ZSCORE", "t", "y"}) == Bulk("inf"));
  // A NaN score, duplicates and empty collections are bad data.
  body.assign(1, static_cast<char>(rdb::kTypeZSet));
  rdb::AppendLen(&body, 1);
  rdb::AppendString(&body, "x");
  body += "\xfd";
  CHECK(h.Cmd(c, {"RESTORE", "n", "0", WithFooter(body)}) == Err("ERR Bad data format"));
  body.assign(1, static_cast<char>(rdb::kTypeSet));
  rdb::AppendLen(&body, 2);
  rdb::AppendString(&body, "a");
  rdb::AppendString(&body, "a");
  CHECK(h.Cmd(c, {"RESTORE", "n", "0", WithFooter(body)}) == Err("ERR Bad data format"));
  body.assign(1, static_cast<char>(rdb::kTypeHash));
  rdb::AppendLen(&body, 0);
  CHECK(h.Cmd(c, {"RESTORE", "n", "0", WithFooter(body)}) == Err("ERR Bad data format"));
  // A length no payload could back.
  body.assign(1, static_cast<char>(rdb::kTypeSet));
  body += "\x81\x7f\xff\xff\xff\xff\xff\xff\xff"s;
  CHECK(h.Cmd(c, {"RESTORE", "n", "0", WithFooter(body)}) == Err("ERR Bad data format"));
  body.assign(1, static_cast<char>(rdb::kTypeString));
  body += "\xc3\x02\x81\x00\x00\x00\x10\x00\x00\x00\x00\x01\x61"s;  // LZF claiming 2^60 bytes
  CHECK(h.Cmd(c, {"RESTORE", "n", "0", WithFooter(body)}) == Err("ERR Bad data format"));
  CHECK(h.Cmd(c, {"EXISTS", "n"}) == Int(0));
}

TEST_CASE("Corrupted payloads with valid footers always answer an error or a value",
          "[redis][dump]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"HSET", "h", "f", "1", "g", std::string(40, 'x')});
  h.Cmd(c, {"SADD", "i", "1", "70000"});
  h.Cmd(c, {"ZADD", "z", "1", "a", "2.5", "b"});
  h.Cmd(c, {"SET", "s", std::string(100, 'q') + "r"});
  std::mt19937 rng(11);
  for (const char* key : {"h", "i", "z", "s"}) {
    const std::string p = BulkOf(h.Cmd(c, {"DUMP", key}));
    const std::string body(rdb::PayloadBody(p));
    for (size_t cut = 0; cut < body.size(); ++cut) {
      const std::string r =
          h.Cmd(c, {"RESTORE", "x", "0", WithFooter(body.substr(0, cut)), "REPLACE"});
      CHECK((r == Err("ERR Bad data format") || r == kOk));
    }
    for (int round = 0; round < 300; ++round) {
      std::string bad = body;
      bad[rng() % bad.size()] = static_cast<char>(rng());
      const std::string r = h.Cmd(c, {"RESTORE", "x", "0", WithFooter(bad), "REPLACE"});
      CHECK((r == Err("ERR Bad data format") || r == kOk));
    }
  }
}

TEST_CASE("MEMORY USAGE estimates as redis-server would", "[redis][dump]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "k", "hello world hello world hello world"});
  CHECK(h.Cmd(c, {"MEMORY", "USAGE", "k"}) == Int(96));  // redis-server 7.0.15's answer
  h.Cmd(c, {"HSET", "h", "f", "1"});
  CHECK(h.Cmd(c, {"MEMORY", "USAGE", "h"}) == Int(64));
  CHECK(h.Cmd(c, {"MEMORY", "USAGE", "nokey"}) == kNil);
  CHECK(h.Cmd(c, {"MEMORY", "USAGE", "k", "SAMPLES", "-1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"MEMORY", "USAGE"}) ==
        Err("ERR wrong number of arguments for 'memory|usage' command"));
}

}  // namespace
}  // namespace kvgate::redis::testing

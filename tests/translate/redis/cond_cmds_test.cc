// Redis 8.4 compare-and-set / compare-and-delete: DIGEST, DELEX, SET IFEQ/IFNE/IFDEQ/IFDNE.
#include <catch2/catch.hpp>

#include "translate/redis/digest.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

const std::string kBadDigest = Err("ERR must be exactly 16 hexadecimal characters");

TEST_CASE("DIGEST is XXH3-64 as 16 lower-case hex digits", "[redis][cond]") {
  CHECK(DigestHex("Hello world") == "b6acb9d84a38ff74");  // redis.io DIGEST example
  CHECK(DigestHex("").size() == 16);
  CHECK(IsValidDigest("B6ACB9D84A38FF74"));
  CHECK_FALSE(IsValidDigest("b6acb9d84a38ff7"));
  CHECK_FALSE(IsValidDigest("b6acb9d84a38ff7g"));
  CHECK(DigestMatches("Hello world", "B6acb9d84a38FF74"));
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "key1", "Hello world"});
  CHECK(h.Cmd(c, {"DIGEST", "key1"}) == Bulk("b6acb9d84a38ff74"));
  CHECK(h.Cmd(c, {"DIGEST", "nokey"}) == kNil);
  CHECK(h.Cmd(c, {"DIGEST"}) == Err("ERR wrong number of arguments for 'digest' command"));
  // Leading zeros are kept: the digest is always 16 characters.
  for (int i = 0; i < 2000; ++i) {
    std::string d = DigestHex(std::to_string(i));
    REQUIRE(d.size() == 16);
    REQUIRE(IsValidDigest(d));
  }
}

TEST_CASE("DELEX deletes unconditionally or on a value / digest condition", "[redis][cond]") {
  RedisHarness h;
  auto& c = h.Connect();
  const std::string d = DigestHex("v");
  h.Cmd(c, {"SET", "k", "v"});
  CHECK(h.Cmd(c, {"DELEX", "k", "IFEQ", "other"}) == Int(0));
  CHECK(h.Cmd(c, {"DELEX", "k", "IFNE", "v"}) == Int(0));
  CHECK(h.Cmd(c, {"DELEX", "k", "IFDNE", d}) == Int(0));
  CHECK(h.Cmd(c, {"DELEX", "k", "IFDEQ", DigestHex("x")}) == Int(0));
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v"));
  CHECK(h.Cmd(c, {"DELEX", "k", "ifeq", "v"}) == Int(1));
  CHECK(h.Cmd(c, {"EXISTS", "k"}) == Int(0));
  h.Cmd(c, {"SET", "k", "v"});
  CHECK(h.Cmd(c, {"DELEX", "k", "IFNE", "w"}) == Int(1));
  h.Cmd(c, {"SET", "k", "v"});
  std::string upper = d;
  for (char& ch : upper) ch = static_cast<char>(toupper(ch));
  CHECK(h.Cmd(c, {"DELEX", "k", "IFDEQ", upper}) == Int(1));  // case-insensitive digests
  h.Cmd(c, {"SET", "k", "v"});
  CHECK(h.Cmd(c, {"DELEX", "k", "IFDNE", DigestHex("x")}) == Int(1));
  h.Cmd(c, {"SET", "k", "v"});
  CHECK(h.Cmd(c, {"DELEX", "k"}) == Int(1));
  CHECK(h.Cmd(c, {"DELEX", "k"}) == Int(0));
  CHECK(h.Cmd(c, {"DELEX", "k", "IFEQ", "v"}) == Int(0));
  // The digest is checked once there is a value to compare it with.
  CHECK(h.Cmd(c, {"DELEX", "k", "IFDEQ", "xyz"}) == Int(0));
  h.Cmd(c, {"SET", "k", "v"});
  CHECK(h.Cmd(c, {"DELEX", "k", "IFDEQ", "xyz"}) == kBadDigest);
  CHECK(h.Cmd(c, {"DELEX", "k", "IFEQ"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"DELEX", "k", "IFXX", "v"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"DELEX", "k", "IFEQ", "v", "x"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"DELEX"}) == Err("ERR wrong number of arguments for 'delex' command"));
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v"));
  // The deletion is a Redis DEL: a tombstone with its own revision, and a "del" event.
  CHECK(h.Cmd(c, {"DELEX", "k", "IFEQ", "v"}) == Int(1));
  CHECK(h.Cmd(c, {"KV.GET", "k"}).find(Simple("DEL")) != std::string::npos);
}

TEST_CASE("SET IFEQ IFNE IFDEQ IFDNE", "[redis][cond]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "k", "v1"});
  CHECK(h.Cmd(c, {"SET", "k", "v2", "IFEQ", "nope"}) == kNil);
  CHECK(h.Cmd(c, {"SET", "k", "v2", "IFEQ", "v1"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "k", "v3", "IFNE", "v2"}) == kNil);
  CHECK(h.Cmd(c, {"SET", "k", "v3", "IFNE", "v1"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "k", "v4", "IFDEQ", DigestHex("v1")}) == kNil);
  CHECK(h.Cmd(c, {"SET", "k", "v4", "IFDEQ", DigestHex("v3")}) == kOk);
  CHECK(h.Cmd(c, {"SET", "k", "v5", "IFDNE", DigestHex("v4")}) == kNil);
  CHECK(h.Cmd(c, {"SET", "k", "v5", "IFDNE", DigestHex("v1"), "PX", "5000"}) == kOk);
  CHECK(h.Cmd(c, {"PTTL", "k"}) == Int(5000));
  // GET returns the old value whether or not the condition held.
  CHECK(h.Cmd(c, {"SET", "k", "v6", "IFEQ", "nope", "GET"}) == Bulk("v5"));
  CHECK(h.Cmd(c, {"SET", "k", "v6", "GET", "IFEQ", "v5"}) == Bulk("v5"));
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v6"));
  // A missing key: IFEQ/IFDEQ do not create it, IFNE/IFDNE do.
  CHECK(h.Cmd(c, {"SET", "m1", "x", "IFEQ", "x"}) == kNil);
  CHECK(h.Cmd(c, {"SET", "m2", "x", "IFDEQ", DigestHex("x")}) == kNil);
  CHECK(h.Cmd(c, {"EXISTS", "m1", "m2"}) == Int(0));
  CHECK(h.Cmd(c, {"SET", "m3", "x", "IFNE", "x"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "m4", "x", "IFDNE", DigestHex("x"), "GET"}) == kNil);
  CHECK(h.Cmd(c, {"MGET", "m3", "m4"}) == Arr(2) + Bulk("x") + Bulk("x"));
  // Exclusive with NX/XX and with each other; digests must be 16 hex digits.
  CHECK(h.Cmd(c, {"SET", "k", "v", "NX", "IFEQ", "v"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"SET", "k", "v", "IFEQ", "v", "XX"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"SET", "k", "v", "IFEQ", "v", "IFNE", "v"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"SET", "k", "v", "IFEQ"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"SET", "k", "v", "IFDEQ", "123"}) == kBadDigest);
  CHECK(h.Cmd(c, {"SET", "k", "v", "IFDNE", "zzzzzzzzzzzzzzzz"}) == kBadDigest);
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v6"));
}

TEST_CASE("conditions and DIGEST on a collection answer WRONGTYPE", "[redis][cond]") {
  RedisHarness h;
  auto& c = h.Connect();
  const std::string kWrong =
      Err("WRONGTYPE Operation against a key holding the wrong kind of value");
  CHECK(h.Cmd(c, {"HSET", "h", "f", "v"}) == Int(1));
  CHECK(h.Cmd(c, {"DIGEST", "h"}) == kWrong);
  CHECK(h.Cmd(c, {"SET", "h", "x", "IFEQ", "v"}) == kWrong);
  CHECK(h.Cmd(c, {"SET", "h", "x", "IFNE", "v"}) == kWrong);
  CHECK(h.Cmd(c, {"DELEX", "h", "IFEQ", "v"}) == kWrong);
  CHECK(h.Cmd(c, {"DELEX", "h", "IFDNE", "0000000000000000"}) == kWrong);
  CHECK(h.Cmd(c, {"TYPE", "h"}) == "+hash\r\n");
  CHECK(h.Cmd(c, {"DELEX", "h"}) == Int(1));  // no condition: deletes any type, as DEL
  CHECK(h.Cmd(c, {"EXISTS", "h"}) == Int(0));
}

}  // namespace
}  // namespace kvgate::redis::testing

// SWAPDB as redis-server 7.0.15: errors, data and TTLs swap for every client on either database,
// WATCHed keys that exist on either side abort EXEC (touchAllWatchedKeysInDb), no keyspace event
// and no tracking invalidation; the engine swaps the buckets, so KV.WATCH streams of both end.
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

TEST_CASE("SWAPDB errors", "[redis][swapdb]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SWAPDB", "a", "1"}) == Err("ERR invalid first DB index"));
  CHECK(h.Cmd(c, {"SWAPDB", "1", "b"}) == Err("ERR invalid second DB index"));
  CHECK(h.Cmd(c, {"SWAPDB", "01", "1"}) == Err("ERR invalid first DB index"));
  CHECK(h.Cmd(c, {"SWAPDB", "99999999999", "1"}) == Err("ERR invalid first DB index"));
  CHECK(h.Cmd(c, {"SWAPDB", "0", "16"}) == Err("ERR DB index is out of range"));
  CHECK(h.Cmd(c, {"SWAPDB", "-1", "0"}) == Err("ERR DB index is out of range"));
  CHECK(h.Cmd(c, {"SWAPDB", "16", "16"}) == Err("ERR DB index is out of range"));
  CHECK(h.Cmd(c, {"SWAPDB", "3", "3"}) == kOk);
  CHECK(h.Cmd(c, {"SWAPDB", "0"}) == Err("ERR wrong number of arguments for 'swapdb' command"));
}

TEST_CASE("SWAPDB swaps data and TTLs for clients on both databases", "[redis][swapdb]") {
  RedisHarness h;
  auto& a = h.Connect();
  auto& b = h.Connect();
  h.Cmd(a, {"SET", "k0", "zero", "EX", "100"});
  h.Cmd(b, {"SELECT", "1"});
  h.Cmd(b, {"SET", "k1", "one"});
  CHECK(h.Cmd(a, {"SWAPDB", "0", "1"}) == kOk);
  CHECK(h.Cmd(a, {"GET", "k0"}) == kNil);
  CHECK(h.Cmd(a, {"GET", "k1"}) == Bulk("one"));
  CHECK(h.Cmd(a, {"TTL", "k1"}) == Int(-1));
  CHECK(h.Cmd(b, {"GET", "k0"}) == Bulk("zero"));
  CHECK(h.Cmd(b, {"TTL", "k0"}) == Int(100));
  CHECK(h.Cmd(b, {"DBSIZE"}) == Int(1));
  // The TTL went along: it fires in db 1.
  h.Advance(101'000);
  CHECK(h.Cmd(b, {"GET", "k0"}) == kNil);
  // A database never used before swaps as an empty one.
  CHECK(h.Cmd(a, {"SWAPDB", "0", "7"}) == kOk);
  CHECK(h.Cmd(a, {"DBSIZE"}) == Int(0));
  h.Cmd(a, {"SELECT", "7"});
  CHECK(h.Cmd(a, {"GET", "k1"}) == Bulk("one"));
}

TEST_CASE("SWAPDB touches watched keys that exist on either side", "[redis][swapdb]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& w = h.Connect();
  h.Cmd(admin, {"SELECT", "1"});
  h.Cmd(admin, {"SET", "other", "v"});
  h.Cmd(admin, {"SELECT", "0"});
  h.Cmd(admin, {"SET", "mine", "v"});
  auto exec_after_swap = [&](const std::vector<std::string>& watch, const char* db) {
    h.Cmd(w, {"SELECT", db});
    h.Cmd(w, watch);
    h.Cmd(w, {"MULTI"});
    h.Cmd(w, {"PING"});
    REQUIRE(h.Cmd(admin, {"SWAPDB", "0", "1"}) == kOk);
    return h.Cmd(w, {"EXEC"});
  };
  const std::string ran = Arr(1) + Simple("PONG");
  CHECK(exec_after_swap({"WATCH", "other"}, "0") == "*-1\r\n");  // comes in from db 1
  CHECK(exec_after_swap({"WATCH", "other"}, "0") == "*-1\r\n");  // goes out to db 1
  CHECK(exec_after_swap({"WATCH", "nothere"}, "0") == ran);      // absent on both sides
  CHECK(exec_after_swap({"WATCH", "mine"}, "1") == "*-1\r\n");
  CHECK(exec_after_swap({"WATCH", "mine"}, "2") == ran);  // another database
  // After the swap the watch stays on the database number (Redis: watched_keys do not move).
  h.Cmd(w, {"SELECT", "0"});
  h.Cmd(w, {"WATCH", "nothere"});
  REQUIRE(h.Cmd(admin, {"SWAPDB", "0", "1"}) == kOk);
  h.Cmd(w, {"MULTI"});
  h.Cmd(w, {"PING"});
  h.Cmd(admin, {"SET", "nothere", "now"});  // admin is on db 0
  CHECK(h.Cmd(w, {"EXEC"}) == "*-1\r\n");
}

TEST_CASE("SWAPDB fires no keyspace event and no tracking invalidation", "[redis][swapdb]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& sub = h.Connect();
  auto& t = h.Connect();
  h.Cmd(admin, {"SET", "k", "v"});
  h.Cmd(admin, {"CONFIG", "SET", "notify-keyspace-events", "KEA"});
  h.Cmd(sub, {"PSUBSCRIBE", "*"});
  h.Cmd(t, {"HELLO", "3"});
  h.Cmd(t, {"CLIENT", "TRACKING", "ON"});
  CHECK(h.Cmd(t, {"GET", "k"}) == Bulk("v"));
  CHECK(h.Cmd(admin, {"SWAPDB", "0", "1"}) == kOk);
  h.Pump();
  CHECK(h.Take(sub) == "");
  CHECK(h.Take(t) == "");
  CHECK(h.Cmd(t, {"GET", "k"}) == kNull3);
}

TEST_CASE("SWAPDB ends KV.WATCH streams of both buckets", "[redis][swapdb]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& w = h.Connect();
  h.Cmd(admin, {"SET", "k", "v"});
  h.Cmd(w, {"HELLO", "3"});
  h.Cmd(w, {"KV.WATCH", "*"});
  h.Take(w);
  CHECK(h.Cmd(admin, {"SWAPDB", "0", "1"}) == kOk);
  h.Pump();
  CHECK(h.Take(w) == ">2\r\n" + Bulk("kv-error") + Bulk("BUCKETDELETED the bucket was deleted"));
  CHECK(h.Cmd(w, {"GET", "k"}) == kNull3);
}

TEST_CASE("SWAPDB inside MULTI", "[redis][swapdb]") {
  RedisHarness h;
  auto& a = h.Connect();
  h.Cmd(a, {"SET", "k", "v"});
  CHECK(h.Cmd(a, {"MULTI"}) == kOk);
  h.Cmd(a, {"SWAPDB", "0", "1"});
  h.Cmd(a, {"GET", "k"});
  CHECK(h.Cmd(a, {"EXEC"}) == Arr(2) + kOk + kNil);
}

}  // namespace
}  // namespace kvgate::redis::testing

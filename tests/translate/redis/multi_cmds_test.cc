// MULTI / EXEC / DISCARD / WATCH (specs/resp-subset.md §7), including changes by another
// session, by expiry and by a direct engine write (as the NATS front would make).
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

const std::string kQueued = "+QUEUED\r\n";

TEST_CASE("MULTI queues and EXEC runs", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "a", "1"}) == kQueued);
  CHECK(h.Cmd(c, {"INCR", "a"}) == kQueued);
  CHECK(h.Cmd(c, {"GET", "a"}) == kQueued);
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(3) + kOk + Int(2) + Bulk("2"));
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(0));
  CHECK(h.Cmd(c, {"EXEC"}) == Err("ERR EXEC without MULTI"));
  CHECK(h.Cmd(c, {"DISCARD"}) == Err("ERR DISCARD without MULTI"));
}

TEST_CASE("MULTI errors: nesting, run-time errors, EXECABORT", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"MULTI"}) == Err("ERR MULTI calls can not be nested"));
  CHECK(h.Cmd(c, {"SET", "x", "1", "NX", "XX"}) == kQueued);
  CHECK(h.Cmd(c, {"SET", "y", "1"}) == kQueued);
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(2) + Err("ERR syntax error") + kOk);
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "x"}) == Err("ERR wrong number of arguments for 'set' command"));
  CHECK(h.Cmd(c, {"NOSUCH"}) == Err("ERR unknown command 'NOSUCH', with args beginning with: "));
  CHECK(h.Cmd(c, {"SET", "z", "1"}) == kQueued);
  CHECK(h.Cmd(c, {"EXEC"}) == Err("EXECABORT Transaction discarded because of previous errors."));
  CHECK(h.Cmd(c, {"EXISTS", "z"}) == Int(0));
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"WATCH", "x"}) == Err("ERR WATCH inside MULTI is not allowed"));
  CHECK(h.Cmd(c, {"DISCARD"}) == kOk);
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"EXEC", "x"}) == Err("EXECABORT Transaction discarded because of: wrong number "
                                       "of arguments for 'exec' command"));
  CHECK(h.Cmd(c, {"EXEC"}) == Err("ERR EXEC without MULTI"));
  CHECK(h.Cmd(c, {"MULTI", "x"}) == Err("ERR wrong number of arguments for 'multi' command"));
  CHECK(h.Cmd(c, {"DISCARD", "x"}) == Err("ERR wrong number of arguments for 'discard' command"));
  CHECK(h.Cmd(c, {"UNWATCH", "x"}) == Err("ERR wrong number of arguments for 'unwatch' command"));
  CHECK(h.Cmd(c, {"WATCH"}) == Err("ERR wrong number of arguments for 'watch' command"));
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"PING"}) == kQueued);
  CHECK(h.Cmd(c, {"ECHO", "e"}) == kQueued);
  CHECK(h.Cmd(c, {"SELECT", "1"}) == kQueued);
  CHECK(h.Cmd(c, {"DBSIZE"}) == kQueued);
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(4) + "+PONG\r\n" + Bulk("e") + kOk + Int(0));
  CHECK(h.Cmd(c, {"SET", "in1", "v"}) == kOk);  // SELECT inside EXEC stuck
  CHECK(h.engine().FindBucket("db1")->Get("in1").ok());
}

TEST_CASE("WATCH: changes by the same client before MULTI abort EXEC", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "w", "1"}) == kOk);
  CHECK(h.Cmd(c, {"WATCH", "w"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "w", "2"}) == kOk);
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "w"}) == kQueued);
  CHECK(h.Cmd(c, {"EXEC"}) == "*-1\r\n");
  // Reads do not count; EXEC clears the watches.
  CHECK(h.Cmd(c, {"WATCH", "w"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "w"}) == Bulk("2"));
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "w"}) == kQueued);
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(1) + Bulk("2"));
  // Giving a key a TTL counts.
  CHECK(h.Cmd(c, {"WATCH", "w"}) == kOk);
  CHECK(h.Cmd(c, {"EXPIRE", "w", "100"}) == Int(1));
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"EXEC"}) == "*-1\r\n");
  // Creating a watched key counts.
  CHECK(h.Cmd(c, {"WATCH", "nokey"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "nokey", "1"}) == kOk);
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"EXEC"}) == "*-1\r\n");
  // FLUSHDB counts for watched keys that existed.
  CHECK(h.Cmd(c, {"WATCH", "w"}) == kOk);
  CHECK(h.Cmd(c, {"FLUSHDB"}) == kOk);
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"EXEC"}) == "*-1\r\n");
  CHECK(h.Cmd(c, {"WATCH", "absent"}) == kOk);
  CHECK(h.Cmd(c, {"FLUSHALL"}) == kOk);
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(0));
  // UNWATCH forgets.
  CHECK(h.Cmd(c, {"WATCH", "u"}) == kOk);
  CHECK(h.Cmd(c, {"UNWATCH"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "u", "1"}) == kOk);
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(0));
}

TEST_CASE("WATCH sees another session, expiry and non-Redis writers", "[redis]") {
  RedisHarness h;
  auto& a = h.Connect();
  auto& b = h.Connect();
  CHECK(h.Cmd(a, {"SET", "k", "1"}) == kOk);
  CHECK(h.Cmd(a, {"WATCH", "k"}) == kOk);
  CHECK(h.Cmd(a, {"MULTI"}) == kOk);
  CHECK(h.Cmd(a, {"INCR", "k"}) == kQueued);
  CHECK(h.Cmd(b, {"SET", "k", "5"}) == kOk);
  CHECK(h.Cmd(a, {"EXEC"}) == "*-1\r\n");
  CHECK(h.Cmd(a, {"GET", "k"}) == Bulk("5"));

  // Another database's key of the same name is a different key.
  CHECK(h.Cmd(a, {"WATCH", "k"}) == kOk);
  CHECK(h.Cmd(b, {"SELECT", "1"}) == kOk);
  CHECK(h.Cmd(b, {"SET", "k", "other db"}) == kOk);
  CHECK(h.Cmd(a, {"MULTI"}) == kOk);
  CHECK(h.Cmd(a, {"EXEC"}) == Arr(0));

  // Expiry between WATCH and EXEC.
  CHECK(h.Cmd(a, {"SET", "t", "v", "PX", "50"}) == kOk);
  CHECK(h.Cmd(a, {"WATCH", "t"}) == kOk);
  h.clock().AdvanceMs(60);
  CHECK(h.Cmd(a, {"MULTI"}) == kOk);
  CHECK(h.Cmd(a, {"EXEC"}) == "*-1\r\n");

  // A write straight to the engine (the NATS front's path).
  CHECK(h.Cmd(a, {"WATCH", "k"}) == kOk);
  REQUIRE(h.engine().FindBucket("db0")->Put("k", "from nats", {}).ok());
  CHECK(h.Cmd(a, {"MULTI"}) == kOk);
  CHECK(h.Cmd(a, {"EXEC"}) == "*-1\r\n");

  // RESP3 null for an aborted EXEC.
  h.Cmd(a, {"HELLO", "3"});
  CHECK(h.Cmd(a, {"WATCH", "k"}) == kOk);
  CHECK(h.Cmd(b, {"SELECT", "0"}) == kOk);
  CHECK(h.Cmd(b, {"DEL", "k"}) == Int(1));
  CHECK(h.Cmd(a, {"MULTI"}) == kOk);
  CHECK(h.Cmd(a, {"EXEC"}) == kNull3);
}

TEST_CASE("closing a watching session unregisters it", "[redis]") {
  RedisHarness h;
  auto& a = h.Connect();
  auto& b = h.Connect();
  CHECK(h.Cmd(a, {"WATCH", "k"}) == kOk);
  h.Close(a);
  CHECK(h.front().watches().empty());
  CHECK(h.Cmd(b, {"SET", "k", "1"}) == kOk);
}

}  // namespace
}  // namespace kvgate::redis::testing

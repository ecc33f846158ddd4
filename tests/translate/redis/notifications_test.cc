// Keyspace notifications: flags, channels, events from commands, expiry and non-Redis writers.
#include <catch2/catch.hpp>

#include "translate/redis/notifications.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

TEST_CASE("notify-keyspace-events flags parse and print like Redis", "[redis]") {
  uint32_t f = 0;
  CHECK(ParseKeyspaceEvents("KEA", &f));
  CHECK(FormatKeyspaceEvents(f) == "AKE");
  CHECK(ParseKeyspaceEvents("Kx$g", &f));
  CHECK(FormatKeyspaceEvents(f) == "g$xK");
  CHECK(ParseKeyspaceEvents("", &f));
  CHECK(FormatKeyspaceEvents(f).empty());
  CHECK_FALSE(ParseKeyspaceEvents("KZ", &f));
}

TEST_CASE("commands fire their Redis events, in Redis's order", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  h.Cmd(c, {"HELLO", "3"});
  h.Cmd(c, {"PSUBSCRIBE", "__key*"});
  CHECK(h.Cmd(c, {"SET", "k", "v"}) == KeyEvents("k", "set") + kOk);
  CHECK(h.Cmd(c, {"INCR", "n"}) == KeyEvents("n", "incrby") + Int(1));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "n", "1.5"}) == KeyEvents("n", "incrbyfloat") + Bulk("2.5"));
  CHECK(h.Cmd(c, {"APPEND", "k", "x"}) == KeyEvents("k", "append") + Int(2));
  CHECK(h.Cmd(c, {"SETRANGE", "k", "0", "y"}) == KeyEvents("k", "setrange") + Int(2));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "100"}) == Int(1) + KeyEvents("k", "expire"));
  CHECK(h.Cmd(c, {"PERSIST", "k"}) == KeyEvents("k", "persist") + Int(1));
  CHECK(h.Cmd(c, {"RENAME", "k", "k2"}) ==
        KeyEvents("k", "rename_from") + KeyEvents("k2", "rename_to") + kOk);
  CHECK(h.Cmd(c, {"DEL", "k2", "nothere"}) == KeyEvents("k2", "del") + Int(1));
  CHECK(h.Cmd(c, {"COPY", "n", "n2"}) == KeyEvents("n2", "copy_to") + Int(1));
  CHECK(h.Cmd(c, {"GETSET", "n", "1"}) == Bulk("2.5") + KeyEvents("n", "set"));
  CHECK(h.Cmd(c, {"SET", "e", "v", "EX", "10"}) ==
        KeyEvents("e", "set") + KeyEvents("e", "expire") + kOk);
  CHECK(h.Cmd(c, {"EXPIRE", "e", "0"}) == KeyEvents("e", "del") + Int(1));
}

TEST_CASE("expiry and other writers' changes are notified", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  auto& sub = h.Connect();
  h.Cmd(sub, {"HELLO", "3"});
  h.Cmd(sub, {"PSUBSCRIBE", "__key*"});
  // Lazy expiry when the key is touched.
  CHECK(h.Cmd(c, {"SET", "t", "v", "PX", "10"}) == kOk);
  h.Take(sub);
  h.clock().AdvanceMs(10);
  CHECK(h.Cmd(c, {"GET", "t"}) == kNil);
  CHECK(h.Take(sub) == KeyEvents("t", "expired"));
  // Active expiry from the engine's sweep.
  CHECK(h.Cmd(c, {"SET", "u", "v", "PX", "10"}) == kOk);
  h.Take(sub);
  h.clock().AdvanceMs(10);
  while (h.engine().Tick()) {
  }
  CHECK(h.Take(sub) == KeyEvents("u", "expired"));
  // A put and a delete straight into the engine (e.g. from a NATS client).
  engine::Bucket* db0 = h.engine().FindBucket("db0");
  REQUIRE(db0->Put("nk", "v", {}).ok());
  CHECK(h.Take(sub) == KeyEvents("nk", "set"));
  REQUIRE(db0->Delete("nk", {}).ok());
  CHECK(h.Take(sub) == KeyEvents("nk", "del"));
  // Other databases use their own index; buckets not backing a database are silent.
  h.Cmd(c, {"SELECT", "5"});
  CHECK(h.Cmd(c, {"SET", "five", "v"}) == kOk);
  CHECK(h.Take(sub) == KeyEvents("five", "set", 5));
  REQUIRE(h.engine().CreateBucket("other", {}).ok());
  REQUIRE(h.engine().FindBucket("other")->Put("x", "v", {}).ok());
  CHECK(h.Take(sub).empty());
  // Classes filter: only expired events.
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "Ex"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "x", "v", "PX", "5"}) == kOk);
  CHECK(h.Take(sub).empty());
  h.clock().AdvanceMs(5);
  CHECK(h.Cmd(c, {"EXISTS", "x"}) == Int(0));
  CHECK(h.Take(sub) == KeyEventPush("__keyevent@5__:expired", "x"));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", ""}) == kOk);
  CHECK(h.Cmd(c, {"SET", "y", "v"}) == kOk);
  CHECK(h.Take(sub).empty());
}

}  // namespace
}  // namespace kvgate::redis::testing

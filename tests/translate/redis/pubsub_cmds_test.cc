// Pub/Sub between sessions, RESP2 subscribed mode, RESP3 push frames, output limits.
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string Msg(std::string_view ch, std::string_view m, char type = '*') {
  return std::string(1, type) + "3\r\n" + Bulk("message") + Bulk(ch) + Bulk(m);
}
std::string PMsg(std::string_view p, std::string_view ch, std::string_view m, char type = '*') {
  return std::string(1, type) + "4\r\n" + Bulk("pmessage") + Bulk(p) + Bulk(ch) + Bulk(m);
}

TEST_CASE("SUBSCRIBE / PUBLISH between two sessions (RESP2)", "[redis]") {
  RedisHarness h;
  auto& sub = h.Connect();
  auto& pub = h.Connect();
  CHECK(h.Cmd(pub, {"PUBLISH", "ch", "m"}) == Int(0));
  CHECK(h.Cmd(sub, {"SUBSCRIBE", "a", "b"}) == Sub("subscribe", "a", 1) + Sub("subscribe", "b", 2));
  CHECK(h.Cmd(sub, {"PSUBSCRIBE", "a*"}) == Sub("psubscribe", "a*", 3));
  int flushes = sub.transport->flushes_scheduled;
  CHECK(h.Cmd(pub, {"PUBLISH", "a", "hello"}) == Int(2));
  CHECK(h.Take(sub) == Msg("a", "hello") + PMsg("a*", "a", "hello"));
  CHECK(sub.transport->flushes_scheduled > flushes);
  CHECK(h.Cmd(pub, {"PUBLISH", "b", std::string("bin\0", 4)}) == Int(1));
  CHECK(h.Take(sub) == Msg("b", std::string("bin\0", 4)));
  CHECK(h.Cmd(pub, {"PUBSUB", "NUMSUB", "a", "zz"}) ==
        Arr(4) + Bulk("a") + Int(1) + Bulk("zz") + Int(0));
  CHECK(h.Cmd(pub, {"PUBSUB", "NUMPAT"}) == Int(1));
  CHECK(h.Cmd(pub, {"PUBSUB", "CHANNELS", "b*"}) == Arr(1) + Bulk("b"));
  CHECK(h.Cmd(pub, {"PUBSUB", "CHANNELS"}).substr(0, 4) == Arr(2));
  // Subscribed mode allows only a few commands in RESP2.
  CHECK(h.Cmd(sub, {"GET", "x"}) ==
        Err("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
            "are allowed in this context"));
  CHECK(h.Cmd(sub, {"CONFIG", "GET", "x"}) ==
        Err("ERR Can't execute 'config|get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT "
            "/ RESET are allowed in this context"));
  CHECK(h.Cmd(sub, {"PING"}) == Arr(2) + Bulk("pong") + Bulk(""));
  CHECK(h.Cmd(sub, {"PING", "x"}) == Arr(2) + Bulk("pong") + Bulk("x"));
  CHECK(h.Cmd(sub, {"UNSUBSCRIBE", "nope"}) == Sub("unsubscribe", "nope", 3));
  CHECK(h.Cmd(sub, {"UNSUBSCRIBE", "a"}) == Sub("unsubscribe", "a", 2));
  CHECK(h.Cmd(sub, {"PUNSUBSCRIBE"}) == Sub("punsubscribe", "a*", 1));
  CHECK(h.Cmd(sub, {"UNSUBSCRIBE"}) == Sub("unsubscribe", "b", 0));
  CHECK(h.Cmd(sub, {"UNSUBSCRIBE"}) == Arr(3) + Bulk("unsubscribe") + kNil + Int(0));
  CHECK(h.Cmd(sub, {"PUNSUBSCRIBE"}) == Arr(3) + Bulk("punsubscribe") + kNil + Int(0));
  CHECK(h.Cmd(sub, {"GET", "x"}) == kNil);  // normal again
  CHECK(h.Cmd(sub, {"SUBSCRIBE"}) == Err("ERR wrong number of arguments for 'subscribe' command"));
  CHECK(h.Cmd(sub, {"PUBLISH", "ch"}) ==
        Err("ERR wrong number of arguments for 'publish' command"));
}

TEST_CASE("RESP3 subscribers get push frames and keep running commands", "[redis]") {
  RedisHarness h;
  auto& sub = h.Connect();
  auto& pub = h.Connect();
  h.Cmd(sub, {"HELLO", "3"});
  CHECK(h.Cmd(sub, {"SUBSCRIBE", "c"}) == Sub("subscribe", "c", 1, '>'));
  CHECK(h.Cmd(sub, {"GET", "k"}) == kNull3);
  CHECK(h.Cmd(sub, {"PING"}) == "+PONG\r\n");
  CHECK(h.Cmd(pub, {"PUBLISH", "c", "m"}) == Int(1));
  CHECK(h.Take(sub) == Msg("c", "m", '>'));
  // A client publishing to its own channel gets the message before the PUBLISH reply.
  CHECK(h.Cmd(sub, {"PUBLISH", "c", "self"}) == Msg("c", "self", '>') + Int(1));
  CHECK(h.Cmd(sub, {"UNSUBSCRIBE", "c"}) == Sub("unsubscribe", "c", 0, '>'));
  CHECK(h.Cmd(sub, {"UNSUBSCRIBE"}) == ">3\r\n" + Bulk("unsubscribe") + kNull3 + Int(0));
}

TEST_CASE("closed subscribers are removed; slow subscribers are cut off", "[redis]") {
  RedisConfig cfg;
  cfg.pubsub_output_limit = {1000, 500, 60};
  RedisHarness h(cfg);
  auto& sub = h.Connect();
  auto& slow = h.Connect();
  auto& pub = h.Connect();
  h.Cmd(sub, {"SUBSCRIBE", "c"});
  h.Cmd(slow, {"SUBSCRIBE", "c"});
  h.Close(sub);
  CHECK(h.Cmd(pub, {"PUBLISH", "c", "x"}) == Int(1));
  // Hard limit: the client is closed before the loop next polls (RunPending).
  CHECK(h.Cmd(pub, {"PUBLISH", "c", std::string(2000, 'x')}) == Int(1));
  CHECK(slow.transport->closed_now);
  CHECK(slow.closed);
  CHECK(h.front().pubsub().NumSubscribers("c") == 0);
  CHECK(h.Cmd(pub, {"PUBLISH", "c", "y"}) == Int(0));

  // Soft limit: over it for longer than soft_seconds.
  auto& soft = h.Connect();
  h.Cmd(soft, {"SUBSCRIBE", "c"});
  soft.transport->extra_pending = 600;
  CHECK(h.Cmd(pub, {"PUBLISH", "c", "z"}) == Int(1));
  h.front().Tick();
  CHECK_FALSE(soft.transport->closed_now);
  h.clock().AdvanceMs(61'000);
  h.front().Tick();
  h.front().RunPending();
  CHECK(soft.transport->closed_now);
}

}  // namespace
}  // namespace kvgate::redis::testing

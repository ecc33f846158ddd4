// Sharded pub/sub on one node (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, PUBSUB SHARDCHANNELS /
// SHARDNUMSUB) as a standalone redis-server 7.0.15 answers: its own namespace and count, RESP2
// subscribed mode, RESP3 pushes, CLIENT LIST ssub=, RESET and close, CLIENT PAUSE WRITE.
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string SMsg(std::string_view ch, std::string_view m, char type = '*') {
  return std::string(1, type) + "3\r\n" + Bulk("smessage") + Bulk(ch) + Bulk(m);
}
bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("SSUBSCRIBE / SPUBLISH: shard channels count apart from channels", "[redis][pubsub]") {
  RedisHarness h;
  auto& sub = h.Connect();
  auto& pub = h.Connect();
  CHECK(h.Cmd(sub, {"SSUBSCRIBE", "a", "b", "a"}) ==
        Sub("ssubscribe", "a", 1) + Sub("ssubscribe", "b", 2) + Sub("ssubscribe", "a", 2));
  // (P)SUBSCRIBE counts channels and patterns only; SSUBSCRIBE shard channels only.
  CHECK(h.Cmd(sub, {"SUBSCRIBE", "a"}) == Sub("subscribe", "a", 1));
  CHECK(h.Cmd(sub, {"PSUBSCRIBE", "*"}) == Sub("psubscribe", "*", 2));
  CHECK(h.Cmd(sub, {"SSUBSCRIBE", "c"}) == Sub("ssubscribe", "c", 3));
  // SPUBLISH reaches shard subscribers only, PUBLISH never reaches them.
  CHECK(h.Cmd(pub, {"SPUBLISH", "a", "m1"}) == Int(1));
  CHECK(h.Take(sub) == SMsg("a", "m1"));
  CHECK(h.Cmd(pub, {"PUBLISH", "b", "m2"}) == Int(1));  // the pattern only
  CHECK(h.Take(sub) == "*4\r\n" + Bulk("pmessage") + Bulk("*") + Bulk("b") + Bulk("m2"));
  CHECK(h.Cmd(pub, {"SPUBLISH", "zz", "m"}) == Int(0));
  CHECK(h.Cmd(pub, {"PUBSUB", "SHARDNUMSUB", "a", "zz"}) ==
        Arr(4) + Bulk("a") + Int(1) + Bulk("zz") + Int(0));
  CHECK(h.Cmd(pub, {"PUBSUB", "SHARDCHANNELS", "[ab]"}).substr(0, 4) == Arr(2));
  CHECK(h.Cmd(pub, {"PUBSUB", "SHARDCHANNELS", "c"}) == Arr(1) + Bulk("c"));
  CHECK(h.Cmd(pub, {"PUBSUB", "SHARDCHANNELS"}).substr(0, 4) == Arr(3));
  CHECK(h.Cmd(pub, {"PUBSUB", "NUMSUB", "c"}) == Arr(2) + Bulk("c") + Int(0));
  CHECK(h.Cmd(pub, {"PUBSUB", "CHANNELS"}) == Arr(1) + Bulk("a"));
  CHECK(h.Cmd(pub, {"PUBSUB", "shardCHANNELS", "a", "b"}) ==
        Err("ERR unknown subcommand or wrong number of arguments for 'shardCHANNELS'. Try "
            "PUBSUB HELP."));
  CHECK(Has(h.Cmd(pub, {"INFO", "stats"}), "pubsubshard_channels:3\r\n"));
  CHECK(Has(h.Cmd(pub, {"CLIENT", "LIST"}), "flags=P db=0 sub=1 psub=1 ssub=3 "));
  // RESP2 subscribed mode: SSUBSCRIBE / SUNSUBSCRIBE allowed, SPUBLISH not.
  CHECK(h.Cmd(sub, {"SPUBLISH", "a", "x"}) ==
        Err("ERR Can't execute 'spublish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT "
            "/ RESET are allowed in this context"));
  CHECK(h.Cmd(sub, {"SUNSUBSCRIBE", "a", "nope"}) ==
        Sub("sunsubscribe", "a", 2) + Sub("sunsubscribe", "nope", 2));
  CHECK(h.Cmd(sub, {"UNSUBSCRIBE"}) == Sub("unsubscribe", "a", 1));
  CHECK(h.Cmd(sub, {"PUNSUBSCRIBE"}) == Sub("punsubscribe", "*", 0));
  // Shard channels alone keep the client in subscribed mode.
  CHECK(h.Cmd(sub, {"PING"}) == Arr(2) + Bulk("pong") + Bulk(""));
  CHECK(h.Cmd(sub, {"SUNSUBSCRIBE"}) == Sub("sunsubscribe", "b", 1) + Sub("sunsubscribe", "c", 0));
  CHECK(h.Cmd(sub, {"SUNSUBSCRIBE"}) == Arr(3) + Bulk("sunsubscribe") + kNil + Int(0));
  CHECK(h.Cmd(sub, {"PING"}) == "+PONG\r\n");
  CHECK(h.Cmd(pub, {"PUBSUB", "SHARDCHANNELS"}) == Arr(0));
  CHECK(h.Cmd(sub, {"SSUBSCRIBE"}) ==
        Err("ERR wrong number of arguments for 'ssubscribe' command"));
  CHECK(h.Cmd(sub, {"SPUBLISH", "a"}) ==
        Err("ERR wrong number of arguments for 'spublish' command"));
}

TEST_CASE("RESP3 shard subscribers get push frames", "[redis][pubsub]") {
  RedisHarness h;
  auto& sub = h.Connect();
  h.Cmd(sub, {"HELLO", "3"});
  CHECK(h.Cmd(sub, {"SSUBSCRIBE", "c"}) == Sub("ssubscribe", "c", 1, '>'));
  CHECK(h.Cmd(sub, {"GET", "k"}) == kNull3);
  // Publishing to its own shard channel: the message comes before the reply.
  CHECK(h.Cmd(sub, {"SPUBLISH", "c", "self"}) == SMsg("c", "self", '>') + Int(1));
  CHECK(h.Cmd(sub, {"PUBSUB", "SHARDNUMSUB", "c"}) == Arr(2) + Bulk("c") + Int(1));
  CHECK(h.Cmd(sub, {"SUNSUBSCRIBE"}) == Sub("sunsubscribe", "c", 0, '>'));
  CHECK(h.Cmd(sub, {"SUNSUBSCRIBE"}) == ">3\r\n" + Bulk("sunsubscribe") + kNull3 + Int(0));
}

TEST_CASE("SSUBSCRIBE is refused inside EXEC, SUBSCRIBE is not", "[redis][pubsub]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"MULTI"});
  h.Cmd(c, {"SSUBSCRIBE", "a"});
  h.Cmd(c, {"SUBSCRIBE", "b"});
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(2) +
                                  Err("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client") +
                                  Sub("subscribe", "b", 1));
}

TEST_CASE("RESET and close leave shard channels", "[redis][pubsub]") {
  RedisHarness h;
  auto& a = h.Connect();
  auto& b = h.Connect();
  auto& pub = h.Connect();
  h.Cmd(a, {"SSUBSCRIBE", "x"});
  h.Cmd(b, {"SSUBSCRIBE", "x", "y"});
  CHECK(h.Cmd(pub, {"PUBSUB", "SHARDNUMSUB", "x"}) == Arr(2) + Bulk("x") + Int(2));
  CHECK(h.Cmd(a, {"RESET"}) == Simple("RESET"));
  CHECK(h.Cmd(a, {"GET", "k"}) == kNil);  // out of subscribed mode
  h.Close(b);
  CHECK(h.Cmd(pub, {"SPUBLISH", "x", "m"}) == Int(0));
  CHECK(h.Cmd(pub, {"PUBSUB", "SHARDCHANNELS"}) == Arr(0));
}

TEST_CASE("CLIENT PAUSE WRITE holds SPUBLISH", "[redis][pubsub]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& sub = h.Connect();
  auto& pub = h.Connect();
  h.Cmd(sub, {"SSUBSCRIBE", "ch"});
  CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "1000", "WRITE"}) == kOk);
  CHECK(h.Cmd(pub, {"SPUBLISH", "ch", "m"}) == "");  // may replicate: held as PUBLISH is
  CHECK(h.Take(sub) == "");
  CHECK(h.Cmd(admin, {"PUBSUB", "SHARDNUMSUB", "ch"}) == Arr(2) + Bulk("ch") + Int(1));
  h.Advance(1001);
  CHECK(h.Take(pub) == Int(1));
  CHECK(h.Take(sub) == SMsg("ch", "m"));
}

TEST_CASE("PUBSUB HELP lists the shard subcommands", "[redis][pubsub]") {
  RedisHarness h;
  auto& c = h.Connect();
  std::string help = h.Cmd(c, {"PUBSUB", "HELP"});
  CHECK(help.substr(0, 5) == "*14\r\n");
  CHECK(Has(help, "+SHARDNUMSUB [<shardchannel> ...]\r\n"));
  CHECK(Has(help, "+    Prints this help.\r\n"));
}

}  // namespace
}  // namespace kvgate::redis::testing

// Server commands: DBSIZE, FLUSHDB/FLUSHALL, INFO, COMMAND, CONFIG, TIME.
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

TEST_CASE("DBSIZE and FLUSHDB / FLUSHALL", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"DBSIZE"}) == Int(0));
  CHECK(h.Cmd(c, {"MSET", "a", "1", "b", "2"}) == kOk);
  CHECK(h.Cmd(c, {"DBSIZE"}) == Int(2));
  CHECK(h.Cmd(c, {"SELECT", "3"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "x", "1"}) == kOk);
  CHECK(h.Cmd(c, {"DBSIZE"}) == Int(1));
  CHECK(h.Cmd(c, {"FLUSHDB"}) == kOk);
  CHECK(h.Cmd(c, {"DBSIZE"}) == Int(0));
  CHECK(h.Cmd(c, {"SELECT", "0"}) == kOk);
  CHECK(h.Cmd(c, {"DBSIZE"}) == Int(2));
  CHECK(h.Cmd(c, {"FLUSHALL", "ASYNC"}) == kOk);
  CHECK(h.Cmd(c, {"DBSIZE"}) == Int(0));
  CHECK(h.Cmd(c, {"GET", "a"}) == kNil);
  CHECK(h.Cmd(c, {"FLUSHDB", "FOO"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"FLUSHALL", "a", "b"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"FLUSHDB", "sync"}) == kOk);
}

}  // namespace
}  // namespace kvgate::redis::testing

namespace kvgate::redis::testing {
namespace {

// The body of a bulk / verbatim reply.
std::string Body(const std::string& reply) {
  std::string body = reply.substr(reply.find("\r\n") + 2);
  body.resize(body.size() - 2);
  if (reply[0] == '=') body = body.substr(4);
  return body;
}

TEST_CASE("INFO sections", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  std::string all = Body(h.Cmd(c, {"INFO"}));
  CHECK(all.substr(0, 32) == "# Server\r\nredis_version:7.0.15\r\n");
  CHECK(all.find("\r\n\r\n# Clients\r\n") != std::string::npos);
  CHECK(all.find("loading:0\r\n") != std::string::npos);
  CHECK(all.substr(all.size() - 12) == "# Keyspace\r\n");
  CHECK(h.Cmd(c, {"INFO", "nosuchsection"}) == "$0\r\n\r\n");
  h.Cmd(c, {"SET", "a", "1"});
  h.Cmd(c, {"SET", "b", "1", "EX", "100"});
  CHECK(Body(h.Cmd(c, {"INFO", "KEYSPACE"})) == "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n");
  std::string two = Body(h.Cmd(c, {"INFO", "server", "clients"}));
  CHECK(two.find("# Server\r\n") == 0);
  CHECK(two.find("\r\n\r\n# Clients\r\nconnected_clients:1\r\n") != std::string::npos);
  CHECK(two.find("# Memory") == std::string::npos);
  h.Cmd(c, {"HELLO", "3"});
  std::string v = h.Cmd(c, {"INFO", "keyspace"});
  CHECK(v.substr(0, 1) == "=");
  CHECK(v.find("txt:# Keyspace\r\n") != std::string::npos);
}

TEST_CASE("CONFIG GET / SET", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "GET", "save"}) == Arr(2) + Bulk("save") + Bulk(""));
  CHECK(h.Cmd(c, {"CONFIG", "GET", "appendonly", "save"}) ==
        Arr(4) + Bulk("appendonly") + Bulk("no") + Bulk("save") + Bulk(""));
  CHECK(h.Cmd(c, {"CONFIG", "GET", "databases"}) == Arr(2) + Bulk("databases") + Bulk("16"));
  CHECK(h.Cmd(c, {"CONFIG", "GET", "nosuch"}) == Arr(0));
  CHECK(h.Cmd(c, {"CONFIG", "GET", "MAXMEM*"}).find("maxmemory-policy") != std::string::npos);
  CHECK(h.Cmd(c, {"CONFIG", "GET"}) ==
        Err("ERR wrong number of arguments for 'config|get' command"));
  CHECK(h.Cmd(c, {"CONFIG"}) == Err("ERR wrong number of arguments for 'config' command"));
  CHECK(h.Cmd(c, {"CONFIG", "NOSUCH"}) == Err("ERR unknown subcommand 'NOSUCH'. Try CONFIG HELP."));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  CHECK(h.Cmd(c, {"CONFIG", "GET", "notify-keyspace-events"}) ==
        Arr(2) + Bulk("notify-keyspace-events") + Bulk("AKE"));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "Z"}) ==
        Err("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
            "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "nosuch", "1"}) ==
        Err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "a"}) ==
        Err("ERR wrong number of arguments for 'config|set' command"));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "a", "b", "c"}) ==
        Err("ERR wrong number of arguments for 'config|set' command"));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "databases", "4"}) ==
        Err("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set "
            "immutable config"));
  // All or nothing.
  CHECK(h.Cmd(c, {"CONFIG", "SET", "timeout", "5", "maxmemory", "lots"}) ==
        Err("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a "
            "memory value"));
  CHECK(h.Cmd(c, {"CONFIG", "GET", "timeout"}) == Arr(2) + Bulk("timeout") + Bulk("0"));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "proto-max-bulk-len", "2mb", "client-output-buffer-limit",
                  "pubsub 64mb 16mb 30"}) == kOk);
  CHECK(h.Cmd(c, {"CONFIG", "GET", "proto-max-bulk-len"}) ==
        Arr(2) + Bulk("proto-max-bulk-len") + Bulk("2097152"));
  CHECK(h.Cmd(c, {"CONFIG", "GET", "client-output-buffer-limit"}) ==
        Arr(2) + Bulk("client-output-buffer-limit") +
            Bulk("normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 30"));
  // The reader applies the new bulk limit at once.
  CHECK(h.Send(c, "*2\r\n$4\r\nECHO\r\n$2097153\r\n") ==
        Err("ERR Protocol error: invalid bulk length"));
  auto& d = h.Connect();
  h.Cmd(d, {"HELLO", "3"});
  CHECK(h.Cmd(d, {"CONFIG", "GET", "save"}) == "%1\r\n" + Bulk("save") + Bulk(""));
  CHECK(h.Cmd(d, {"CONFIG", "GET", "nosuch"}) == "%0\r\n");
  CHECK(h.Cmd(d, {"CONFIG", "REWRITE"}) == Err("ERR The server is running without a config file"));
  CHECK(h.Cmd(d, {"CONFIG", "RESETSTAT"}) == kOk);
}

TEST_CASE("idle clients are closed after CONFIG SET timeout", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& sub = h.Connect();
  h.Cmd(sub, {"SUBSCRIBE", "x"});
  CHECK(h.Cmd(c, {"CONFIG", "SET", "timeout", "10"}) == kOk);
  h.clock().AdvanceMs(10'001);
  h.front().Tick();
  h.front().RunPending();
  CHECK(c.transport->closed_now);
  CHECK_FALSE(sub.transport->closed_now);  // pub/sub clients are exempt, as in Redis
}

TEST_CASE("COMMAND introspection", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  std::string count = h.Cmd(c, {"COMMAND", "COUNT"});
  REQUIRE(count[0] == ':');
  CHECK(std::stoi(count.substr(1)) > 60);
  CHECK(h.Cmd(c, {"COMMAND", "NOSUCH"}) ==
        Err("ERR unknown subcommand 'NOSUCH'. Try COMMAND HELP."));
  std::string docs = h.Cmd(c, {"COMMAND", "DOCS", "get"});
  CHECK(docs.substr(0, 4) == Arr(2));
  CHECK(docs.find(Bulk("summary")) != std::string::npos);
  h.Cmd(c, {"HELLO", "3"});
  CHECK(h.Cmd(c, {"COMMAND", "DOCS", "get"}).substr(0, 4) == "%1\r\n");
  std::string info = h.Cmd(c, {"COMMAND", "INFO", "get", "nosuch"});
  CHECK(info.substr(0, 18) == Arr(2) + Arr(10) + Bulk("get"));
  CHECK(info.find(Int(2)) != std::string::npos);
  CHECK(h.Cmd(c, {"COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"}) ==
        Arr(2) + Bulk("a") + Bulk("b"));
  CHECK(h.Cmd(c, {"COMMAND"}).substr(0, 1) == "*");
}

TEST_CASE("TIME", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.clock().Set(1'700'000'123'456'789'000);
  CHECK(h.Cmd(c, {"TIME"}) == Arr(2) + Bulk("1700000123") + Bulk("456789"));
}

}  // namespace
}  // namespace kvgate::redis::testing

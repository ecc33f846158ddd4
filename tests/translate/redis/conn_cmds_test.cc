// Connection commands, dispatch errors and the wire loop (specs/resp-subset.md §1-2).
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string Hello(int proto, int64_t id) {
  std::string body = Bulk("server") + Bulk("redis") + Bulk("version") + Bulk("7.0.15") +
                     Bulk("proto") + Int(proto) + Bulk("id") + Int(id) + Bulk("mode") +
                     Bulk("standalone") + Bulk("role") + Bulk("master") + Bulk("modules") + Arr(0);
  return (proto == 3 ? std::string("%7\r\n") : Arr(14)) + body;
}

TEST_CASE("PING and ECHO", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"PING"}) == "+PONG\r\n");
  CHECK(h.Cmd(c, {"ping", "hello"}) == Bulk("hello"));
  CHECK(h.Cmd(c, {"PING", ""}) == "$0\r\n\r\n");
  CHECK(h.Cmd(c, {"PING", "a", "b"}) == Err("ERR wrong number of arguments for 'ping' command"));
  CHECK(h.Cmd(c, {"ECHO", std::string("bin\x01\r\nx\0", 8)}) ==
        Bulk(std::string("bin\x01\r\nx\0", 8)));
  CHECK(h.Cmd(c, {"ECHO"}) == Err("ERR wrong number of arguments for 'echo' command"));
  CHECK(h.Cmd(c, {"EcHo", "a", "b"}) == Err("ERR wrong number of arguments for 'echo' command"));
}

TEST_CASE("SELECT switches the database bucket", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "zero"}) == kOk);
  CHECK(h.Cmd(c, {"SELECT", "15"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "k"}) == kNil);
  CHECK(h.Cmd(c, {"SET", "k", "fifteen"}) == kOk);
  CHECK(h.engine().FindBucket("db15") != nullptr);
  CHECK(h.Cmd(c, {"SELECT", "0"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("zero"));
  CHECK(h.Cmd(c, {"SELECT", "abc"}) == Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"SELECT", "-1"}) == Err("ERR DB index is out of range"));
  CHECK(h.Cmd(c, {"SELECT", "16"}) == Err("ERR DB index is out of range"));
  CHECK(h.Cmd(c, {"SELECT", "99999999999"}) == Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"SELECT"}) == Err("ERR wrong number of arguments for 'select' command"));
}

TEST_CASE("database to bucket mapping is configurable", "[redis]") {
  RedisConfig cfg;
  cfg.db_buckets[0] = "app";
  RedisHarness h(cfg);
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "v"}) == kOk);
  REQUIRE(h.engine().FindBucket("app") != nullptr);
  CHECK(h.engine().FindBucket("db0") == nullptr);
  CHECK(h.engine().FindBucket("app")->Get("k")->value == "v");
  CHECK(h.engine().FindBucket("app")->config().tombstone_ttl_ns == 60LL * 1'000'000'000);
}

TEST_CASE("HELLO negotiates RESP2/RESP3, AUTH and SETNAME", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"HELLO"}) == Hello(2, 1));
  CHECK(h.Cmd(c, {"HELLO", "3"}) == Hello(3, 1));
  CHECK(h.Cmd(c, {"GET", "nokey"}) == kNull3);
  CHECK(h.Cmd(c, {"HELLO"}) == Hello(3, 1));
  CHECK(h.Cmd(c, {"HELLO", "2"}) == Hello(2, 1));
  CHECK(h.Cmd(c, {"GET", "nokey"}) == kNil);
  CHECK(h.Cmd(c, {"HELLO", "1"}) == Err("NOPROTO unsupported protocol version"));
  CHECK(h.Cmd(c, {"HELLO", "4"}) == Err("NOPROTO unsupported protocol version"));
  CHECK(h.Cmd(c, {"HELLO", "abc"}) ==
        Err("ERR Protocol version is not an integer or out of range"));
  CHECK(h.Cmd(c, {"HELLO", "3", "FOO"}) == Err("ERR Syntax error in HELLO option 'FOO'"));
  CHECK(h.Cmd(c, {"HELLO", "3", "AUTH", "default"}) ==
        Err("ERR Syntax error in HELLO option 'AUTH'"));
  CHECK(h.Cmd(c, {"HELLO", "3", "AUTH", "nouser", "pw"}) ==
        Err("WRONGPASS invalid username-password pair or user is disabled."));
  CHECK(h.Cmd(c, {"HELLO", "3", "SETNAME", "x y"}) ==
        Err("ERR Client names cannot contain spaces, newlines or special characters."));
  CHECK(h.Cmd(c, {"GET", "nokey"}) == kNil);  // the failed HELLO did not switch protocols
  CHECK(h.Cmd(c, {"HELLO", "3", "AUTH", "default", "any", "SETNAME", "app"}) == Hello(3, 1));
  CHECK(h.Cmd(c, {"CLIENT", "GETNAME"}) == Bulk("app"));
  auto& d = h.Connect();
  CHECK(h.Cmd(d, {"HELLO"}) == Hello(2, 2));  // ids are unique and increasing
}

TEST_CASE("AUTH with the password-less default user", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"AUTH", "pw"}) ==
        Err("ERR AUTH <password> called without any password configured for the default user. "
            "Are you sure your configuration is correct?"));
  CHECK(h.Cmd(c, {"AUTH", "default", "anything"}) == kOk);
  CHECK(h.Cmd(c, {"AUTH", "u", "pw"}) ==
        Err("WRONGPASS invalid username-password pair or user is disabled."));
  CHECK(h.Cmd(c, {"AUTH"}) == Err("ERR wrong number of arguments for 'auth' command"));
  CHECK(h.Cmd(c, {"AUTH", "a", "b", "c"}) == Err("ERR syntax error"));
}

TEST_CASE("unknown commands and arity errors", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"NOSUCH"}) == Err("ERR unknown command 'NOSUCH', with args beginning with: "));
  CHECK(h.Cmd(c, {"nosuch", "a", "b"}) ==
        Err("ERR unknown command 'nosuch', with args beginning with: 'a' 'b' "));
  // The first argument is cut to 128 bytes and nothing follows once 128 bytes are shown.
  CHECK(
      h.Cmd(c, {"FOO", std::string(200, 'x'), "y"}) ==
      Err("ERR unknown command 'FOO', with args beginning with: '" + std::string(128, 'x') + "' "));
  CHECK(h.Cmd(c, {"FOO", std::string(100, 'a'), std::string(100, 'b')}) ==
        Err("ERR unknown command 'FOO', with args beginning with: '" + std::string(100, 'a') +
            "' '" + std::string(25, 'b') + "' "));
  CHECK(h.Cmd(c, {std::string(200, 'F')}) ==
        Err("ERR unknown command '" + std::string(128, 'F') + "', with args beginning with: "));
  // CR/LF become spaces; a NUL ends the shown text.
  CHECK(h.Cmd(c, {"BAR", "line\r\nbreak", std::string("nul\0cut", 7)}) ==
        Err("ERR unknown command 'BAR', with args beginning with: 'line  break' 'nul' "));
  CHECK(h.Cmd(c, {"GET"}) == Err("ERR wrong number of arguments for 'get' command"));
  CHECK(h.Cmd(c, {"CLIENT"}) == Err("ERR wrong number of arguments for 'client' command"));
  CHECK(h.Cmd(c, {"CLIENT", "SETNAME"}) ==
        Err("ERR wrong number of arguments for 'client|setname' command"));
  CHECK(h.Cmd(c, {"client", "nosuch"}) == Err("ERR unknown subcommand 'nosuch'. Try CLIENT HELP."));
}

TEST_CASE("QUIT replies, flushes and ignores what follows", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Send(c, "PING\r\nQUIT\r\nPING\r\n") == "+PONG\r\n+OK\r\n");
  CHECK(c.transport->close_after_flush);
  CHECK(h.Send(c, "PING\r\n").empty());
}

TEST_CASE("protocol errors reply after earlier requests and close", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Send(c, "PING\r\n*abc\r\nPING\r\n") ==
        "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
  CHECK(c.transport->close_after_flush);
  auto& d = h.Connect();
  CHECK(h.Send(d, "SET d \"a\"b\r\n") == Err("ERR Protocol error: unbalanced quotes in request"));
  CHECK(d.transport->close_after_flush);
}

TEST_CASE("requests split across reads are answered once complete", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Send(c, "*3\r\n$3\r\nSE").empty());
  CHECK(h.Send(c, "T\r\n$1").empty());
  CHECK(h.Send(c, "\r\nk\r").empty());
  CHECK(h.Send(c, "\n$2\r\nvv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") == kOk + Bulk("vv"));
  CHECK(h.Send(c, "*0\r\n*-1\r\n\r\n  \r\nPING\r\n") == "+PONG\r\n");
  CHECK(h.Send(c, "SET \"a b\" 'c d'\r\nGET \"a b\"\r\n") == kOk + Bulk("c d"));
}

TEST_CASE("RESET returns the connection to its initial state", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"HELLO", "3", "SETNAME", "n"});
  h.Cmd(c, {"SELECT", "2"});
  h.Cmd(c, {"SUBSCRIBE", "ch"});
  h.Cmd(c, {"MULTI"});
  CHECK(h.Cmd(c, {"RESET"}) == "+RESET\r\n");
  CHECK(h.Cmd(c, {"GET", "k"}) == kNil);  // RESP2, not in MULTI, not subscribed
  CHECK(h.Cmd(c, {"CLIENT", "GETNAME"}) == kNil);
  CHECK(h.front().pubsub().NumSubscribers("ch") == 0);
}

}  // namespace
}  // namespace kvgate::redis::testing

// CLIENT subcommands (specs/resp-subset.md §2.3).
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

TEST_CASE("CLIENT SETNAME GETNAME ID", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& d = h.Connect();
  CHECK(h.Cmd(c, {"CLIENT", "GETNAME"}) == kNil);
  CHECK(h.Cmd(c, {"CLIENT", "SETNAME", "app-1"}) == kOk);
  CHECK(h.Cmd(c, {"client", "getname"}) == Bulk("app-1"));
  for (const char* bad : {"has space", "new\nline", "\xc3\xa9"}) {
    CHECK(h.Cmd(c, {"CLIENT", "SETNAME", bad}) ==
          Err("ERR Client names cannot contain spaces, newlines or special characters."));
  }
  CHECK(h.Cmd(c, {"CLIENT", "SETNAME", ""}) == kOk);
  CHECK(h.Cmd(c, {"CLIENT", "GETNAME"}) == kNil);
  CHECK(h.Cmd(c, {"CLIENT", "ID"}) == Int(1));
  CHECK(h.Cmd(d, {"CLIENT", "ID"}) == Int(2));
  CHECK(h.Cmd(c, {"CLIENT", "SETNAME", "a", "b"}) ==
        Err("ERR wrong number of arguments for 'client|setname' command"));
  CHECK(h.Cmd(c, {"CLIENT", "GETNAME", "x"}) ==
        Err("ERR wrong number of arguments for 'client|getname' command"));
  CHECK(h.Cmd(c, {"CLIENT", "ID", "x"}) ==
        Err("ERR wrong number of arguments for 'client|id' command"));
  CHECK(h.Cmd(c, {"CLIENT", "INFO", "x"}) ==
        Err("ERR wrong number of arguments for 'client|info' command"));
  CHECK(h.Cmd(c, {"CLIENT", "NOSUCH"}) == Err("ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP."));
  h.Cmd(c, {"HELLO", "3"});
  CHECK(h.Cmd(c, {"CLIENT", "GETNAME"}) == kNull3);
}

TEST_CASE("CLIENT INFO and LIST lines", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& d = h.Connect();
  h.Cmd(c, {"CLIENT", "SETNAME", "me"});
  std::string info = h.Cmd(c, {"CLIENT", "INFO"});
  std::string expected_start =
      "id=1 addr=127.0.0.1:50001 laddr=127.0.0.1:6379 fd=11 name=me age=0 idle=0 flags=N db=0 "
      "sub=0 psub=0 ssub=0 multi=-1 ";
  REQUIRE(info.substr(0, 1) == "$");
  std::string body = info.substr(info.find("\r\n") + 2);
  CHECK(body.substr(0, expected_start.size()) == expected_start);
  CHECK(body.find(" cmd=client|info user=default redir=-1 resp=2\n\r\n") != std::string::npos);
  h.Cmd(d, {"SUBSCRIBE", "x"});
  std::string list = h.Cmd(c, {"CLIENT", "LIST"});
  CHECK(list.find("id=1 ") != std::string::npos);
  CHECK(list.find("id=2 ") != std::string::npos);
  CHECK(list.find("flags=P db=0 sub=1") != std::string::npos);
  std::string pubsub = h.Cmd(c, {"CLIENT", "LIST", "TYPE", "pubsub"});
  CHECK(pubsub.find("id=1 ") == std::string::npos);
  CHECK(pubsub.find("id=2 ") != std::string::npos);
  std::string by_id = h.Cmd(c, {"CLIENT", "LIST", "ID", "1"});
  CHECK(by_id.find("id=2 ") == std::string::npos);
  CHECK(h.Cmd(c, {"CLIENT", "LIST", "TYPE", "bogus"}) == Err("ERR Unknown client type 'bogus'"));
  CHECK(h.Cmd(c, {"CLIENT", "LIST", "FOO"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"CLIENT", "LIST", "ID", "x"}) == Err("ERR Invalid client ID"));
  h.Cmd(c, {"HELLO", "3"});
  std::string v = h.Cmd(c, {"CLIENT", "INFO"});
  CHECK(v.substr(0, 1) == "=");
  CHECK(v.find("\r\ntxt:id=1 ") != std::string::npos);
}

TEST_CASE("CLIENT KILL old and new forms", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& d = h.Connect();
  auto& e = h.Connect();
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "1.2.3.4:5"}) == Err("ERR No such client"));
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "127.0.0.1:50002"}) == kOk);
  CHECK(d.transport->closed_now);
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "ID", "999"}) == Int(0));
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "ID", "0"}) == Err("ERR client-id should be greater than 0"));
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "FOO", "bar"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "USER", "nobody"}) == Err("ERR No such user 'nobody'"));
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "ID", "1"}) == Int(0));  // SKIPME yes by default
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "ID", "3"}) == Int(1));
  CHECK(e.transport->closed_now);
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "ID", "1", "SKIPME", "no"}) == Int(1));
  CHECK(c.transport->close_after_flush);
}

TEST_CASE("CLIENT SETINFO NO-EVICT GETREDIR HELP", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CLIENT", "SETINFO", "LIB-NAME", "ioredis"}) == kOk);
  CHECK(h.Cmd(c, {"CLIENT", "SETINFO", "lib-ver", "6.0.0"}) == kOk);
  CHECK(h.Cmd(c, {"CLIENT", "SETINFO", "FOO", "x"}) == Err("ERR Unrecognized option 'FOO'"));
  CHECK(h.Cmd(c, {"CLIENT", "NO-EVICT", "on"}) == kOk);
  CHECK(h.Cmd(c, {"CLIENT", "NO-EVICT", "maybe"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"CLIENT", "GETREDIR"}) == Int(-1));
  CHECK(h.Cmd(c, {"CLIENT", "HELP"}).substr(0, 4) == "*36\r");
}

}  // namespace
}  // namespace kvgate::redis::testing

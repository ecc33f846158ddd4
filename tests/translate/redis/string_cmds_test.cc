// String commands (specs/resp-subset.md §4.1-4.2); expected bytes checked against redis-server.
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

TEST_CASE("GET and SET basics, binary-safe keys and values", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"GET", "k"}) == kNil);
  CHECK(h.Cmd(c, {"SET", "k", "v"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v"));
  CHECK(h.Cmd(c, {"SET", "", "empty key"}) == kOk);
  CHECK(h.Cmd(c, {"GET", ""}) == Bulk("empty key"));
  std::string bin("\0\r\n\xff", 4);
  CHECK(h.Cmd(c, {"SET", bin, bin}) == kOk);
  CHECK(h.Cmd(c, {"GET", bin}) == Bulk(bin));
  CHECK(h.Cmd(c, {"SET", "e", ""}) == kOk);
  CHECK(h.Cmd(c, {"GET", "e"}) == "$0\r\n\r\n");
  CHECK(h.Cmd(c, {"EXISTS", "e"}) == Int(1));
  CHECK(h.Cmd(c, {"SET", "k"}) == Err("ERR wrong number of arguments for 'set' command"));
  CHECK(h.Cmd(c, {"GET", "a", "b"}) == Err("ERR wrong number of arguments for 'get' command"));
}

TEST_CASE("SET options", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "1", "NX"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "k", "2", "NX"}) == kNil);
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("1"));
  CHECK(h.Cmd(c, {"SET", "k", "3", "XX"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "missing", "3", "XX"}) == kNil);
  CHECK(h.Cmd(c, {"SET", "k", "4", "GET"}) == Bulk("3"));
  CHECK(h.Cmd(c, {"SET", "new", "5", "GET"}) == kNil);
  CHECK(h.Cmd(c, {"SET", "k", "6", "nx", "get"}) == Bulk("4"));
  CHECK(h.Cmd(c, {"SET", "k", "7", "XX", "GET"}) == Bulk("4"));
  CHECK(h.Cmd(c, {"SET", "nx2", "8", "XX", "GET"}) == kNil);
  CHECK(h.Cmd(c, {"EXISTS", "nx2"}) == Int(0));
  const std::string syntax = Err("ERR syntax error");
  CHECK(h.Cmd(c, {"SET", "k", "v", "NX", "XX"}) == syntax);
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "10", "PX", "100"}) == syntax);
  CHECK(h.Cmd(c, {"SET", "k", "v", "EXAT", "1", "PXAT", "1"}) == syntax);
  CHECK(h.Cmd(c, {"SET", "k", "v", "KEEPTTL", "EX", "10"}) == syntax);
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX"}) == syntax);
  CHECK(h.Cmd(c, {"SET", "k", "v", "FOO"}) == syntax);
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "abc", "FOO"}) == syntax);  // syntax first
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "10", "EX", "10"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "k", "v", "GET", "GET"}) == Bulk("v"));
  const std::string not_int = Err("ERR value is not an integer or out of range");
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "abc"}) == not_int);
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "1.5"}) == not_int);
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "99999999999999999999"}) == not_int);
  const std::string bad_expire = Err("ERR invalid expire time in 'set' command");
  for (const char* v : {"0", "-1"}) CHECK(h.Cmd(c, {"SET", "k", "v", "EX", v}) == bad_expire);
  CHECK(h.Cmd(c, {"SET", "k", "v", "PX", "0"}) == bad_expire);
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "9223372036854775807"}) == bad_expire);
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "9223372036854775"}) == bad_expire);
  CHECK(h.Cmd(c, {"SET", "k", "v", "PX", "9223372036854775807"}) == bad_expire);
  CHECK(h.Cmd(c, {"SET", "past", "v", "EXAT", "1"}) == kOk);
  CHECK(h.Cmd(c, {"EXISTS", "past"}) == Int(0));
  CHECK(h.Cmd(c, {"SET", "pastpx", "v", "PXAT", "1000"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "pastpx"}) == kNil);
}

TEST_CASE("SET expiry options and KEEPTTL", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  const int64_t now_s = h.clock().NowMs() / 1000;
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "100"}) == kOk);
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(100));
  CHECK(h.Cmd(c, {"SET", "k", "v", "PX", "5000"}) == kOk);
  CHECK(h.Cmd(c, {"PTTL", "k"}) == Int(5000));
  CHECK(h.Cmd(c, {"SET", "k", "v", "EXAT", std::to_string(now_s + 50)}) == kOk);
  CHECK(h.Cmd(c, {"EXPIRETIME", "k"}) == Int(now_s + 50));
  CHECK(h.Cmd(c, {"SET", "k", "w", "KEEPTTL"}) == kOk);
  CHECK(h.Cmd(c, {"EXPIRETIME", "k"}) == Int(now_s + 50));
  CHECK(h.Cmd(c, {"SET", "k", "x"}) == kOk);
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(-1));
  CHECK(h.Cmd(c, {"SET", "n", "v", "KEEPTTL"}) == kOk);
  CHECK(h.Cmd(c, {"TTL", "n"}) == Int(-1));
  h.clock().AdvanceMs(1000);
  CHECK(h.Cmd(c, {"SET", "t", "v", "PX", "1500"}) == kOk);
  h.clock().AdvanceMs(1499);
  CHECK(h.Cmd(c, {"GET", "t"}) == Bulk("v"));
  h.clock().AdvanceMs(1);
  CHECK(h.Cmd(c, {"GET", "t"}) == kNil);
}

TEST_CASE("SETNX SETEX PSETEX GETSET GETDEL", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SETNX", "a", "1"}) == Int(1));
  CHECK(h.Cmd(c, {"SETNX", "a", "2"}) == Int(0));
  CHECK(h.Cmd(c, {"GET", "a"}) == Bulk("1"));
  CHECK(h.Cmd(c, {"SETEX", "b", "100", "v"}) == kOk);
  CHECK(h.Cmd(c, {"TTL", "b"}) == Int(100));
  CHECK(h.Cmd(c, {"SETEX", "b", "0", "v"}) == Err("ERR invalid expire time in 'setex' command"));
  CHECK(h.Cmd(c, {"SETEX", "b", "-5", "v"}) == Err("ERR invalid expire time in 'setex' command"));
  CHECK(h.Cmd(c, {"SETEX", "b", "abc", "v"}) == Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"PSETEX", "c", "100000", "v"}) == kOk);
  CHECK(h.Cmd(c, {"PTTL", "c"}) == Int(100000));
  CHECK(h.Cmd(c, {"PSETEX", "c", "0", "v"}) == Err("ERR invalid expire time in 'psetex' command"));
  CHECK(h.Cmd(c, {"SETEX", "b", "9223372036854775807", "v"}) ==
        Err("ERR invalid expire time in 'setex' command"));
  CHECK(h.Cmd(c, {"GETSET", "g", "1"}) == kNil);
  CHECK(h.Cmd(c, {"SET", "g", "2", "EX", "100"}) == kOk);
  CHECK(h.Cmd(c, {"GETSET", "g", "3"}) == Bulk("2"));
  CHECK(h.Cmd(c, {"TTL", "g"}) == Int(-1));
  CHECK(h.Cmd(c, {"GETDEL", "g"}) == Bulk("3"));
  CHECK(h.Cmd(c, {"GETDEL", "g"}) == kNil);
  CHECK(h.Cmd(c, {"EXISTS", "g"}) == Int(0));
}

TEST_CASE("GETEX", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "x", "1"}) == kOk);
  CHECK(h.Cmd(c, {"GETEX", "x"}) == Bulk("1"));
  CHECK(h.Cmd(c, {"GETEX", "x", "EX", "100"}) == Bulk("1"));
  CHECK(h.Cmd(c, {"TTL", "x"}) == Int(100));
  CHECK(h.Cmd(c, {"GETEX", "x", "PERSIST"}) == Bulk("1"));
  CHECK(h.Cmd(c, {"TTL", "x"}) == Int(-1));
  CHECK(h.Cmd(c, {"GETEX", "nokey", "EX", "10"}) == kNil);
  CHECK(h.Cmd(c, {"GETEX", "nokey", "EX", "99999999999999999999"}) == kNil);  // lookup first
  CHECK(h.Cmd(c, {"GETEX", "nokey", "EX", "0"}) == kNil);
  CHECK(h.Cmd(c, {"GETEX", "nokey", "FOO"}) == Err("ERR syntax error"));  // options before
  for (auto args : std::vector<std::vector<std::string>>{{"GETEX", "x", "EX", "10", "PX", "10"},
                                                         {"GETEX", "x", "PERSIST", "EX", "10"},
                                                         {"GETEX", "x", "FOO"},
                                                         {"GETEX", "x", "EX"},
                                                         {"GETEX", "x", "NX"}}) {
    CHECK(h.Cmd(c, args) == Err("ERR syntax error"));
  }
  CHECK(h.Cmd(c, {"GETEX", "x", "EX", "0"}) == Err("ERR invalid expire time in 'getex' command"));
  CHECK(h.Cmd(c, {"GETEX", "x", "EX", "abc"}) ==
        Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"GETEX", "x", "EXAT", "1"}) == Bulk("1"));
  CHECK(h.Cmd(c, {"EXISTS", "x"}) == Int(0));
}

TEST_CASE("MGET MSET MSETNX", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"MSET", "a", "1", "b", "2", "a", "3"}) == kOk);
  CHECK(h.Cmd(c, {"MGET", "a", "b", "c", "a"}) ==
        Arr(4) + Bulk("3") + Bulk("2") + kNil + Bulk("3"));
  CHECK(h.Cmd(c, {"MSET", "a"}) == Err("ERR wrong number of arguments for 'mset' command"));
  CHECK(h.Cmd(c, {"MSET", "a", "1", "b"}) ==
        Err("ERR wrong number of arguments for 'mset' command"));
  CHECK(h.Cmd(c, {"MSETNX", "x", "1", "y", "2"}) == Int(1));
  CHECK(h.Cmd(c, {"MSETNX", "x", "1", "z", "2"}) == Int(0));
  CHECK(h.Cmd(c, {"MGET", "x", "y", "z"}) == Arr(3) + Bulk("1") + Bulk("2") + kNil);
  CHECK(h.Cmd(c, {"MSETNX", "d", "1", "d", "2"}) == Int(1));
  CHECK(h.Cmd(c, {"GET", "d"}) == Bulk("2"));
  CHECK(h.Cmd(c, {"MSETNX", "q"}) == Err("ERR wrong number of arguments for 'msetnx' command"));
  CHECK(h.Cmd(c, {"SET", "t", "v", "EX", "10"}) == kOk);
  CHECK(h.Cmd(c, {"MSET", "t", "w"}) == kOk);
  CHECK(h.Cmd(c, {"TTL", "t"}) == Int(-1));
  CHECK(h.Cmd(c, {"HELLO", "3"}).substr(0, 4) == "%7\r\n");
  CHECK(h.Cmd(c, {"MGET", "a", "nokey"}) == Arr(2) + Bulk("3") + kNull3);
}

TEST_CASE("APPEND STRLEN GETRANGE SETRANGE", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"APPEND", "s", "Hello"}) == Int(5));
  CHECK(h.Cmd(c, {"APPEND", "s", " World"}) == Int(11));
  CHECK(h.Cmd(c, {"STRLEN", "s"}) == Int(11));
  CHECK(h.Cmd(c, {"STRLEN", "nope"}) == Int(0));
  CHECK(h.Cmd(c, {"APPEND", "e", ""}) == Int(0));
  CHECK(h.Cmd(c, {"EXISTS", "e"}) == Int(1));
  struct R {
    const char* start;
    const char* end;
    const char* out;
  };
  for (R r : {R{"0", "4", "Hello"}, R{"-5", "-1", "World"}, R{"-100", "3", "Hell"},
              R{"-100", "-50", "H"}, R{"3", "-100", ""}, R{"5", "3", ""},
              R{"0", "9223372036854775807", "Hello World"}, R{"-1", "-2", ""}}) {
    INFO(r.start << " " << r.end);
    CHECK(h.Cmd(c, {"GETRANGE", "s", r.start, r.end}) == Bulk(r.out));
  }
  CHECK(h.Cmd(c, {"GETRANGE", "nope", "0", "1"}) == "$0\r\n\r\n");
  CHECK(h.Cmd(c, {"GETRANGE", "s", "a", "1"}) ==
        Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"SETRANGE", "r", "5", "abc"}) == Int(8));
  CHECK(h.Cmd(c, {"GET", "r"}) == Bulk(std::string("\0\0\0\0\0abc", 8)));
  CHECK(h.Cmd(c, {"SETRANGE", "r", "0", "X"}) == Int(8));
  CHECK(h.Cmd(c, {"GET", "r"}) == Bulk(std::string("X\0\0\0\0abc", 8)));
  CHECK(h.Cmd(c, {"SETRANGE", "missing", "3", ""}) == Int(0));
  CHECK(h.Cmd(c, {"EXISTS", "missing"}) == Int(0));
  CHECK(h.Cmd(c, {"SETRANGE", "r", "2", ""}) == Int(8));
  CHECK(h.Cmd(c, {"SETRANGE", "r", "-1", "x"}) == Err("ERR offset is out of range"));
  CHECK(h.Cmd(c, {"SETRANGE", "r", "536870911", "xy"}) ==
        Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
  CHECK(h.Cmd(c, {"SETRANGE", "r", "abc", "x"}) ==
        Err("ERR value is not an integer or out of range"));
  // TTLs survive APPEND and SETRANGE.
  CHECK(h.Cmd(c, {"SET", "t", "v", "EX", "100"}) == kOk);
  CHECK(h.Cmd(c, {"APPEND", "t", "x"}) == Int(2));
  CHECK(h.Cmd(c, {"SETRANGE", "t", "0", "y"}) == Int(2));
  CHECK(h.Cmd(c, {"TTL", "t"}) == Int(100));
}

}  // namespace
}  // namespace kvgate::redis::testing

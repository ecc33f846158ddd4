// Expiry commands with a FakeClock (specs/resp-subset.md §6).
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

TEST_CASE("EXPIRE options NX XX GT LT", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "v"}) == kOk);
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(-1));
  CHECK(h.Cmd(c, {"PTTL", "nokey"}) == Int(-2));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "100", "XX"}) == Int(0));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "100", "GT"}) == Int(0));  // no TTL counts as infinite
  CHECK(h.Cmd(c, {"EXPIRE", "k", "100", "LT"}) == Int(1));
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(100));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "200", "NX"}) == Int(0));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "200", "gt"}) == Int(1));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "50", "GT"}) == Int(0));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "50", "LT"}) == Int(1));
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(50));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "100", "xx", "gt"}) == Int(1));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "10", "NX", "XX"}) ==
        Err("ERR NX and XX, GT or LT options at the same time are not compatible"));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "10", "GT", "LT"}) ==
        Err("ERR GT and LT options at the same time are not compatible"));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "10", "FOO"}) == Err("ERR Unsupported option FOO"));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "abc"}) == Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"EXPIRE", "k", "abc", "FOO"}) == Err("ERR Unsupported option FOO"));
  for (const char* v : {"9223372036854775807", "9223372036854775", "-9223372036854775808"}) {
    CHECK(h.Cmd(c, {"EXPIRE", "k", v}) == Err("ERR invalid expire time in 'expire' command"));
  }
  CHECK(h.Cmd(c, {"PEXPIRE", "k", "9223372036854775807"}) ==
        Err("ERR invalid expire time in 'pexpire' command"));
  CHECK(h.Cmd(c, {"EXPIREAT", "k", "9223372036854775807"}) ==
        Err("ERR invalid expire time in 'expireat' command"));
  CHECK(h.Cmd(c, {"EXPIRE", "nokey", "10"}) == Int(0));
}

TEST_CASE("TTL PTTL EXPIRETIME PEXPIRETIME PERSIST", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "v"}) == kOk);
  CHECK(h.Cmd(c, {"EXPIRETIME", "k"}) == Int(-1));
  CHECK(h.Cmd(c, {"EXPIRETIME", "nokey"}) == Int(-2));
  CHECK(h.Cmd(c, {"PEXPIREAT", "k", "32503680000999"}) == Int(1));
  CHECK(h.Cmd(c, {"PEXPIRETIME", "k"}) == Int(32503680000999));
  CHECK(h.Cmd(c, {"EXPIRETIME", "k"}) == Int(32503680001));
  CHECK(h.Cmd(c, {"EXPIREAT", "k", "32503680001"}) == Int(1));
  CHECK(h.Cmd(c, {"EXPIRETIME", "k"}) == Int(32503680001));
  CHECK(h.Cmd(c, {"PERSIST", "k"}) == Int(1));
  CHECK(h.Cmd(c, {"PERSIST", "k"}) == Int(0));
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(-1));
  CHECK(h.Cmd(c, {"PEXPIRE", "k", "2500"}) == Int(1));
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(3));  // rounded to the nearest second
  h.clock().AdvanceMs(1000);
  CHECK(h.Cmd(c, {"PTTL", "k"}) == Int(1500));
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(2));
  h.clock().AdvanceMs(1500);
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(-2));
  CHECK(h.Cmd(c, {"GET", "k"}) == kNil);
}

TEST_CASE("a deadline in the past deletes the key", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "v"}) == kOk);
  CHECK(h.Cmd(c, {"EXPIRE", "k", "0"}) == Int(1));
  CHECK(h.Cmd(c, {"EXISTS", "k"}) == Int(0));
  CHECK(h.Cmd(c, {"SET", "k2", "v"}) == kOk);
  CHECK(h.Cmd(c, {"EXPIREAT", "k2", "1"}) == Int(1));
  CHECK(h.Cmd(c, {"EXISTS", "k2"}) == Int(0));
  CHECK(h.Cmd(c, {"SET", "k3", "v"}) == kOk);
  CHECK(h.Cmd(c, {"PEXPIRE", "k3", "-5"}) == Int(1));
  CHECK(h.Cmd(c, {"EXISTS", "k3"}) == Int(0));
}

TEST_CASE("expired keys are invisible at once (lazy expiry)", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "v", "PX", "100"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "k2", "v", "PX", "100"}) == kOk);
  h.clock().AdvanceMs(100);
  CHECK(h.Cmd(c, {"GET", "k"}) == kNil);
  CHECK(h.Cmd(c, {"EXISTS", "k"}) == Int(0));
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(-2));
  CHECK(h.Cmd(c, {"STRLEN", "k2"}) == Int(0));
  CHECK(h.Cmd(c, {"KEYS", "*"}) == Arr(0));
  CHECK(h.Cmd(c, {"APPEND", "k2", "x"}) == Int(1));
  CHECK(h.Cmd(c, {"TTL", "k2"}) == Int(-1));
}

}  // namespace
}  // namespace kvgate::redis::testing

// Counters: canonical integers, overflow, and INCRBYFLOAT's long double output.
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

const std::string kNotInt = Err("ERR value is not an integer or out of range");

TEST_CASE("INCR DECR INCRBY DECRBY", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"INCR", "n"}) == Int(1));
  CHECK(h.Cmd(c, {"INCRBY", "n", "10"}) == Int(11));
  CHECK(h.Cmd(c, {"DECR", "n"}) == Int(10));
  CHECK(h.Cmd(c, {"DECRBY", "n", "5"}) == Int(5));
  CHECK(h.Cmd(c, {"GET", "n"}) == Bulk("5"));
  CHECK(h.Cmd(c, {"TYPE", "n"}) == "+string\r\n");
  for (const char* bad : {"abc", "+1", "1.0", "01", "", " 1"}) {
    CHECK(h.Cmd(c, {"INCRBY", "n", bad}) == kNotInt);
  }
  for (const char* stored : {"x", " 1", "01", "-0", "1e3", "0x10", "9223372036854775808"}) {
    INFO(stored);
    CHECK(h.Cmd(c, {"SET", "s", stored}) == kOk);
    CHECK(h.Cmd(c, {"INCR", "s"}) == kNotInt);
  }
  CHECK(h.Cmd(c, {"SET", "s", std::string("1\0", 2)}) == kOk);
  CHECK(h.Cmd(c, {"INCR", "s"}) == kNotInt);
  CHECK(h.Cmd(c, {"SET", "big", "9223372036854775807"}) == kOk);
  CHECK(h.Cmd(c, {"INCR", "big"}) == Err("ERR increment or decrement would overflow"));
  CHECK(h.Cmd(c, {"GET", "big"}) == Bulk("9223372036854775807"));
  CHECK(h.Cmd(c, {"SET", "small", "-9223372036854775808"}) == kOk);
  CHECK(h.Cmd(c, {"DECR", "small"}) == Err("ERR increment or decrement would overflow"));
  CHECK(h.Cmd(c, {"DECRBY", "z", "-9223372036854775808"}) == Err("ERR decrement would overflow"));
  CHECK(h.Cmd(c, {"EXISTS", "z"}) == Int(0));
  CHECK(h.Cmd(c, {"SET", "t", "1", "EX", "100"}) == kOk);
  CHECK(h.Cmd(c, {"INCR", "t"}) == Int(2));
  CHECK(h.Cmd(c, {"TTL", "t"}) == Int(100));
}

TEST_CASE("INCRBYFLOAT prints like Redis's long double", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "f", "10.5"}) == kOk);
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "f", "0.1"}) == Bulk("10.6"));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "g", "0.1"}) == Bulk("0.1"));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "g", "0.1"}) == Bulk("0.2"));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "g", "0.1"}) == Bulk("0.3"));
  CHECK(h.Cmd(c, {"SET", "h", "5.6"}) == kOk);
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "h", "5.0e3"}) == Bulk("5005.60000000000000009"));
  CHECK(h.Cmd(c, {"SET", "i", "1e17"}) == kOk);
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "i", "1"}) == Bulk("100000000000000001"));
  CHECK(h.Cmd(c, {"SET", "j", "3"}) == kOk);
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "j", "1"}) == Bulk("4"));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "k0", "-0.0"}) == Bulk("0"));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "k1", "1e-5"}) == Bulk("0.00001"));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "k2", "5."}) == Bulk("5"));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "k3", ".5"}) == Bulk("0.5"));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "k4", "1.2345678901234567890123"}) == Bulk("1.23456789012345679"));
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "k5", "0x10"}) == Bulk("16"));
  const std::string not_float = Err("ERR value is not a valid float");
  for (const char* bad : {"abc", "", "1 ", " 1", "nan", "1e", "1e99999"}) {
    INFO(bad);
    CHECK(h.Cmd(c, {"INCRBYFLOAT", "f", bad}) == not_float);
  }
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "f", std::string("1\0", 2)}) == not_float);
  for (const char* inf : {"inf", "+inf", "-inf"}) {
    CHECK(h.Cmd(c, {"INCRBYFLOAT", "f", inf}) ==
          Err("ERR increment would produce NaN or Infinity"));
  }
  CHECK(h.Cmd(c, {"SET", "sp", " 1"}) == kOk);
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "sp", "1"}) == not_float);
  CHECK(h.Cmd(c, {"SET", "t", "1", "PX", "5000"}) == kOk);
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "t", "1.5"}) == Bulk("2.5"));
  CHECK(h.Cmd(c, {"PTTL", "t"}) == Int(5000));
  h.Cmd(c, {"HELLO", "3"});
  CHECK(h.Cmd(c, {"INCRBYFLOAT", "t", "1"}) == Bulk("3.5"));  // still a bulk string
}

}  // namespace
}  // namespace kvgate::redis::testing

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

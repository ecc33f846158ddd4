// Garnet-style ETag meta-commands where the ETag is the kvgate revision, plus the INFO loop-stall
// fields the benchmarks read.
#include <catch2/catch.hpp>

#include "translate/loop_stats.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string Pair(const std::string& first, int64_t etag) {
  return Arr(2) + first + Int(etag);
}

TEST_CASE("GETETAG and EXECWITHETAG", "[redis][etag]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"GETETAG", "k"}) == kNil);
  h.Cmd(c, {"SET", "k", "v"});
  CHECK(h.Cmd(c, {"GETETAG", "k"}) == Int(1));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "GET", "k"}) == Pair(Bulk("v"), 1));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "SET", "k", "v2"}) == Pair(kOk, 2));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "INCR", "n"}) == Pair(Int(1), 3));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "GET", "missing"}) == Pair(kNil, 0));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "DEL", "n"}) == Pair(Int(1), 3));  // the ETag before deletion
  // A write from any other engine client (a NATS put) advances the same ETag.
  (void)h.engine().FindBucket("db0")->Put("k", "from-nats", {});
  CHECK(h.Cmd(c, {"GETETAG", "k"}) == Int(5));
  h.Cmd(c, {"HELLO", "3"});
  CHECK(h.Cmd(c, {"EXECWITHETAG", "GET", "missing"}) == Pair(kNull3, 0));
}

TEST_CASE("EXECIFMATCH EXECIFNOTMATCH EXECIFGREATER", "[redis][etag]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "k", "v1"});                                                    // 1
  h.Cmd(c, {"SET", "n", "10"});                                                    // 2
  CHECK(h.Cmd(c, {"EXECIFMATCH", "1", "SET", "k", "v2"}) == Pair(kNil, 3));        // ran: null
  CHECK(h.Cmd(c, {"EXECIFMATCH", "1", "SET", "k", "v3"}) == Pair(Bulk("v2"), 3));  // skipped
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v2"));
  CHECK(h.Cmd(c, {"EXECIFMATCH", "3", "GET", "k"}) == Pair(Bulk("v2"), 3));
  CHECK(h.Cmd(c, {"EXECIFMATCH", "1", "GET", "k"}) == Pair(kNil, 3));
  CHECK(h.Cmd(c, {"EXECIFNOTMATCH", "3", "GET", "k"}) == Pair(kNil, 3));
  CHECK(h.Cmd(c, {"EXECIFNOTMATCH", "1", "GET", "k"}) == Pair(Bulk("v2"), 3));
  CHECK(h.Cmd(c, {"EXECIFMATCH", "2", "INCRBY", "n", "5"}) == Pair(Int(15), 4));
  CHECK(h.Cmd(c, {"EXECIFMATCH", "2", "INCRBY", "n", "5"}) == Pair(kNil, 4));
  CHECK(h.Cmd(c, {"EXECIFGREATER", "3", "SET", "k", "x"}) == Pair(Bulk("v2"), 3));
  CHECK(h.Cmd(c, {"EXECIFGREATER", "4", "SET", "k", "x"}) == Pair(kNil, 5));
  CHECK(h.Cmd(c, {"EXECIFGREATER", "1", "DEL", "k"}) == Pair(kNil, 5));
  CHECK(h.Cmd(c, {"EXECIFGREATER", "9", "DEL", "k"}) == Pair(Int(1), 5));
  CHECK(h.Cmd(c, {"EXISTS", "k"}) == Int(0));
  // An absent key has ETag 0: EXECIFMATCH 0 is "create only".
  CHECK(h.Cmd(c, {"EXECIFMATCH", "0", "SET", "k", "new"}) == Pair(kNil, 7));
  CHECK(h.Cmd(c, {"EXECIFMATCH", "0", "SET", "k", "again"}) == Pair(Bulk("new"), 7));
  // A failing wrapped command keeps its error as the first element.
  CHECK(h.Cmd(c, {"EXECIFMATCH", "7", "SET", "k", "v", "EX", "0"}) ==
        Pair(Err("ERR invalid expire time in 'set' command"), 7));
}

TEST_CASE("ETag meta-command errors", "[redis][etag]") {
  RedisHarness h;
  auto& c = h.Connect();
  const std::string single =
      "' cannot be used with ETag meta-commands (single-key data commands only)";
  CHECK(h.Cmd(c, {"EXECWITHETAG", "MGET", "a", "b"}) == Err("ERR command 'mget" + single));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "DEL", "a", "b"}) == Err("ERR command 'del" + single));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "DEL", "a"}) == Pair(Int(0), 0));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "PING", "x"}) == Err("ERR command 'ping" + single));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "MULTI", "x"}) == Err("ERR command 'multi" + single));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "EXECWITHETAG", "GET", "k"}) ==
        Err("ERR command 'execwithetag" + single));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "NOSUCH", "k"}) ==
        Err("ERR unknown command 'NOSUCH', with args beginning with: 'k' "));
  CHECK(h.Cmd(c, {"EXECWITHETAG", "GET", "k", "x"}) ==
        Err("ERR wrong number of arguments for 'get' command"));
  CHECK(h.Cmd(c, {"EXECIFMATCH", "x", "GET", "k"}) ==
        Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"EXECIFMATCH", "-1", "GET", "k"}) ==
        Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"EXECIFMATCH", "1", "GET"}) ==
        Err("ERR wrong number of arguments for 'execifmatch' command"));
  CHECK(h.Cmd(c, {"GETETAG"}) == Err("ERR wrong number of arguments for 'getetag' command"));
}

TEST_CASE("INFO stats reports loop stalls; CONFIG RESETSTAT resets them", "[redis][etag]") {
  RedisHarness h;
  translate::LoopStats loop;
  loop.iterations = 10;
  loop.max_busy_us = 12345;
  loop.busy_over_10ms = 2;
  loop.busy_poll_standdowns = 7;
  h.front().AttachLoopStats(&loop);
  auto& c = h.Connect();
  std::string info = h.Cmd(c, {"INFO", "stats"});
  CHECK(info.find("kvgate_loop_max_busy_us:12345\r\nkvgate_loop_busy_over_10ms:2\r\n"
                  "kvgate_busy_poll_standdowns:7\r\n") != std::string::npos);
  CHECK(h.Cmd(c, {"CONFIG", "RESETSTAT"}) == kOk);
  CHECK(loop.max_busy_us == 0);
  CHECK(loop.busy_poll_standdowns == 0);
  CHECK(h.Cmd(c, {"INFO", "stats"})
            .find("kvgate_loop_max_busy_us:0\r\nkvgate_loop_busy_over_10ms:0\r\n") !=
        std::string::npos);
  h.front().AttachLoopStats(nullptr);
}

}  // namespace
}  // namespace kvgate::redis::testing

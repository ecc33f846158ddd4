// File: tests/integration/redis_blocking_differential_test.cc
// Blocking pops against a real redis-server 7.0, connection by connection: argument errors,
// an immediate pop, clients served oldest first per key, from the key that became ready (the
// first one an EXEC readied), before the pushing client's next pipelined command, a blocked
// client's pipeline held until it is served, no waiting inside MULTI, timeouts, CLIENT UNBLOCK
// (TIMEOUT and ERROR), a key made ready by RENAME, MOVE or SWAPDB, a wrong-typed key that does
// not serve, and RESP3 replies. Timeouts are compared only once they have passed on both
// servers (redis-server notices one on its next event-loop wake, so a later step pings it).
//
//   CompareMulti(ZSetBlockingScripts());   // transcripts of both servers must match byte for byte
#include <catch2/catch.hpp>

#include <vector>

#include "integration/support/multi_conn_diff.h"

namespace {

using kvgate::testing::MultiScript;

std::vector<MultiScript> ZSetBlockingScripts() {
  // Tables of steps read best one per line; keep them as written.
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"bzpop arguments and immediate pops", 2,
               {{0, {"BZPOPMIN", "z", "abc", "", "BZPOPMIN", "z", "-1", "", "BZPOPMIN", "z", "inf"}},
                {0, {"BZPOPMIN", "z", "-inf", "", "BZPOPMAX", "z", "1e400", "", "BZPOPMIN", "z", " 1"}},
                {0, {"BZPOPMIN", "z", "nan", "", "BZPOPMIN", "z", "1e30", "", "BZPOPMIN"}},
                {0, {"SET", "s", "x", "", "ZADD", "z", "1", "a", "2", "b", "3", "c"}},
                {0, {"BZPOPMIN", "s", "z", "0", "", "BZPOPMIN", "z", "s", "0"}},
                {0, {"BZPOPMAX", "nokey", "z", "0", "", "BZPOPMAX", "z", "0.5"}},
                {0, {"BZPOPMIN", "z", "1e-9", "", "EXISTS", "z"}},
                // redis-server notices the 1 ms timeout once another client wakes its loop
                {1, {"PING"}},
                {1, {"PING"}}}});
  s.push_back({"bzmpop arguments and immediate pops", 1,
               {{0, {"BZMPOP", "0", "0", "z", "MIN", "", "BZMPOP", "0", "-1", "z", "MIN"}},
                {0, {"BZMPOP", "0", "3", "z", "MIN", "", "BZMPOP", "0", "1", "z", "MID"}},
                {0, {"BZMPOP", "0", "1", "z", "MIN", "COUNT", "0", "", "BZMPOP", "0", "1", "z", "MIN", "COUNT"}},
                {0, {"BZMPOP", "0", "1", "z", "MIN", "COUNT", "1", "COUNT", "1"}},
                {0, {"BZMPOP", "abc", "1", "z", "MIN", "", "BZMPOP", "-1", "1", "z", "MAX"}},
                {0, {"BZMPOP", "abc", "0", "z", "MIN", "", "BZMPOP", "abc", "1", "z", "MID"}},
                {0, {"SET", "s", "x", "", "ZADD", "z", "1", "a", "2", "b", "3", "c"}},
                {0, {"BZMPOP", "0", "2", "s", "z", "MIN", "", "BZMPOP", "0", "2", "nokey", "z", "MAX", "COUNT", "2"}},
                {0, {"BZMPOP", "0", "1", "z", "min", "count", "10", "", "EXISTS", "z"}}}});
  s.push_back({"waiting clients are served oldest first", 4,
               {{0, {"BZPOPMIN", "z", "0"}},
                {1, {"BZPOPMIN", "z", "0"}},
                {2, {"BZPOPMAX", "other", "z", "0"}},
                {3, {"ZADD", "z", "1", "a", "2", "b"}},
                {3, {"ZADD", "z", "3", "c", "4", "d"}},
                {3, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}}}});
  s.push_back({"served from the first key an EXEC readied", 2,
               {{0, {"BZPOPMIN", "a", "b", "0"}},
                {1, {"MULTI", "", "ZADD", "b", "1", "x", "", "ZADD", "a", "1", "y", "", "EXEC"}},
                {1, {"ZRANGE", "a", "0", "-1", "", "EXISTS", "b"}}}});
  s.push_back({"served before the pushing client's next command", 2,
               {{0, {"BZPOPMAX", "z", "0"}},
                {1, {"ZADD", "z", "1", "a", "", "ZPOPMIN", "z", "", "ZCARD", "z"}}}});
  s.push_back({"a waiting client's pipeline waits with it", 2,
               {{0, {"BZPOPMIN", "z", "0", "", "PING", "", "ZCARD", "z"}},
                {1, {"PING"}},
                {1, {"ZADD", "z", "1", "a", "2", "b"}}}});
  s.push_back({"no waiting inside MULTI", 1,
               {{0, {"MULTI", "", "BZPOPMIN", "z", "0", "", "BZMPOP", "0", "1", "z", "MIN", "", "ZADD", "z", "1", "a", "", "BZPOPMIN", "z", "0", "", "EXEC"}}}});
  s.push_back({"timeouts", 2,
               {{0, {"BZPOPMIN", "z", "0.01"}},
                {1, {"PING"}},
                {0, {"BZMPOP", "0.01", "1", "z", "MAX"}},
                {1, {"PING"}},
                {0, {"PING"}}}});
  s.push_back({"client unblock", 2,
               {{0, {"BZPOPMIN", "z", "0"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}"}},
                {0, {"BZMPOP", "0", "1", "z", "MIN"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "ERROR"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "ERROR", "", "CLIENT", "UNBLOCK", "{id0}", "TIMEOUT"}},
                {0, {"ZADD", "z", "1", "a", "", "ZCARD", "z"}}}});
  s.push_back({"a wrong-typed value does not serve", 2,
               {{0, {"BZPOPMIN", "z", "0"}},
                {1, {"SET", "z", "str", "", "DEL", "z"}},
                {1, {"SADD", "z", "m", "", "DEL", "z"}},
                {1, {"ZADD", "z", "7", "m"}}}});
  s.push_back({"rename, move and swapdb ready a key", 2,
               {{0, {"BZPOPMIN", "dst", "0"}},
                {1, {"ZADD", "src", "1", "a", "", "RENAME", "src", "dst"}},
                {0, {"BZPOPMIN", "dst", "0"}},
                {1, {"SELECT", "1", "", "ZADD", "dst", "2", "b", "", "MOVE", "dst", "0"}},
                {0, {"BZPOPMAX", "dst", "0"}},
                {1, {"ZADD", "dst", "3", "c", "", "SWAPDB", "0", "1"}},
                {1, {"DBSIZE", "", "SELECT", "0", "", "DBSIZE"}}}});
  s.push_back({"bzmpop waits, then pops count from the ready key", 2,
               {{0, {"BZMPOP", "0", "2", "a", "b", "MAX", "COUNT", "2"}},
                {1, {"ZADD", "b", "1", "x", "2", "y", "3", "z"}},
                {1, {"ZRANGE", "b", "0", "-1"}}}});
  s.push_back({"resp3 replies", 2,
               {{0, {"HELLO", "3"}, true},
                {0, {"BZPOPMIN", "z", "0"}},
                {1, {"ZADD", "z", "1.5", "a", "2", "b"}},
                {0, {"BZMPOP", "0", "1", "z", "MIN"}},
                {0, {"BZPOPMAX", "z", "0.01"}},
                {1, {"PING"}},
                {0, {"MULTI", "", "BZMPOP", "0", "1", "z", "MIN", "", "EXEC"}}}});
  // clang-format on
  return s;
}

}  // namespace

TEST_CASE("blocking sorted-set pops match redis-server", "[integration][redis][differential]") {
  kvgate::testing::CompareMulti(ZSetBlockingScripts());
}

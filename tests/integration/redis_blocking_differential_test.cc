// File: tests/integration/redis_blocking_differential_test.cc
// Blocking pops (lists and sorted sets) against a real redis-server 7.0, connection by connection: argument errors,
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

std::vector<MultiScript> ListBlockingScripts() {
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"list blocking arguments and immediate pops", 1,
               {{0, {"BLPOP", "k", "abc", "", "BLPOP", "k", "-1", "", "BRPOP", "k", "inf", "", "BLPOP", "k"}},
                {0, {"BLMOVE", "a", "b", "LEFT", "MID", "0", "", "BLMOVE", "a", "b", "LEFT", "RIGHT", "abc"}},
                {0, {"BLMOVE", "a", "b", "UP", "RIGHT", "abc", "", "BRPOPLPUSH", "a", "b", "x", "", "BRPOPLPUSH", "a", "b"}},
                {0, {"BLMPOP", "0", "0", "l", "LEFT", "", "BLMPOP", "abc", "1", "l", "LEFT", "", "BLMPOP", "abc", "0", "l", "LEFT"}},
                {0, {"BLMPOP", "0", "1", "l", "LEFT", "COUNT", "0", "", "BLMPOP", "0", "2", "l", "LEFT"}},
                {0, {"SET", "s", "x", "", "RPUSH", "l", "1", "2", "3", "4", "5"}},
                {0, {"BLPOP", "s", "l", "0", "", "BLPOP", "nokey", "l", "0", "", "BRPOP", "l", "0"}},
                {0, {"BLMPOP", "0", "2", "nokey", "l", "RIGHT", "COUNT", "2", "", "BLMOVE", "s", "d", "LEFT", "LEFT", "0"}},
                {0, {"BLMOVE", "l", "s", "LEFT", "LEFT", "0", "", "BRPOPLPUSH", "l", "d", "0", "", "LRANGE", "d", "0", "-1"}},
                {0, {"BLMPOP", "0", "1", "l", "LEFT", "COUNT", "9", "", "EXISTS", "l"}}}});
  s.push_back({"list waiters are served oldest first, from the right end", 3,
               {{0, {"BLPOP", "q", "0"}},
                {1, {"BRPOP", "q", "0"}},
                {2, {"RPUSH", "q", "a", "b", "c"}},
                {0, {"BLPOP", "q", "0"}},
                {1, {"BLPOP", "q", "0"}},
                {2, {"LPUSH", "q", "x", "y", "z"}},
                {2, {"LRANGE", "q", "0", "-1"}}}});
  s.push_back({"blmove and brpoplpush chains serve the next waiter", 4,
               {{0, {"BLMOVE", "a", "b", "RIGHT", "LEFT", "0"}},
                {1, {"BRPOPLPUSH", "b", "c", "0"}},
                {2, {"BLPOP", "c", "0"}},
                {3, {"RPUSH", "a", "x"}},
                {3, {"EXISTS", "a", "b", "c"}},
                {0, {"BRPOPLPUSH", "r", "r", "0"}},
                {3, {"RPUSH", "r", "1", "2"}},
                {3, {"LRANGE", "r", "0", "-1"}}}});
  s.push_back({"list: served from the first key an EXEC readied", 2,
               {{0, {"BLPOP", "a", "b", "0"}},
                {1, {"MULTI", "", "RPUSH", "b", "x", "", "RPUSH", "a", "y", "", "EXEC"}},
                {0, {"BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "3"}},
                {1, {"MULTI", "", "RPUSH", "b", "1", "2", "", "DEL", "b", "", "RPUSH", "a", "3", "", "EXEC"}},
                {1, {"EXISTS", "a", "b"}}}});
  s.push_back({"list: no waiting inside MULTI, timeouts and CLIENT UNBLOCK", 2,
               {{0, {"MULTI", "", "BLPOP", "x", "0", "", "BLMOVE", "x", "y", "LEFT", "LEFT", "0", "", "BRPOPLPUSH", "x", "y", "0", "", "BLMPOP", "0", "1", "x", "LEFT", "", "EXEC"}},
                {0, {"BLPOP", "x", "0.01"}},
                {1, {"PING"}},
                {0, {"BLMOVE", "x", "y", "LEFT", "LEFT", "0.01"}},
                {1, {"PING"}},
                {0, {"BRPOPLPUSH", "x", "y", "0"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "TIMEOUT"}},
                {0, {"BLMPOP", "0", "1", "x", "LEFT"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "ERROR"}},
                {0, {"BLPOP", "x", "0"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}"}}}});
  s.push_back({"scripts: no waiting inside, waiters served after the script", 2,
               {{0, {"EVAL", "return redis.call('blmpop', '0', '1', KEYS[1], 'LEFT')", "1", "x"}},
                {0, {"EVAL", "return redis.call('bzmpop', '0', '1', KEYS[1], 'MIN')", "1", "z"}},
                {0, {"EVAL", "return redis.pcall('blpop', KEYS[1], '0')", "1", "x"}},
                {0, {"BLPOP", "x", "0"}},
                {1, {"EVAL", "redis.call('rpush', KEYS[1], 'a', 'b'); redis.call('lpop', KEYS[1]); return redis.call('llen', KEYS[1])", "1", "x"}},
                {1, {"EXISTS", "x"}}}});
  s.push_back({"a waiting blmove whose destination turned into a string", 2,
               {{0, {"BLMOVE", "src", "dst", "LEFT", "LEFT", "0"}},
                {1, {"SET", "dst", "str", "", "RPUSH", "src", "x"}},
                {1, {"LRANGE", "src", "0", "-1", "", "GET", "dst"}}}});
  s.push_back({"list resp3 replies", 2,
               {{0, {"HELLO", "3"}, true},
                {0, {"BLPOP", "l", "0"}},
                {1, {"RPUSH", "l", "a", "b", "c"}},
                {0, {"BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "5", "", "BLPOP", "l", "0.01"}},
                {1, {"PING"}},
                {0, {"BLMOVE", "l", "m", "LEFT", "LEFT", "0.01"}},
                {1, {"PING"}}}});
  // clang-format on
  return s;
}

}  // namespace

TEST_CASE("blocking sorted-set pops match redis-server", "[integration][redis][differential]") {
  kvgate::testing::CompareMulti(ZSetBlockingScripts());
}

TEST_CASE("blocking list pops match redis-server", "[integration][redis][differential]") {
  kvgate::testing::CompareMulti(ListBlockingScripts());
}

// File: tests/integration/redis_pause_differential_test.cc
// CLIENT PAUSE / UNPAUSE against a real redis-server 7.0, connection by connection: argument
// errors, what WRITE holds (writes, PUBLISH, a transaction's write before it is queued, EXEC of
// a transaction that queued one) and what it lets through (reads, read-only transactions, WAIT),
// each held client's pipeline released in order, expiry paused with the clients, and ALL
// holding every command (CLIENT UNPAUSE included) until its timeout. Every script ends unpaused,
// so the next one starts clean. Exact pause ends are not compared (redis-server notices them on
// its next event-loop wake, up to 100 ms late); tests/translate/redis/client_pause_test.cc
// checks kvgate's. CLIENT UNBLOCK of a postponed client is not compared either: redis-server
// 7.0.15 aborts on it ("Unknown btype in replyToBlockedClientTimedOut"); kvgate answers 0, as
// later Redis versions do (client_pause_test.cc).
//
//   CompareMulti(PauseScripts());   // transcripts of both servers must match byte for byte
#include <catch2/catch.hpp>

#include <vector>

#include "integration/support/multi_conn_diff.h"

namespace {

using kvgate::testing::MultiScript;

std::vector<MultiScript> PauseScripts() {
  // Tables of steps read best one per line; keep them as written.
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"client pause arguments", 1,
               {{0, {"CLIENT", "PAUSE", "abc"}},
                {0, {"CLIENT", "PAUSE", "1.5"}},
                {0, {"CLIENT", "PAUSE", "-1"}},
                {0, {"CLIENT", "PAUSE", "100", "foo"}},
                {0, {"CLIENT", "PAUSE", "abc", "foo"}},
                {0, {"CLIENT", "PAUSE", "10", "write", "x"}},
                {0, {"CLIENT", "PAUSE"}},
                {0, {"CLIENT", "UNPAUSE", "x"}},
                {0, {"CLIENT", "UNPAUSE"}},
                {0, {"SET", "k", "v"}}}});
  s.push_back({"write pause holds writes and the pipeline behind them, in order", 5,
               {{0, {"SET", "k", "v0", "", "SET", "e", "v", "PX", "50"}},
                {0, {"CLIENT", "PAUSE", "100000", "WRITE"}},
                {1, {"GET", "k", "", "SET", "k", "one", "", "GET", "k"}},
                {2, {"PUBLISH", "ch", "m", "", "ECHO", "after-publish"}},
                {3, {"MULTI", "", "SET", "k", "three", "", "GET", "k", "", "EXEC"}},
                {0, {"GET", "k", "", "WAIT", "0", "0", "", "MULTI", "", "PING", "", "EXEC"}},
                {0, {"GET", "e", "", "EXISTS", "e", "", "DBSIZE", "", "TTL", "e"}},
                {0, {"INCR", "n"}},
                {3, {"PING"}},
                {1, {"CLIENT", "UNPAUSE"}},
                {4, {"GET", "k", "", "CLIENT", "UNPAUSE"}},
                {0, {"GET", "k", "", "DBSIZE"}}}});
  s.push_back({"exec of a transaction that queued a write waits for the pause", 2,
               {{0, {"MULTI", "", "SET", "k", "1"}},
                {1, {"CLIENT", "PAUSE", "100000", "WRITE"}},
                {0, {"EXEC", "", "GET", "k"}},
                {1, {"GET", "k"}},
                {1, {"CLIENT", "UNPAUSE"}},
                {1, {"GET", "k"}}}});
  s.push_back({"a pause inside a transaction lets the transaction finish", 1,
               {{0, {"MULTI", "", "CLIENT", "PAUSE", "100000", "WRITE", "", "SET", "k", "1", "",
                     "EXEC"}},
                {0, {"GET", "k", "", "CLIENT", "UNPAUSE"}}}});
  s.push_back({"pause all holds every command until it ends", 3,
               {{0, {"CLIENT", "PAUSE", "150", "ALL"}},
                {1, {"GET", "k", "", "PING"}},
                {2, {"CLIENT", "UNPAUSE"}},
                {0, {"PING"}},
                {1, {"ECHO", "later"}},
                {2, {"ECHO", "later"}},
                {0, {"ECHO", "later"}}}});
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("CLIENT PAUSE and UNPAUSE answer like redis-server 7 on every connection",
          "[integration][redis][differential]") {
  kvgate::testing::CompareMulti(PauseScripts());
}

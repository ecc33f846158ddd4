// File: tests/integration/redis_wait_differential_test.cc
// WAIT and CLIENT UNBLOCK against a real redis-server 7.0, connection by connection: argument
// errors, WAIT without replicas to wait for, a blocked WAIT and the pipeline behind it woken by
// CLIENT UNBLOCK [TIMEOUT|ERROR], WAIT inside MULTI. Timeouts are not compared here:
// redis-server notices a passed deadline on its next event-loop wake (up to 1/hz = 100 ms late),
// kvgate on time, so a script that races a timeout differs by design; tests/translate/redis and
// tests/gateway check kvgate's timeouts.
//
//   CompareMulti(WaitScripts());   // transcripts of both servers must match byte for byte
#include <catch2/catch.hpp>

#include <vector>

#include "integration/support/multi_conn_diff.h"

namespace {

using kvgate::testing::MultiScript;

std::vector<MultiScript> WaitScripts() {
  // Tables of steps read best one per line; keep them as written.
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"wait arguments and no replicas", 1,
               {{0, {"WAIT", "0", "0"}},
                {0, {"WAIT", "-1", "10"}},
                {0, {"WAIT", "a", "1"}},
                {0, {"WAIT", "1", "a"}},
                {0, {"WAIT", "1", "-1"}},
                {0, {"WAIT", "1"}},
                {0, {"WAIT", "1", "1", "1"}}}});
  s.push_back({"client unblock wakes a blocked wait and its pipeline", 2,
               {{0, {"WAIT", "1", "0", "", "PING", "", "ECHO", "after"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}"}},
                {0, {"WAIT", "2", "0"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "ERROR"}},
                {0, {"WAIT", "2", "0"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "TIMEOUT"}}}});
  s.push_back({"client unblock arguments", 2,
               {{1, {"CLIENT", "UNBLOCK", "{id0}"}},
                {1, {"CLIENT", "UNBLOCK", "999999"}},
                {1, {"CLIENT", "UNBLOCK", "-5"}},
                {1, {"CLIENT", "UNBLOCK", "abc"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "foo"}},
                {1, {"CLIENT", "UNBLOCK"}},
                {0, {"PING"}}}});
  s.push_back({"wait inside a transaction answers at once", 1,
               {{0, {"MULTI"}},
                {0, {"WAIT", "1", "0"}},
                {0, {"PING"}},
                {0, {"EXEC"}}}});
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("WAIT and CLIENT UNBLOCK answer like redis-server 7 on every connection",
          "[integration][redis][differential]") {
  kvgate::testing::CompareMulti(WaitScripts());
}

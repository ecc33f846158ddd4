// File: tests/integration/redis_stream_read_differential_test.cc
// XREAD against a real redis-server 7.0: its arguments and errors (the key's type before its
// ID, key by key), COUNT, `$`, several streams, RESP3 maps, byte for byte; then BLOCK,
// connection by connection: `$` resolved when the client blocked, waiters served oldest first,
// COUNT, several keys (served from the one that got the entry), served after EXEC (an XADD and
// XDEL in one transaction still serve, with no entries), no waiting inside MULTI, timeouts,
// CLIENT UNBLOCK, a wrong-typed value that does not serve, a held pipeline, RENAME, and RESP3
// maps. Timeouts are compared once they have passed on both servers (a later step wakes
// redis-server's loop).
//
//   CompareMulti(StreamReadScripts());
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/script_diff.h"
#include "integration/support/stream_cmds.h"

namespace {

using kvgate::testing::AddRange;
using kvgate::testing::Concat;
using kvgate::testing::MultiScript;
using kvgate::testing::S;
using kvgate::testing::Script;

// XREAD without BLOCK (and BLOCK where it answers at once), on one connection.
std::vector<Script> StreamReadNowScripts() {
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("xread without blocking", Concat(AddRange("a", 1, 5), {
      {"XADD", "b", "3-3", "f", "v"}, {"XREAD", "STREAMS", "a", "0"}, {"XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0"},
      {"XREAD", "STREAMS", "a", "b", "2-1", "3-3"}, {"XREAD", "STREAMS", "a", "$"}, {"XREAD", "STREAMS", "nokey", "0"},
      {"XREAD", "STREAMS", "a", "nokey", "b", "$", "$", "3"}, {"XREAD", "count", "-1", "streams", "a", "3"},
      {"XREAD", "COUNT", "x", "STREAMS", "a", "0"}, {"XREAD", "STREAMS", "a"}, {"XREAD", "STREAMS", "a", "b", "0"},
      {"XREAD", "a", "0"}, {"XREAD", "COUNT", "1"}, {"XREAD", "GROUP", "g", "c", "STREAMS", "a", "0"},
      {"XREAD", "NOACK", "STREAMS", "a", "0"}, {"XREAD", "STREAMS", "a", ">"}, {"XREAD", "STREAMS", "a", "x"},
      {"XREAD", "STREAMS", "a", "-"}, {"XREAD", "STREAMS", "a", "+"}, {"XREAD", "BLOCK", "x", "STREAMS", "a", "0"},
      {"XREAD", "BLOCK", "-1", "STREAMS", "a", "0"}, {"XREAD", "BLOCK", "0", "STREAMS", "a", "0"},
      {"SET", "k", "v"}, {"XREAD", "STREAMS", "a", "k", "x", "0"}, {"XREAD", "STREAMS", "k", "a", "0", "x"},
      {"XREAD", "STREAMS", "a", "a", "0", "3"}, {"XREAD", "COUNT", "1", "COUNT", "2", "STREAMS", "a", "0"},
      {"XREAD", "STREAMS", "a", "18446744073709551615-18446744073709551615"}})));
  return s;
  // clang-format on
}

std::vector<MultiScript> StreamReadScripts() {
  // Tables of steps read best one per line; keep them as written.
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"xread waits past $ and is served by another client", 3,
               {{2, {"XADD", "s", "1-1", "f", "old"}},
                {0, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}},
                {1, {"XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "nokey", "s", "$", "$"}},
                {2, {"XADD", "s", "2-1", "f", "new", "", "XADD", "s", "3-1", "g", "x"}},
                {2, {"XLEN", "s"}}}});
  s.push_back({"xread on a missing key waits for its first entry", 2,
               {{0, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}},
                {1, {"XADD", "s", "5-5", "f", "v"}},
                {0, {"XREAD", "BLOCK", "0", "STREAMS", "s", "5-5"}},
                {1, {"XADD", "s", "5-6", "a", "1", "", "PING"}}}});
  s.push_back({"served after EXEC, from the key that got entries", 2,
               {{0, {"XREAD", "BLOCK", "0", "STREAMS", "a", "b", "0", "0"}},
                {1, {"MULTI", "", "XADD", "b", "1-1", "f", "v", "", "XADD", "b", "1-2", "f", "w", "", "EXEC"}},
                {0, {"XREAD", "BLOCK", "0", "STREAMS", "c", "$"}},
                {1, {"MULTI", "", "XADD", "c", "1-1", "f", "v", "", "XDEL", "c", "1-1", "", "EXEC"}},
                {1, {"XLEN", "c"}}}});
  s.push_back({"no waiting inside MULTI", 1,
               {{0, {"MULTI", "", "XREAD", "BLOCK", "0", "STREAMS", "s", "$", "", "XADD", "s", "1-1", "f", "v", "", "XREAD", "BLOCK", "0", "STREAMS", "s", "$", "", "EXEC"}}}});
  s.push_back({"timeouts and client unblock", 2,
               {{0, {"XREAD", "BLOCK", "10", "STREAMS", "s", "$"}},
                {1, {"PING"}},
                {0, {"PING"}},
                {0, {"XREAD", "BLOCK", "0", "STREAMS", "s", "0"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}"}},
                {0, {"XREAD", "BLOCK", "0", "STREAMS", "s", "0"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "ERROR"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "ERROR"}}}});
  s.push_back({"a wrong-typed value does not serve; a held pipeline waits", 2,
               {{0, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$", "", "PING", "", "XLEN", "s"}},
                {1, {"SET", "s", "str", "", "DEL", "s"}},
                {1, {"RPUSH", "s", "x", "", "DEL", "s"}},
                {1, {"XADD", "s", "1-1", "f", "v"}},
                {1, {"XADD", "s", "2-1", "f", "v"}}}});
  s.push_back({"rename readies a key", 2,
               {{0, {"XREAD", "BLOCK", "0", "STREAMS", "dst", "0"}},
                {1, {"XADD", "src", "1-1", "f", "v", "", "RENAME", "src", "dst"}}}});
  s.push_back({"resp3 replies", 2,
               {{0, {"HELLO", "3"}, true},
                {0, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}},
                {1, {"XADD", "s", "1-1", "f", "v"}},
                {0, {"XREAD", "STREAMS", "s", "nokey", "0", "0", "", "XREAD", "STREAMS", "s", "1-1"}},
                {0, {"XREAD", "BLOCK", "10", "STREAMS", "s", "$"}},
                {1, {"PING"}},
                {0, {"PING"}},
                {0, {"MULTI", "", "XREAD", "BLOCK", "0", "STREAMS", "s", "$", "", "EXEC"}}}});
  // clang-format on
  return s;
}

}  // namespace

TEST_CASE("XREAD answers like redis-server 7, byte for byte",
          "[integration][redis][differential][streams]") {
  kvgate::testing::CompareScripts(StreamReadNowScripts(), /*resp3=*/true);
}

TEST_CASE("XREAD BLOCK matches redis-server", "[integration][redis][differential][streams]") {
  kvgate::testing::CompareMulti(StreamReadScripts());
}

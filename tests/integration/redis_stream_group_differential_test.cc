// File: tests/integration/redis_stream_group_differential_test.cc
// Consumer group administration against a real redis-server 7.0, byte for byte in RESP2 and
// RESP3: XGROUP CREATE (MKSTREAM, $, ENTRIESREAD and its bounds, BUSYGROUP), SETID, DESTROY,
// CREATECONSUMER, DELCONSUMER and HELP with their errors in Redis's order (options, key,
// group, ID), XACK (missing key or group before the IDs), and XINFO GROUPS' counters and lag
// before and after deletes, trims and SETID. Consumer idle and seen times differ by the
// clock, so the scripts read consumers only through counts.
//
//   CompareScripts(StreamGroupScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/script_diff.h"
#include "integration/support/stream_cmds.h"

namespace {

using kvgate::testing::AddRange;
using kvgate::testing::Concat;
using kvgate::testing::S;
using kvgate::testing::Script;

std::vector<Script> StreamGroupScripts() {
  // Tables of commands read best one script per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("xgroup create and its errors", {
      {"XGROUP", "CREATE", "s", "g", "$"}, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"},
      {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}, {"XGROUP", "CREATE", "s", "g2", "0", "BAD"},
      {"XGROUP", "CREATE", "s", "g3", "zz"}, {"XGROUP", "CREATE", "s", "g4", "-"},
      {"XGROUP", "CREATE", "s", "g5", "0", "ENTRIESREAD", "-2"}, {"XGROUP", "CREATE", "s", "g5", "0", "ENTRIESREAD", "x"},
      {"XGROUP", "CREATE", "s", "g5", "0", "ENTRIESREAD"}, {"XGROUP", "CREATE", "s", "g6", "0", "ENTRIESREAD", "-1"},
      {"XGROUP", "CREATE", "s", "g7", "5-5", "MKSTREAM", "ENTRIESREAD", "3"},
      {"XGROUP", "CREATE", "s", "g8", "0", "MKSTREAM", "ENTRIESREAD", "3", "MKSTREAM", "X"},
      {"XGROUP", "CREATE", "nokey", "g", "zz"}, {"XGROUP", "CREATE", "s"}, {"XGROUP", "SETID", "s", "g", "0", "MKSTREAM"},
      {"XINFO", "GROUPS", "s"}, {"XINFO", "STREAM", "s"}, {"XGROUP", "HELP"}, {"XGROUP", "help", "x"},
      {"XGROUP", "NOPE", "s", "g"}, {"XGROUP"}, {"SET", "str", "v"}, {"XGROUP", "CREATE", "str", "g", "$"},
      {"XGROUP", "DESTROY", "str", "g"}, {"XACK", "str", "g", "1-0"}, {"EXISTS", "nokey"}}));
  s.push_back(S("setid, consumers and destroy", Concat(AddRange("s", 1, 5), {
      {"XGROUP", "CREATE", "s", "g", "0"}, {"XGROUP", "SETID", "s", "nog", "0"}, {"XGROUP", "SETID", "nokey", "g", "0"},
      {"XGROUP", "SETID", "s", "g", "3-1"}, {"XINFO", "GROUPS", "s"}, {"XGROUP", "SETID", "s", "g", "3-1", "ENTRIESREAD", "3"},
      {"XINFO", "GROUPS", "s"}, {"XGROUP", "SETID", "s", "g", "$"}, {"XINFO", "GROUPS", "s"},
      {"XGROUP", "SETID", "s", "g", "+"}, {"XGROUP", "SETID", "s", "g", "-"}, {"XINFO", "GROUPS", "s"},
      {"XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD"}, {"XGROUP", "SETID", "s", "g", "0", "BAD", "1"},
      {"XGROUP", "CREATECONSUMER", "s", "g", "alice"}, {"XGROUP", "CREATECONSUMER", "s", "g", "alice"},
      {"XGROUP", "CREATECONSUMER", "s", "nog", "alice"}, {"XGROUP", "CREATECONSUMER", "s", "g"},
      {"XGROUP", "CREATECONSUMER", "s", "g", ""}, {"XINFO", "GROUPS", "s"},
      {"XGROUP", "DELCONSUMER", "s", "g", "bob"}, {"XGROUP", "DELCONSUMER", "s", "g", "alice"},
      {"XGROUP", "DELCONSUMER", "s", "nog", "alice"}, {"XGROUP", "DELCONSUMER", "s", "g", ""},
      {"XINFO", "CONSUMERS", "s", "g"}, {"XGROUP", "DESTROY", "s", "g"}, {"XGROUP", "DESTROY", "s", "g"},
      {"XGROUP", "DESTROY", "nokey", "g"}, {"XGROUP", "DESTROY", "s"}, {"XINFO", "GROUPS", "s"}})));
  s.push_back(S("lag after deletes, trims and adds", Concat(AddRange("s", 1, 6), {
      {"XGROUP", "CREATE", "s", "a", "0"}, {"XGROUP", "CREATE", "s", "b", "0", "ENTRIESREAD", "0"},
      {"XGROUP", "CREATE", "s", "c", "$"}, {"XGROUP", "CREATE", "s", "d", "3-1"}, {"XINFO", "GROUPS", "s"},
      {"XDEL", "s", "4-1"}, {"XINFO", "GROUPS", "s"}, {"XTRIM", "s", "MAXLEN", "1"}, {"XINFO", "GROUPS", "s"},
      {"XADD", "s", "9-1", "f", "v"}, {"XINFO", "GROUPS", "s"}, {"XTRIM", "s", "MAXLEN", "0"}, {"XINFO", "GROUPS", "s"},
      {"XINFO", "STREAM", "s"}, {"DUMP", "s"}})));
  s.push_back(S("xack", Concat(AddRange("s", 1, 3), {
      {"XACK", "nokey", "g", "1-1"}, {"XACK", "s", "nog", "zz"}, {"XGROUP", "CREATE", "s", "g", "0"},
      {"XACK", "s", "g", "zz"}, {"XACK", "s", "g", "1-1", "2-1"}, {"XACK", "s", "g", "-"}, {"XACK", "s", "g"},
      {"XACK", "s", "g", "1"}})));
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("XGROUP, XACK and XINFO GROUPS answer like redis-server 7, byte for byte",
          "[integration][redis][differential][streams]") {
  kvgate::testing::CompareScripts(StreamGroupScripts(), /*resp3=*/true);
}

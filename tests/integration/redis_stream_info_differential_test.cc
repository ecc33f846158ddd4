// File: tests/integration/redis_stream_info_differential_test.cc
// XINFO against a real redis-server 7.0, byte for byte in RESP2 and RESP3: XINFO STREAM (FULL,
// COUNT, its syntax errors, a missing key before any option), XINFO HELP / GROUPS / CONSUMERS,
// and the radix-tree counts of streams across many nodes, after deletes and trims, with large
// and binary entries (Redis's node boundaries), with their DUMP bytes and MEMORY USAGE.
//
//   CompareScripts(StreamInfoScripts(), /*resp3=*/true);
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

std::vector<Script> StreamInfoScripts() {
  // Tables of commands read best one script per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("xinfo stream", Concat(AddRange("s", 1, 15), {
      {"XINFO", "STREAM", "nokey"}, {"XINFO", "STREAM", "nokey", "BAD"}, {"XINFO", "STREAM", "s"},
      {"XINFO", "STREAM", "s", "FULL"}, {"XINFO", "STREAM", "s", "full", "count", "2"}, {"MEMORY", "USAGE", "s"},
      {"XINFO", "STREAM", "s", "FULL", "COUNT", "0"}, {"XINFO", "STREAM", "s", "FULL", "COUNT", "-1"},
      {"XINFO", "STREAM", "s", "FULL", "COUNT", "x"}, {"XINFO", "STREAM", "s", "FULL", "COUNT"},
      {"XINFO", "STREAM", "s", "BAD"}, {"XINFO", "STREAM", "s", "FULL", "LIMIT", "2"},
      {"XINFO", "STREAM"}, {"XINFO"}, {"XINFO", "HELP"}, {"XINFO", "help", "x"}, {"XINFO", "NOPE", "s"},
      {"XINFO", "GROUPS", "s"}, {"XINFO", "GROUPS", "nokey"}, {"XINFO", "CONSUMERS", "s", "g"},
      {"XINFO", "CONSUMERS", "nokey", "g"}, {"XTRIM", "s", "MAXLEN", "0"}, {"XINFO", "STREAM", "s"},
      {"XINFO", "STREAM", "s", "FULL"}})));
  s.push_back(S("many entries across nodes", Concat(AddRange("m", 1, 1200, 3), {
      {"XINFO", "STREAM", "m"}, {"DUMP", "m"}, {"MEMORY", "USAGE", "m"}, {"MEMORY", "USAGE", "m", "SAMPLES", "0"},
      {"XDEL", "m", "5-1", "150-1", "1199-1"},
      {"XTRIM", "m", "MAXLEN", "1100"}, {"DUMP", "m"}, {"XINFO", "STREAM", "m"},
      {"XTRIM", "m", "MAXLEN", "~", "555"}, {"XLEN", "m"}, {"XINFO", "STREAM", "m"},
      {"XRANGE", "m", "990", "1001"}, {"XREVRANGE", "m", "+", "-", "COUNT", "3"}})));
  s.push_back(S("binary fields and large entries", Concat(AddRange("big", 1, 30, 700), {
      {"XADD", "b", "1-1", std::string("f\0\r\n", 4), std::string("v\0x", 3), "", ""},
      {"XADD", "b", "2-1", "12", "-5", "123456789012", "0"}, {"XRANGE", "b", "-", "+"},
      {"XADD", "b", "3-1", std::string(5000, 'x'), std::string(70000, 'y')}, {"XLEN", "b"},
      {"XINFO", "STREAM", "big"}, {"XINFO", "STREAM", "b"}, {"DUMP", "b"}, {"DUMP", "big"},
      {"XTRIM", "big", "MAXLEN", "~", "20"}, {"XLEN", "big"}})));
  s.push_back(S("xinfo after deletes, trims and xsetid", Concat(AddRange("s", 1, 6), {
      {"XDEL", "s", "1-1", "3-1"}, {"XINFO", "STREAM", "s"}, {"XTRIM", "s", "MAXLEN", "1"},
      {"XINFO", "STREAM", "s", "FULL"}, {"XSETID", "s", "10-1", "ENTRIESADDED", "7", "MAXDELETEDID", "2-0"},
      {"XINFO", "STREAM", "s"}, {"XDEL", "s", "5-1"}, {"XINFO", "STREAM", "s"}, {"XADD", "s", "11-1", "f", "v"},
      {"XINFO", "STREAM", "s"}, {"XADD", "e", "MAXLEN", "0", "1-1", "f", "v"}, {"XINFO", "STREAM", "e"},
      {"SET", "k", "v"}, {"XINFO", "STREAM", "k"}, {"XINFO", "GROUPS", "k"}})));
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("XINFO answers like redis-server 7, byte for byte",
          "[integration][redis][differential][streams]") {
  kvgate::testing::CompareScripts(StreamInfoScripts(), /*resp3=*/true);
}

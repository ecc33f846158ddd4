// File: tests/integration/redis_stream_differential_test.cc
// Streams against a real redis-server 7.0, byte for byte in RESP2 and RESP3: XADD's IDs (ms-*,
// explicit, the top and 0-0 errors, an exhausted stream, every malformed form string2ull takes
// or refuses), NOMKSTREAM, MAXLEN / MINID with = and ~ and LIMIT and their errors, XLEN, XRANGE /
// XREVRANGE (- +, exclusive bounds, incomplete IDs, counts), XDEL, XTRIM, XSETID, DUMP after
// each (Redis's listpack bytes, node boundaries, deletion flags and IDs), wrong types, wrong
// arity, MULTI, pipelines, and the keyspace events (two connections). XINFO and XREAD have
// their own files. IDs are explicit:
// `*` takes the clock, so it is covered in process (tests/translate/redis/stream_cmds_test.cc).
//
//   CompareScripts(StreamScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/script_diff.h"
#include "integration/support/stream_cmds.h"

namespace {

using kvgate::testing::MultiScript;
using kvgate::testing::S;
using kvgate::testing::Script;

using kvgate::testing::AddRange;
using kvgate::testing::Concat;

std::vector<Script> StreamScripts() {
  // Tables of commands read best one script per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("xadd xlen xrange basics", {
      {"XADD", "s", "1-1", "f", "v"}, {"XADD", "s", "1-2", "f", "v", "g", "w"},
      {"XADD", "s", "2-0", "a", "1", "b", "2"}, {"XLEN", "s"}, {"XRANGE", "s", "-", "+"},
      {"XREVRANGE", "s", "+", "-"}, {"TYPE", "s"}, {"OBJECT", "ENCODING", "s"},
      {"XLEN", "nokey"}, {"XRANGE", "nokey", "-", "+"}, {"XREVRANGE", "nokey", "+", "-"},
      {"XADD", "s"}, {"XADD", "s", "3-0"}, {"XADD", "s", "3-0", "f"}, {"XADD", "s", "3-0", "f", "v", "g"},
      {"XLEN"}, {"XLEN", "a", "b"}, {"XRANGE", "s", "-"}, {"EXISTS", "s"}}));
  s.push_back(S("xadd ids", {
      {"XADD", "s", "5-*", "f", "v"}, {"XADD", "s", "5-*", "f", "v"}, {"XADD", "s", "7-*", "f", "v"},
      {"XADD", "s", "7-1", "f", "v"}, {"XADD", "s", "6-9", "f", "v"}, {"XADD", "s", "8", "f", "v"},
      {"XADD", "s", "8", "f", "v"}, {"XADD", "z", "0-0", "f", "v"}, {"XADD", "z", "0", "f", "v"},
      {"XADD", "z", "0-*", "f", "v"}, {"EXISTS", "z"}, {"XADD", "s", "abc", "f", "v"},
      {"XADD", "s", "9-abc", "f", "v"}, {"XADD", "s", "9-", "f", "v"}, {"XADD", "s", "-", "f", "v"},
      {"XADD", "s", "+", "f", "v"}, {"XADD", "s", "-9", "f", "v"}, {"XADD", "s", "9--1", "f", "v"},
      {"XADD", "s", "+10", "f", "v"}, {"XADD", "s", " 11", "f", "v"}, {"XADD", "s", "012-0", "f", "v"},
      {"XADD", "s", "13-+1", "f", "v"}, {"XADD", "s", "14- 1", "f", "v"}, {"XADD", "s", "-0", "f", "v"},
      {"XADD", "s", "18446744073709551616-0", "f", "v"}, {"XADD", "s", "1e3", "f", "v"},
      {"XADD", "s", "99-*-*", "f", "v"}, {"XADD", "s", "100-**", "f", "v"}, {"XADD", "s", "*-1", "f", "v"},
      {"XADD", "s", std::string(130, '1'), "f", "v"}, {"XADD", "s", std::string("200\0-1", 6), "f", "v"},
      {"XADD", "s", "18446744073709551615-18446744073709551614", "f", "v"},
      {"XADD", "s", "18446744073709551615-*", "f", "v"}, {"XADD", "s", "18446744073709551615-*", "f", "v"},
      {"XADD", "s", "*", "f", "v"}, {"XRANGE", "s", "-", "+"}}));
  s.push_back(S("xadd options and their errors", {
      {"XADD", "nokey", "NOMKSTREAM", "1-1", "f", "v"}, {"EXISTS", "nokey"},
      {"XADD", "s", "nomkstream", "1-1", "f", "v"}, {"XADD", "s", "NOMKSTREAM", "2-1", "f", "v"},
      {"XADD", "s", "MAXLEN", "-1", "3-1", "f", "v"}, {"XADD", "s", "MAXLEN", "x", "3-1", "f", "v"},
      {"XADD", "s", "MAXLEN", "1", "MINID", "1", "3-1", "f", "v"},
      {"XADD", "s", "MINID", "1", "MAXLEN", "1", "3-1", "f", "v"},
      {"XADD", "s", "LIMIT", "10", "3-1", "f", "v"}, {"XADD", "s", "MAXLEN", "5", "LIMIT", "10", "3-1", "f", "v"},
      {"XADD", "s", "MAXLEN", "~", "5", "LIMIT", "-1", "3-1", "f", "v"},
      {"XADD", "s", "MAXLEN", "~", "5", "LIMIT", "x", "3-1", "f", "v"},
      {"XADD", "s", "MINID", "abc", "3-1", "f", "v"}, {"XADD", "s", "MINID", "-", "3-1", "f", "v"},
      {"XADD", "s", "MAXLEN", "=", "1", "3-1", "f", "v"}, {"XRANGE", "s", "-", "+"},
      {"XADD", "s", "MAXLEN", "~", "0", "4-1", "f", "v"}, {"XLEN", "s"},
      {"XADD", "s", "maxlen", "=", "0", "5-1", "f", "v"}, {"XLEN", "s"}, {"XRANGE", "s", "-", "+"},
      {"XADD", "s", "MINID", "7", "6-1", "f", "v"}, {"XLEN", "s"}, {"EXISTS", "s"},
      {"XADD", "s", "MINID", "=", "7-1", "7-1", "f", "v"}, {"XADD", "s", "MAXLEN", "~", "1", "LIMIT", "0", "8-1", "f", "v"},
      {"XADD", "s", "MAXLEN", "~", "1", "LIMIT", "1", "9-1", "f", "v"}, {"XLEN", "s"},
      {"XADD", "s", "MAXLEN", "1", "MAXLEN", "1", "10-1", "f", "v"}, {"XADD", "s", "MAXLEN"},
      {"XADD", "s", "MAXLEN", "~"}, {"XADD", "s", "MAXLEN", "~", "1"}, {"XADD", "s", "MAXLEN", "1", "f", "v"},
      {"XADD", "s", "NOMKSTREAM", "NOMKSTREAM", "NOMKSTREAM"}}));
  s.push_back(S("xrange bounds and counts", Concat(AddRange("s", 1, 8), {
      {"XADD", "s", "8-0", "f", "v"}, {"XADD", "s", "8-5", "f", "v"},
      {"XRANGE", "s", "2", "4"}, {"XRANGE", "s", "(2-1", "(4-1"}, {"XRANGE", "s", "(2", "4-0"},
      {"XREVRANGE", "s", "(5-1", "(2-1"}, {"XREVRANGE", "s", "5", "5"}, {"XRANGE", "s", "8", "8"},
      {"XRANGE", "s", "8-1", "8-4"}, {"XRANGE", "s", "5", "2"}, {"XRANGE", "s", "-", "+", "COUNT", "3"},
      {"XREVRANGE", "s", "+", "-", "count", "2"}, {"XRANGE", "s", "-", "+", "COUNT", "0"},
      {"XRANGE", "s", "-", "+", "COUNT", "-5"}, {"XRANGE", "s", "-", "+", "COUNT", "9223372036854775807"},
      {"XRANGE", "s", "-", "+", "COUNT", "x"}, {"XRANGE", "s", "-", "+", "COUNT"}, {"XRANGE", "s", "-", "+", "LIMIT", "1"},
      {"XRANGE", "s", "-", "+", "COUNT", "1", "COUNT", "2"}, {"XRANGE", "s", "(-", "+"}, {"XRANGE", "s", "-", "(+"},
      {"XRANGE", "s", "(", "+"}, {"XRANGE", "s", "((1", "+"}, {"XRANGE", "s", "x", "+"}, {"XRANGE", "s", "-", "y"},
      {"XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"}, {"XRANGE", "s", "-", "(0-0"},
      {"XRANGE", "s", "(0-0", "(18446744073709551615-18446744073709551615"},
      {"XRANGE", "nokey", "x", "+"}, {"XRANGE", "nokey", "-", "+", "COUNT", "0"}, {"XRANGE", "s", "+", "-"},
      {"XREVRANGE", "s", "-", "+"}, {"XRANGE", "s", "18446744073709551615", "+"}})));
  s.push_back(S("xdel", Concat(AddRange("s", 1, 6), {
      {"XDEL", "nokey", "x"}, {"XDEL", "s", "x"}, {"XDEL", "s", "1-1", "x"}, {"XLEN", "s"},
      {"XDEL", "s", "1-1", "1-1", "3-1", "9-9"}, {"XDEL", "s", "1-1"}, {"XDEL", "s", "2"},
      {"XDEL", "s", "-"}, {"XDEL", "s"}, {"XRANGE", "s", "-", "+"}, {"XDEL", "s", "2-1", "4-1", "5-1"},
      {"XLEN", "s"}, {"EXISTS", "s"}, {"XRANGE", "s", "-", "+"}, {"XADD", "s", "5-1", "f", "v"},
      {"XADD", "s", "6-1", "f", "v"}, {"XRANGE", "s", "-", "+"}, {"DUMP", "s"}})));
  s.push_back(S("xtrim", Concat(AddRange("s", 1, 251), {
      {"XTRIM", "nokey", "MAXLEN", "0"}, {"XTRIM", "s"}, {"XTRIM", "s", "MAXLEN"}, {"XTRIM", "s", "LIMIT", "1"},
      {"XTRIM", "s", "FOO", "1"}, {"XTRIM", "s", "MAXLEN", "-1"}, {"XTRIM", "s", "MAXLEN", "1", "LIMIT", "5"},
      {"XTRIM", "s", "MAXLEN", "1", "NOMKSTREAM"}, {"XTRIM", "s", "MAXLEN", "~", "180"}, {"XLEN", "s"},
      {"XTRIM", "s", "MAXLEN", "~", "150"}, {"XLEN", "s"}, {"XTRIM", "s", "MAXLEN", "120"}, {"XLEN", "s"},
      {"DUMP", "s"}, {"XTRIM", "s", "MINID", "~", "210"}, {"XLEN", "s"},
      {"XTRIM", "s", "MINID", "210"}, {"XLEN", "s"}, {"XRANGE", "s", "-", "+", "COUNT", "1"},
      {"XTRIM", "s", "MINID", "~", "260", "LIMIT", "10"}, {"XLEN", "s"},
      {"XTRIM", "s", "MAXLEN", "=", "0"}, {"XLEN", "s"}, {"EXISTS", "s"}, {"DUMP", "s"}})));
  s.push_back(S("xsetid", Concat(AddRange("s", 1, 4), {
      {"XSETID", "nokey", "1-1"}, {"XSETID", "s", "x"}, {"XSETID", "s", "-"}, {"XSETID", "s", "2-1"},
      {"XSETID", "s", "3-1"}, {"XSETID", "s", "10-1", "ENTRIESADDED", "1"}, {"XSETID", "s", "10-1", "ENTRIESADDED", "-1"},
      {"XSETID", "s", "10-1", "ENTRIESADDED", "x"}, {"XSETID", "s", "10-1", "MAXDELETEDID", "11-0"},
      {"XSETID", "s", "10-1", "MAXDELETEDID", "x"}, {"XSETID", "s", "10-1", "FOO", "1"}, {"XSETID", "s", "10-1", "ENTRIESADDED"},
      {"XSETID", "s", "10-1", "ENTRIESADDED", "7", "MAXDELETEDID", "2-0"}, {"DUMP", "s"},
      {"XADD", "s", "10-1", "f", "v"}, {"XADD", "s", "10-*", "f", "v"}, {"XDEL", "s", "1-1", "2-1", "3-1", "10-2"},
      {"XSETID", "s", "0-1"}, {"DUMP", "s"}, {"XSETID", "nokey", "x"}, {"XSETID", "s"}})));
  s.push_back(S("wrong types", {
      {"SET", "k", "v"}, {"XADD", "k", "1-1", "f", "v"}, {"XLEN", "k"}, {"XRANGE", "k", "-", "+"},
      {"XREVRANGE", "k", "+", "-"}, {"XDEL", "k", "1-1"}, {"XTRIM", "k", "MAXLEN", "0"}, {"XSETID", "k", "1-1"},
      {"XRANGE", "k", "x", "+"}, {"XDEL", "k", "x"},
      {"XADD", "s", "1-1", "f", "v"}, {"LPUSH", "s", "x"}, {"GET", "s"}, {"HGET", "s", "f"}, {"SADD", "s", "m"},
      {"ZCARD", "s"}, {"SORT", "s"}, {"APPEND", "s", "x"}, {"SET", "s", "str"}, {"TYPE", "s"}}));
  s.push_back(S("streams in MULTI, pipelined", {
      {"MULTI"}, {"XADD", "s", "1-1", "f", "v"}, {"XADD", "s", "1-1", "f", "v"}, {"XLEN", "s"},
      {"XRANGE", "s", "-", "+"}, {"EXEC"},
      {"XADD", "s", "2-1", "f", "v"}, {"XRANGE", "s", "-", "+"}, {"DEL", "s"}, {"XLEN", "s"}}));
  return s;
  // clang-format on
}

std::vector<MultiScript> StreamEventScripts() {
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"stream keyspace events", 2,
               {{0, {"PSUBSCRIBE", "__key*__:*"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}},
                {1, {"XADD", "s", "1-1", "f", "v"}},
                {1, {"XADD", "s", "MAXLEN", "1", "2-1", "f", "v"}},
                {1, {"XADD", "s", "MAXLEN", "5", "3-1", "f", "v"}},
                {1, {"XADD", "s", "1-1", "f", "v"}},
                {1, {"XADD", "nokey", "NOMKSTREAM", "1-1", "f", "v"}},
                {1, {"XDEL", "s", "9-9"}},
                {1, {"XDEL", "s", "2-1"}},
                {1, {"XTRIM", "s", "MAXLEN", "5"}},
                {1, {"XTRIM", "s", "MAXLEN", "0"}},
                {1, {"XSETID", "s", "9-9"}},
                {1, {"XSETID", "s", "1-1"}},
                {1, {"RENAME", "s", "t"}},
                {1, {"DEL", "t"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", ""}}}});
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("Redis streams answer like redis-server 7, byte for byte",
          "[integration][redis][differential][streams]") {
  kvgate::testing::CompareScripts(StreamScripts(), /*resp3=*/true);
}

TEST_CASE("Redis stream keyspace events match redis-server 7",
          "[integration][redis][differential][streams]") {
  kvgate::testing::CompareMulti(StreamEventScripts());
}

// File: tests/integration/redis_bits_differential_test.cc
// SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO LCS against a real redis-server 7.0,
// byte for byte in RESP2 and RESP3 (support/script_diff.h): valid and pipelined use, wrong
// arity, bad offsets, types and units, negative and huge values, binary data, the overflow
// policies, empty and missing keys, and the keyspace events (support/multi_conn_diff.h).
// Where kvgate differs on purpose (README "Known differences") no script goes.
//
//   CompareScripts(BitScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/script_diff.h"

namespace {

using kvgate::testing::MultiScript;
using kvgate::testing::Raw;
using kvgate::testing::S;
using kvgate::testing::Script;
using namespace std::string_literals;

std::vector<Script> BitScripts() {
  // Tables of commands read best one script per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("setbit getbit", {{"SETBIT", "k", "7", "1"}, {"GET", "k"}, {"SETBIT", "k", "7", "1"},
                                  {"SETBIT", "k", "7", "0"}, {"SETBIT", "k", "100", "1"}, {"STRLEN", "k"},
                                  {"GETBIT", "k", "100"}, {"GETBIT", "k", "99"}, {"GETBIT", "k", "999999"},
                                  {"GETBIT", "nokey", "0"}, {"SETBIT", "z", "0", "0"}, {"GET", "z"},
                                  {"SET", "n", "12"}, {"GETBIT", "n", "2"}, {"SETBIT", "n", "7", "0"}, {"GET", "n"},
                                  {"DEL", "k"}}));
  s.push_back(S("setbit getbit errors", {{"SETBIT", "k", "-1", "1"}, {"SETBIT", "k", "4294967296", "1"},
                                         {"SETBIT", "k", "1.5", "1"}, {"SETBIT", "k", " 1", "1"},
                                         {"SETBIT", "k", "01", "1"}, {"SETBIT", "k", "1", "2"},
                                         {"SETBIT", "k", "1", "-1"}, {"SETBIT", "k", "1", ""},
                                         {"SETBIT", "k", "x", "x"}, {"SETBIT", "k", "1"},
                                         {"SETBIT", "k", "1", "1", "1"}, {"GETBIT", "k"},
                                         {"GETBIT", "k", "-5"}, {"GETBIT", "k", "99999999999"},
                                         {"GETBIT", "k", "1\0"s}, {"EXISTS", "k"}}));
  s.push_back(S("setbit setbit ttl", {{"SET", "t", "a", "EX", "1000"}, {"SETBIT", "t", "1", "0"},
                                      {"TTL", "t"}, {"SETBIT", "t", "30", "1"}, {"TTL", "t"}, {"GET", "t"}}));
  s.push_back(S("bitcount", {{"SET", "k", "foobar"}, {"BITCOUNT", "k"}, {"BITCOUNT", "k", "0", "0"},
                             {"BITCOUNT", "k", "1", "1"}, {"BITCOUNT", "k", "1", "1", "BYTE"},
                             {"BITCOUNT", "k", "5", "30", "BIT"}, {"BITCOUNT", "k", "5", "30", "bit"},
                             {"BITCOUNT", "k", "-2", "-1"}, {"BITCOUNT", "k", "-9", "-1", "BIT"},
                             {"BITCOUNT", "k", "0", "-1", "BIT"}, {"BITCOUNT", "k", "0", "1000"},
                             {"BITCOUNT", "k", "3", "2"}, {"BITCOUNT", "k", "7", "7", "BIT"},
                             {"BITCOUNT", "k", "47", "47", "BIT"}, {"BITCOUNT", "k", "48", "100", "BIT"},
                             {"BITCOUNT", "k", "-100", "-200"}, {"BITCOUNT", "k", "-200", "-100"},
                             {"BITCOUNT", "k", "-1", "-2", "FOO"},
                             {"BITCOUNT", "k", "-9223372036854775808", "9223372036854775807"},
                             {"BITCOUNT", "k", "-9223372036854775808", "9223372036854775807", "BIT"}}));
  s.push_back(S("bitcount errors", {{"SET", "k", "foobar"}, {"BITCOUNT", "k", "0"}, {"BITCOUNT", "k", "0", "1", "2"},
                                    {"BITCOUNT", "k", "0", "1", "BIT", "x"}, {"BITCOUNT", "k", "a", "1"},
                                    {"BITCOUNT", "k", "1", "a"}, {"BITCOUNT", "k", "0", "-1", "bits"},
                                    {"BITCOUNT", "k", "99999999999999999999", "1"},
                                    {"BITCOUNT", "nokey", "a", "b"}, {"BITCOUNT", "nokey", "0"},
                                    {"BITCOUNT", "nokey"}, {"BITCOUNT"}, {"SET", "e", ""}, {"BITCOUNT", "e"},
                                    {"BITCOUNT", "e", "0", "-1"}, {"BITCOUNT", "e", "0", "-1", "BIT"},
                                    {"BITCOUNT", "e", "0"}}));
  s.push_back(S("bitpos", {{"SET", "k", "\xff\xf0\x00"s}, {"BITPOS", "k", "0"}, {"BITPOS", "k", "1"},
                           {"BITPOS", "k", "1", "1"}, {"BITPOS", "k", "1", "2"}, {"BITPOS", "k", "0", "2"},
                           {"BITPOS", "k", "0", "0", "0"}, {"BITPOS", "k", "0", "-1"}, {"BITPOS", "k", "1", "-2", "-1"},
                           {"BITPOS", "k", "1", "7", "15", "BIT"}, {"BITPOS", "k", "0", "7", "11", "BIT"},
                           {"BITPOS", "k", "0", "3", "12", "bit"}, {"BITPOS", "k", "0", "1", "1", "byte"},
                           {"BITPOS", "k", "1", "12", "-1", "BIT"}, {"BITPOS", "k", "0", "-5", "-1", "BIT"},
                           {"BITPOS", "k", "1", "5", "2"}, {"BITPOS", "k", "0", "100"},
                           {"SET", "f", "\xff\xff"s}, {"BITPOS", "f", "0"}, {"BITPOS", "f", "0", "1"},
                           {"BITPOS", "f", "0", "0", "-1"}, {"BITPOS", "f", "0", "0", "15", "BIT"},
                           {"BITPOS", "f", "1", "3", "3", "BIT"}, {"SET", "z", "\x00\x00\x00"s},
                           {"BITPOS", "z", "1"}, {"BITPOS", "z", "0"}, {"BITPOS", "z", "1", "0", "-1", "BIT"},
                           {"SET", "e", ""}, {"BITPOS", "e", "0"}, {"BITPOS", "e", "1"}, {"BITPOS", "e", "0", "0"},
                           {"BITPOS", "nokey", "1"}, {"BITPOS", "nokey", "0"}, {"BITPOS", "nokey", "0", "x"}}));
  s.push_back(S("bitpos errors", {{"SET", "k", "ab"}, {"BITPOS", "k", "2"}, {"BITPOS", "k", "-1"},
                                  {"BITPOS", "k", "x"}, {"BITPOS", "nokey", "2"}, {"BITPOS", "k", "1", "x"},
                                  {"BITPOS", "k", "1", "0", "x"}, {"BITPOS", "k", "1", "0", "x", "foo"},
                                  {"BITPOS", "k", "1", "0", "1", "foo"}, {"BITPOS", "k", "1", "0", "1", "bit", "x"},
                                  {"BITPOS", "k"}, {"BITPOS"}}));
  s.push_back(S("bitop", {{"SET", "a", "\xf0\x0f\xaa"s}, {"SET", "b", "\x3c"s}, {"BITOP", "AND", "d", "a", "b"},
                          {"GET", "d"}, {"BITOP", "or", "d", "a", "b", "nokey"}, {"GET", "d"},
                          {"BITOP", "Xor", "d", "a", "b", "a"}, {"GET", "d"}, {"BITOP", "NOT", "d", "a"}, {"GET", "d"},
                          {"BITOP", "AND", "a", "a", "b"}, {"GET", "a"}, {"BITOP", "NOT", "d", "nokey"},
                          {"EXISTS", "d"}, {"BITOP", "OR", "d", "x", "y"}, {"SET", "e", ""},
                          {"BITOP", "XOR", "d", "e"}, {"EXISTS", "d"}, {"SET", "t", "v", "EX", "100"},
                          {"BITOP", "NOT", "t", "b"}, {"TTL", "t"}, {"GET", "t"},
                          {"SET", "long", std::string(100, '\x5a')}, {"SET", "l2", std::string(70, '\xa5')},
                          {"BITOP", "XOR", "d", "long", "l2"}, {"GET", "d"}, {"BITOP", "AND", "d", "long", "l2", "b"},
                          {"GET", "d"}}));
  s.push_back(S("bitop errors", {{"BITOP", "NAND", "d", "a"}, {"BITOP", "NOT", "d", "a", "b"}, {"BITOP", "NOT", "d"},
                                 {"BITOP", "AND", "d"}, {"BITOP", "AND"}, {"BITOP", "and\0x"s, "d", "a"},
                                 {"BITOP", "FOO", "d"}}));
  s.push_back(S("bitfield", {{"BITFIELD", "k", "INCRBY", "i5", "100", "1", "GET", "u4", "0"},
                             {"BITFIELD", "k", "SET", "i8", "#1", "200", "GET", "u8", "8", "GET", "i8", "8"},
                             {"BITFIELD", "k", "get", "u8", "#0", "Set", "u4", "#3", "15", "incrBY", "i4", "#3", "1"},
                             {"GET", "k"}, {"BITFIELD", "k"}, {"BITFIELD", "k", "OVERFLOW", "SAT"},
                             {"BITFIELD", "nokey", "GET", "i64", "1000", "GET", "u63", "#3"}, {"EXISTS", "nokey"},
                             {"BITFIELD", "k", "GET", "i64", "0", "GET", "u63", "1", "GET", "i1", "15", "GET", "u1", "15"},
                             {"BITFIELD", "k", "SET", "u8", "0", "65", "SET", "u8", "8", "66", "GET", "u16", "0"}, {"GET", "k"},
                             {"BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i16", "#0"}, {"BITFIELD_RO", "k"},
                             {"BITFIELD", "k", "INCRBY", "u8", "0", "0"}}));
  s.push_back(S("bitfield overflow", {{"BITFIELD", "w", "INCRBY", "u2", "0", "5"},
                                      {"BITFIELD", "w", "OVERFLOW", "SAT", "INCRBY", "i8", "8", "-1000", "INCRBY", "i8", "8", "1000"},
                                      {"BITFIELD", "w", "OVERFLOW", "SAT", "SET", "u8", "16", "-1", "GET", "u8", "16"},
                                      {"BITFIELD", "w", "OVERFLOW", "WRAP", "SET", "u8", "16", "-1", "SET", "i8", "16", "300"},
                                      {"BITFIELD", "w", "OVERFLOW", "FAIL", "SET", "u8", "16", "256", "SET", "u8", "16", "255", "INCRBY", "u8", "16", "1"},
                                      {"BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "i8", "16", "-1", "INCRBY", "i8", "16", "-200"},
                                      {"BITFIELD", "i", "SET", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-1"},
                                      {"BITFIELD", "i", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "10", "INCRBY", "i64", "0", "-9223372036854775808"},
                                      {"BITFIELD", "i", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "9223372036854775807"},
                                      {"BITFIELD", "i", "OVERFLOW", "WRAP", "INCRBY", "i64", "0", "9223372036854775807"},
                                      {"BITFIELD", "u", "SET", "u63", "0", "-1", "GET", "u63", "0", "INCRBY", "u63", "0", "1"},
                                      {"BITFIELD", "u", "OVERFLOW", "SAT", "INCRBY", "u63", "0", "-9223372036854775808", "INCRBY", "u63", "0", "9223372036854775807"},
                                      {"BITFIELD", "u", "OVERFLOW", "FAIL", "INCRBY", "u63", "0", "1", "INCRBY", "u63", "0", "-9223372036854775808"},
                                      {"BITFIELD", "o", "OVERFLOW", "FAIL", "SET", "i1", "0", "1", "SET", "i1", "0", "-1", "INCRBY", "i1", "0", "1"},
                                      {"BITFIELD", "o", "OVERFLOW", "SAT", "INCRBY", "i1", "3", "5", "INCRBY", "u1", "3", "5", "INCRBY", "u1", "3", "-5"},
                                      {"BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "10"}, {"GET", "f"},
                                      {"BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "10"}, {"STRLEN", "f"},
                                      {"BITFIELD", "x", "OVERFLOW", "sat", "overflow", "wrap", "INCRBY", "u3", "0", "9"}}));
  s.push_back(S("bitfield errors", {{"BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u64", "0"}, {"EXISTS", "k"},
                                    {"BITFIELD", "k", "GET", "i65", "0"}, {"BITFIELD", "k", "GET", "i0", "0"},
                                    {"BITFIELD", "k", "GET", "I8", "0"}, {"BITFIELD", "k", "GET", "", "0"},
                                    {"BITFIELD", "k", "GET", "u08", "0"}, {"BITFIELD", "k", "GET", "u-1", "0"},
                                    {"BITFIELD", "k", "GET", "i8\0x"s, "0"}, {"BITFIELD", "k", "GET", "u8", "-1"},
                                    {"BITFIELD", "k", "GET", "u8", "#-1"}, {"BITFIELD", "k", "GET", "u8", "#"},
                                    {"BITFIELD", "k", "GET", "u8", "##1"}, {"BITFIELD", "k", "GET", "u8", "#536870912"},
                                    {"BITFIELD", "k", "GET", "u8", "#536870911"}, {"BITFIELD", "k", "GET", "u8", "4294967296"},
                                    {"BITFIELD", "k", "GET", "i64", "#1152921504606846976"},
                                    {"BITFIELD", "k", "SET", "u8", "0", "x"}, {"BITFIELD", "k", "SET", "u8", "0", "1.5"},
                                    {"BITFIELD", "k", "INCRBY", "u8", "0", "99999999999999999999"},
                                    {"BITFIELD", "k", "SET", "u8", "0"}, {"BITFIELD", "k", "GET", "u8"},
                                    {"BITFIELD", "k", "FOO"}, {"BITFIELD", "k", "OVERFLOW"},
                                    {"BITFIELD", "k", "OVERFLOW", "foo", "GET", "u8", "0"},
                                    {"BITFIELD", "k", "GET", "u8", "0", "OVERFLOW", "foo"}, {"BITFIELD"},
                                    {"BITFIELD_RO", "k", "SET", "u8", "0", "1"},
                                    {"BITFIELD_RO", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1"},
                                    {"BITFIELD_RO", "k", "GET", "u8", "0", "GET", "u64", "0"},
                                    {"BITFIELD_RO", "k", "OVERFLOW", "FAIL", "GET", "u8", "0"}, {"BITFIELD_RO"},
                                    {"EXISTS", "k"}}));
  s.push_back(S("lcs", {{"MSET", "a", "ohmytext", "b", "mynewtext"}, {"LCS", "a", "b"}, {"LCS", "b", "a"},
                        {"LCS", "a", "b", "LEN"}, {"LCS", "a", "b", "IDX"}, {"LCS", "a", "b", "idx", "withmatchlen"},
                        {"LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"},
                        {"LCS", "a", "b", "IDX", "MINMATCHLEN", "5"}, {"LCS", "a", "b", "IDX", "MINMATCHLEN", "-5"},
                        {"LCS", "a", "b", "LEN", "MINMATCHLEN", "3"}, {"LCS", "a", "b", "WITHMATCHLEN"},
                        {"LCS", "a", "b", "MINMATCHLEN", "2", "MINMATCHLEN", "3", "IDX"},
                        {"LCS", "a", "a", "IDX", "WITHMATCHLEN"}, {"LCS", "a", "nokey"}, {"LCS", "nokey", "a", "IDX"},
                        {"LCS", "x", "y", "LEN"}, {"MSET", "p", "\x00\xff\x00x\r\n"s, "q", "\xff\x00\r\nzx"s},
                        {"LCS", "p", "q"}, {"LCS", "p", "q", "IDX", "WITHMATCHLEN"},
                        {"MSET", "r", "abcabcabc", "t", "cbacbacba"}, {"LCS", "r", "t"}, {"LCS", "r", "t", "IDX"},
                        {"MSET", "u", "GTTCCTAATA", "v", "CGATAATTGAGA"}, {"LCS", "u", "v", "IDX", "WITHMATCHLEN"},
                        {"LCS", "u", "v"}}));
  s.push_back(S("lcs errors", {{"MSET", "a", "x", "b", "y"}, {"LCS", "a", "b", "LEN", "IDX"},
                               {"LCS", "a", "b", "IDX", "LEN"}, {"LCS", "a", "b", "MINMATCHLEN"},
                               {"LCS", "a", "b", "MINMATCHLEN", "x"}, {"LCS", "a", "b", "FOO"},
                               {"LCS", "a", "b", "idx\0x"s}, {"LCS", "a"}, {"LCS"}}));
  s.push_back(S("limits from proto-max-bulk-len", {{"CONFIG", "SET", "proto-max-bulk-len", "1048576"},
                                                   {"SETBIT", "b", "8388608", "1"}, {"SETBIT", "b", "8388607", "1"},
                                                   {"STRLEN", "b"}, {"BITCOUNT", "b"}, {"BITPOS", "b", "1"},
                                                   {"BITFIELD", "b", "GET", "u8", "#1048575"},
                                                   {"BITFIELD", "b", "GET", "u8", "#1048576"},
                                                   {"MSET", "x", std::string(1000, 'x'), "y", std::string(1000, 'x')},
                                                   {"LCS", "x", "y", "LEN"}, {"SET", "y", std::string(200, 'y')},
                                                   {"LCS", "x", "y", "LEN"},
                                                   {"CONFIG", "SET", "proto-max-bulk-len", "536870912"}}));
  s.push_back(S("bit commands in a transaction", {{"MULTI"}, {"SETBIT", "k", "1", "1"}, {"GETBIT", "k", "1"},
                                                  {"BITFIELD", "k", "GET", "u8", "0"}, {"BITCOUNT", "k"},
                                                  {"SETBIT", "k", "-1", "1"}, {"BITOP", "NOT", "d", "k"}, {"EXEC"},
                                                  {"MULTI"}, {"SETBIT", "k"}, {"EXEC"}, {"GET", "k"}}));
  s.push_back(Raw("bit commands inline and split", {"SETBIT k 3 1\r\nGETB", "IT k 3\r\nBITCOUNT k\r\n",
                                                    "BITPOS k 1\r\nBITFIELD k GET u4 0\r\nLCS k k\r\n"}));
  // clang-format on
  return s;
}

std::vector<MultiScript> BitEventScripts() {
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"bit commands' keyspace events", 2,
               {{0, {"PSUBSCRIBE", "__key*__:*"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}},
                {1, {"SETBIT", "k", "1", "1"}},
                {1, {"SETBIT", "k", "1", "1"}},
                {1, {"SETBIT", "k", "20", "0"}},
                {1, {"BITFIELD", "k", "SET", "u8", "0", "64"}},
                {1, {"BITFIELD", "k", "SET", "u8", "0", "65"}},
                {1, {"BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"}},
                {1, {"BITFIELD", "k", "GET", "u8", "0"}},
                {1, {"BITOP", "NOT", "d", "k"}},
                {1, {"BITOP", "AND", "d", "nokey"}},
                {1, {"BITOP", "AND", "d", "nokey"}},
                {1, {"GETBIT", "k", "1"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", ""}}}});
  // clang-format on
  return s;
}

}  // namespace

TEST_CASE("bit commands and LCS answer like redis-server 7, byte for byte",
          "[integration][redis][differential][bits]") {
  kvgate::testing::CompareScripts(BitScripts(), /*resp3=*/true);
}

TEST_CASE("bit commands' keyspace events match redis-server 7",
          "[integration][redis][differential][bits]") {
  kvgate::testing::CompareMulti(BitEventScripts());
}

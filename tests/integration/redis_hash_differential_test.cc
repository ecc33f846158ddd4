// File: tests/integration/redis_hash_differential_test.cc
// Hashes against a real redis-server 7.0, byte for byte in RESP2 and RESP3: every hash command
// valid, pipelined, on a missing key, on a key of another type (WRONGTYPE both ways: hash
// commands on a string, string commands on a hash), wrong arity, bad numbers, overflow, binary
// fields and values, the listpack -> hashtable label (OBJECT ENCODING), RENAME/COPY/MOVE of a
// hash, TYPE and SCAN TYPE. HRANDFIELD is compared where Redis is deterministic (counts >= the
// size, empty keys, errors); its random picks are checked in-process.
//
//   CompareScripts(HashScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/script_diff.h"

namespace {

using kvgate::testing::S;
using kvgate::testing::Script;

std::vector<std::string> ManyFields(const std::string& cmd, const std::string& key, int n) {
  std::vector<std::string> c{cmd, key};
  for (int i = 0; i < n; ++i) {
    c.push_back("f" + std::to_string(i));
    c.push_back("v" + std::to_string(i));
  }
  return c;
}

std::vector<Script> HashScripts() {
  const std::string bin("b\0i\r\nn", 7);
  // Tables of commands read best one script per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("hset hget basics", {{"HSET", "h", "a", "1", "b", "2"}, {"HSET", "h", "a", "3"},
                                     {"HGET", "h", "a"}, {"HGET", "h", "x"}, {"HGET", "nokey", "a"},
                                     {"HLEN", "h"}, {"HLEN", "nokey"}, {"HEXISTS", "h", "b"},
                                     {"HEXISTS", "h", "x"}, {"HSTRLEN", "h", "a"},
                                     {"HSTRLEN", "h", "x"}, {"TYPE", "h"}, {"EXISTS", "h"}}));
  s.push_back(S("hset arity", {{"HSET", "h", "a"}, {"HSET", "h", "a", "1", "b"}, {"HSET", "h"},
                               {"HMSET", "h", "a"}, {"HMSET", "h", "a", "1", "b"},
                               {"HSETNX", "h", "a"}, {"HGET", "h"}, {"HMGET", "h"},
                               {"HDEL", "h"}, {"HLEN"}, {"HGETALL", "h", "x"},
                               {"HINCRBY", "h", "a"}, {"HSCAN", "h"}, {"HRANDFIELD"}}));
  s.push_back(S("hmset hsetnx", {{"HMSET", "h", "a", "1", "b", "2"}, {"HSETNX", "h", "a", "9"},
                                 {"HSETNX", "h", "c", "3"}, {"HSETNX", "new", "f", "v"},
                                 {"HGETALL", "h"}, {"HGETALL", "new"}}));
  s.push_back(S("hmget hgetall hkeys hvals order", {
      {"HSET", "h", "z", "1", "a", "2", "m", "3"}, {"HSET", "h", "a", "22"}, {"HDEL", "h", "z"},
      {"HSET", "h", "z", "4"}, {"HMGET", "h", "a", "nope", "z", "m"}, {"HMGET", "nokey", "a", "b"},
      {"HGETALL", "h"}, {"HKEYS", "h"}, {"HVALS", "h"}, {"HGETALL", "nokey"}, {"HKEYS", "nokey"},
      {"HVALS", "nokey"}}));
  s.push_back(S("hdel deletes the emptied key", {
      {"HSET", "h", "a", "1", "b", "2"}, {"HDEL", "h", "x"}, {"HDEL", "h", "a", "a", "x"},
      {"HDEL", "h", "b"}, {"EXISTS", "h"}, {"TYPE", "h"}, {"HDEL", "h", "b"},
      {"HDEL", "nokey", "f"}, {"HLEN", "h"}}));
  s.push_back(S("hincrby", {
      {"HINCRBY", "h", "n", "5"}, {"HINCRBY", "h", "n", "-7"}, {"HINCRBY", "h", "n", "abc"},
      {"HINCRBY", "h", "n", "1.5"}, {"HSET", "h", "s", "text", "big", "9223372036854775807",
                                     "neg", "-9223372036854775808", "sp", " 1"},
      {"HINCRBY", "h", "s", "1"}, {"HINCRBY", "h", "big", "1"}, {"HINCRBY", "h", "neg", "-1"},
      {"HINCRBY", "h", "big", "0"}, {"HINCRBY", "h", "sp", "1"}, {"HGET", "h", "n"},
      {"HINCRBY", "h", "n", "9223372036854775807"}}));
  s.push_back(S("hincrbyfloat", {
      {"HINCRBYFLOAT", "h", "f", "10.5"}, {"HINCRBYFLOAT", "h", "f", "0.1"},
      {"HINCRBYFLOAT", "h", "f", "-5.0e3"}, {"HINCRBYFLOAT", "h", "f", "abc"},
      {"HINCRBYFLOAT", "h", "f", "inf"}, {"HINCRBYFLOAT", "h", "f", "nan"},
      {"HSET", "h", "s", "x", "i", "3"}, {"HINCRBYFLOAT", "h", "s", "1"},
      {"HINCRBYFLOAT", "h", "i", "1.25"}, {"HSET", "big", "max", "1.7e308"},
      {"HINCRBYFLOAT", "big", "max", "1.7e308"}, {"HGETALL", "h"}}));
  s.push_back(S("wrong types", {
      {"SET", "str", "v"}, {"HSET", "str", "f", "v"}, {"HGET", "str", "f"}, {"HGETALL", "str"},
      {"HDEL", "str", "f"}, {"HLEN", "str"}, {"HINCRBY", "str", "f", "1"}, {"HSCAN", "str", "0"},
      {"HRANDFIELD", "str"}, {"HSET", "h", "f", "v"}, {"GET", "h"}, {"APPEND", "h", "x"},
      {"INCR", "h"}, {"STRLEN", "h"}, {"GETRANGE", "h", "0", "1"}, {"SETRANGE", "h", "0", "x"},
      {"GETSET", "h", "x"}, {"SET", "h", "x", "GET"}, {"MGET", "h", "str"}, {"GETDEL", "h"},
      {"GETEX", "h"}, {"INCRBYFLOAT", "h", "1"}, {"SETBIT", "h", "1", "1"},
      {"GETBIT", "h", "1"}, {"BITCOUNT", "h"}, {"PFADD", "h", "x"}, {"TYPE", "h"},
      {"SET", "h", "replaced"}, {"GET", "h"}, {"TYPE", "h"}}));
  s.push_back(S("binary fields and values", {
      {"HSET", "h", bin, bin, "", "empty-field", "empty-value", ""},
      {"HGET", "h", bin}, {"HGET", "h", ""}, {"HSTRLEN", "h", bin}, {"HGETALL", "h"},
      {"HEXISTS", "h", ""}, {"HDEL", "h", bin}, {"HKEYS", "h"}}));
  s.push_back(S("encoding thresholds", {
      {"HSET", "small", "f", "v"}, {"OBJECT", "ENCODING", "small"},
      {"HSET", "long", "f", std::string(65, 'x')}, {"OBJECT", "ENCODING", "long"},
      {"HSET", "edge", "f", std::string(64, 'x')}, {"OBJECT", "ENCODING", "edge"},
      {"HSET", "longfield", std::string(65, 'f'), "v"}, {"OBJECT", "ENCODING", "longfield"},
      ManyFields("HSET", "many", 512), {"OBJECT", "ENCODING", "many"},
      {"HSET", "many", "one-more", "v"}, {"OBJECT", "ENCODING", "many"},
      {"HDEL", "many", "one-more", "f1", "f2"}, {"OBJECT", "ENCODING", "many"},
      {"HLEN", "many"}, {"CONFIG", "SET", "hash-max-listpack-entries", "2"},
      {"HSET", "cfg", "a", "1", "b", "2"}, {"OBJECT", "ENCODING", "cfg"},
      {"HSET", "cfg", "c", "3"}, {"OBJECT", "ENCODING", "cfg"},
      {"CONFIG", "SET", "hash-max-listpack-entries", "512"},
      {"CONFIG", "GET", "hash-max-listpack-value"}}));
  s.push_back(S("hscan of a listpack hash", {
      {"HSET", "h", "a", "1", "b", "2", "c", "3", "ab", "4"}, {"HSCAN", "h", "0"},
      {"HSCAN", "h", "0", "COUNT", "1"}, {"HSCAN", "h", "0", "MATCH", "a*"},
      {"HSCAN", "h", "0", "MATCH", "nothing"}, {"HSCAN", "nokey", "0"},
      {"HSCAN", "h", "abc"}, {"HSCAN", "h", "0", "COUNT", "0"}, {"HSCAN", "h", "0", "MATCH"},
      {"HSCAN", "h", "0", "FOO", "1"}, {"HSCAN", "h", "0", "TYPE", "hash"},
      {"HSCAN", "h", "-1"}}));
  s.push_back(S("hrandfield deterministic cases", {
      {"HSET", "h", "a", "1", "b", "2", "c", "3"}, {"HRANDFIELD", "nokey"},
      {"HRANDFIELD", "nokey", "3"}, {"HRANDFIELD", "nokey", "-3", "WITHVALUES"},
      {"HRANDFIELD", "h", "0"}, {"HRANDFIELD", "h", "3"}, {"HRANDFIELD", "h", "10", "WITHVALUES"},
      {"HRANDFIELD", "h", "abc"}, {"HRANDFIELD", "h", "1", "WITHSCORES"},
      {"HRANDFIELD", "h", "1", "WITHVALUES", "x"}, {"HRANDFIELD", "h", "-9223372036854775808"},
      {"HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"},
      {"HSET", "one", "only", "v"}, {"HRANDFIELD", "one"}, {"HRANDFIELD", "one", "-3"},
      {"HRANDFIELD", "one", "-2", "WITHVALUES"}}));
  s.push_back(S("rename copy move of a hash", {
      {"HSET", "h", "a", "1"}, {"EXPIRE", "h", "1000"}, {"RENAME", "h", "h2"},
      {"HGETALL", "h2"}, {"TTL", "h2"}, {"COPY", "h2", "h3"}, {"HSET", "h3", "a", "changed"},
      {"HGET", "h2", "a"}, {"HGET", "h3", "a"}, {"MOVE", "h3", "1"}, {"EXISTS", "h3"},
      {"SELECT", "1"}, {"HGETALL", "h3"}, {"TYPE", "h3"}, {"SELECT", "0"},
      {"COPY", "h2", "h4", "DB", "2"}, {"SELECT", "2"}, {"HGET", "h4", "a"}, {"SELECT", "0"},
      {"SET", "s", "v"}, {"RENAME", "h2", "s"}, {"TYPE", "s"}, {"HGET", "s", "a"}}));
  s.push_back(S("type scan and dbsize with hashes", {
      {"HSET", "h1", "f", "v"}, {"SET", "s1", "v"}, {"SCAN", "0", "TYPE", "hash"},
      {"SCAN", "0", "TYPE", "string"}, {"SCAN", "0", "TYPE", "list"}, {"SCAN", "0", "TYPE", "x"},
      {"DBSIZE"}, {"DEL", "h1"}, {"TYPE", "h1"}, {"DBSIZE"}}));
  s.push_back(S("hashes in a transaction", {
      {"MULTI"}, {"HSET", "h", "a", "1"}, {"HINCRBY", "h", "a", "2"}, {"HGET", "h", "a"},
      {"HSET", "h"}, {"EXEC"}, {"MULTI"}, {"HSET", "h", "b", "1"}, {"HINCRBY", "h", "b", "x"},
      {"HGETALL", "h"}, {"EXEC"}}));
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("hash commands answer like redis-server 7, byte for byte",
          "[integration][redis][differential]") {
  kvgate::testing::CompareScripts(HashScripts(), /*resp3=*/true);
}

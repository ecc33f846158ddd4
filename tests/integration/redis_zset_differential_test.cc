// File: tests/integration/redis_zset_differential_test.cc
// Sorted sets against a real redis-server 7.0, byte for byte, in RESP2 and RESP3: valid and
// pipelined commands, wrong types and arities, huge and negative counts and ranks, binary
// members, non-finite scores, ZADD and ZRANGE option combinations, STORE forms, the listpack ->
// skiplist transition (OBJECT ENCODING). Random answers (ZRANDMEMBER below a zset's size) are
// checked in process (tests/translate/redis/zset_cmds_test.cc); ZSCAN only on listpacks, whose
// answer is the whole zset in one call (a skiplist's cursors are Redis's dict positions).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/script_diff.h"

namespace {

using kvgate::testing::Raw;
using kvgate::testing::S;
using kvgate::testing::Script;
using Cmd = std::vector<std::string>;

// ZADD key with n members "m<i>" scored i (plus a prefix).
Cmd Many(const std::string& key, int n, const std::string& prefix = "m", int from = 0) {
  Cmd c = {"ZADD", key};
  for (int i = from; i < from + n; ++i) {
    c.push_back(std::to_string(i));
    c.push_back(prefix + std::to_string(i));
  }
  return c;
}

std::vector<Script> BasicScripts() {
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("zadd basics", {
      {"ZADD", "z", "1", "a", "2", "b", "3", "c"}, {"ZADD", "z", "1", "a"},
      {"ZADD", "z", "5", "a"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"},
      {"ZCARD", "z"}, {"ZCARD", "nokey"}, {"ZSCORE", "z", "a"}, {"ZSCORE", "z", "x"},
      {"ZSCORE", "nokey", "x"}, {"ZMSCORE", "z", "a", "x", "b"}, {"ZMSCORE", "nokey", "a"},
      {"TYPE", "z"}, {"OBJECT", "ENCODING", "z"}}));
  std::vector<std::string> opts = {"NX", "XX", "GT", "LT", "CH", "INCR"};
  std::vector<std::vector<std::string>> cmds = {{"ZADD", "o", "5", "a", "5", "b"}};
  for (size_t m = 0; m < 64; ++m) {
    std::vector<std::string> c = {"ZADD", "o"};
    for (size_t b = 0; b < opts.size(); ++b) {
      if (m & (1u << b)) c.push_back(opts[b]);
    }
    std::vector<std::string> c1 = c;
    c1.insert(c1.end(), {std::to_string(m % 9), "a"});
    std::vector<std::string> c2 = c;
    c2.insert(c2.end(), {std::to_string(m % 7), "b", "4", "n" + std::to_string(m)});
    cmds.push_back(c1);
    cmds.push_back(c2);
    cmds.push_back({"ZRANGE", "o", "0", "-1", "WITHSCORES"});
  }
  cmds.push_back({"ZADD", "nx1", "XX", "1", "a"});
  cmds.push_back({"EXISTS", "nx1"});
  cmds.push_back({"ZADD", "nx1", "XX", "INCR", "1", "a"});
  cmds.push_back({"ZADD", "nx1", "GT", "INCR", "1", "a"});
  s.push_back(S("zadd option combinations", cmds));
  s.push_back(S("zadd errors", {
      {"ZADD", "z"}, {"ZADD", "z", "1"}, {"ZADD", "z", "1", "a", "2"}, {"ZADD", "z", "NX"},
      {"ZADD", "z", "x", "a"}, {"ZADD", "z", "1", "a", "nan", "b"}, {"ZADD", "z", "", "a"},
      {"ZADD", "z", " 1", "a"}, {"ZADD", "z", "1 ", "a"}, {"ZADD", "z", "1e400", "a"},
      {"ZADD", "z", "0x10", "a"}, {"ZADD", "z", "1e-400", "a"},
      {"ZADD", "z", std::string("1\0", 2), "a"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"},
      {"ZADD", "z", "INCR", "1", "a", "2", "b"}, {"ZADD", "z", "GT", "LT", "1", "a"},
      {"ZADD", "z", "NX", "GT", "1", "a"}, {"ZADD", "z", "NX", "XX", "1", "a"},
      {"ZINCRBY", "z", "x", "a"}, {"ZINCRBY", "z", "NX", "a"}, {"ZINCRBY", "z", "1"},
      {"SET", "s", "v"}, {"ZADD", "s", "1", "a"}, {"ZINCRBY", "s", "1", "a"},
      {"ZSCORE", "s", "a"}, {"ZCARD", "s"}, {"ZRANGE", "s", "0", "1"}, {"ZREM", "s", "a"},
      {"ZRANK", "s", "a"}, {"ZMSCORE", "s", "a"}, {"ZPOPMIN", "s"}, {"ZRANDMEMBER", "s"},
      {"ZSCAN", "s", "0"}, {"ZCOUNT", "s", "0", "1"}, {"ZMSCORE", "z"}, {"ZCARD"},
      {"ZRANK", "z"}, {"ZRANK", "z", "a", "b"}}));
  s.push_back(S("non-finite scores", {
      {"ZADD", "f", "inf", "a", "-inf", "b", "+inf", "c", "0", "d", "-0", "e", "1e308", "g"},
      {"ZADD", "f", "4.9e-324", "h", "1.7976931348623157e308", "i", "0.1", "j", "1e-5", "k"},
      {"ZRANGE", "f", "0", "-1", "WITHSCORES"}, {"ZSCORE", "f", "e"},
      {"ZINCRBY", "f", "-inf", "a"}, {"ZINCRBY", "f", "inf", "b"}, {"ZINCRBY", "f", "1", "a"},
      {"ZADD", "f", "INCR", "-inf", "c"}, {"ZRANGE", "f", "0", "-1", "WITHSCORES"},
      {"ZINCRBY", "f", "inf", "h"}, {"ZINCRBY", "f", "123456789012345678", "d"},
      {"ZSCORE", "f", "d"}, {"ZINCRBY", "f", "0.2", "j"}, {"ZSCORE", "f", "j"},
      {"ZRANGEBYSCORE", "f", "-inf", "+inf", "WITHSCORES"},
      {"ZRANGEBYSCORE", "f", "(-inf", "(inf"}, {"ZCOUNT", "f", "-inf", "inf"},
      {"ZCOUNT", "f", "(-inf", "(+inf"}, {"ZSCAN", "f", "0"}}));
  s.push_back(S("binary members", {
      {"ZADD", "b", "1", std::string("a\0b", 3), "1", std::string("a\0", 2), "1", "a",
       "1", "\xff\xfe", "1", "", "2", "\r\n"},
      {"ZRANGE", "b", "0", "-1", "WITHSCORES"}, {"ZSCORE", "b", std::string("a\0", 2)},
      {"ZRANK", "b", ""}, {"ZRANGEBYLEX", "b", "-", "+"},
      {"ZRANGEBYLEX", "b", "[a", std::string("(a\0c", 4)}, {"ZLEXCOUNT", "b", "[", "+"},
      {"ZREM", "b", std::string("a\0b", 3), "zz"}, {"ZRANGE", "b", "0", "-1"}}));
  s.push_back(S("zrem zrank zrevrank", {
      {"ZREM", "nokey", "a"}, {"ZADD", "r", "1", "a", "2", "b", "3", "c"},
      {"ZRANK", "r", "a"}, {"ZRANK", "r", "c"}, {"ZREVRANK", "r", "a"}, {"ZREVRANK", "r", "x"},
      {"ZRANK", "nokey", "a"}, {"ZREM", "r", "a", "a", "x"}, {"ZREM", "r", "b", "c", "d"},
      {"EXISTS", "r"}}));
  s.push_back(S("pops", {
      {"ZPOPMIN", "nokey"}, {"ZPOPMIN", "nokey", "0"}, {"ZPOPMIN", "nokey", "-1"},
      {"ZADD", "p", "1", "a", "2", "b", "3", "c", "4", "d"}, {"ZPOPMIN", "p"},
      {"ZPOPMAX", "p"}, {"ZPOPMIN", "p", "0"}, {"ZPOPMIN", "p", "-1"}, {"ZPOPMIN", "p", "x"},
      {"ZPOPMIN", "p", "1", "2"}, {"ZPOPMAX", "p", "9223372036854775807"}, {"EXISTS", "p"},
      {"ZADD", "p", "1", "a", "2", "b"}, {"ZPOPMIN", "p", "1"},
      {"ZMPOP", "1", "nokey", "MIN"}, {"ZMPOP", "2", "nokey", "p", "MAX", "COUNT", "5"},
      {"ZMPOP", "0", "p", "MIN"}, {"ZMPOP", "x", "p", "MIN"}, {"ZMPOP", "-1", "p", "MIN"},
      {"ZMPOP", "5", "p", "MIN"}, {"ZMPOP", "1", "p", "LEFT"}, {"ZMPOP", "1", "p", "MIN", "COUNT"},
      {"ZMPOP", "1", "p", "MIN", "COUNT", "0"}, {"ZMPOP", "1", "p", "MIN", "COUNT", "1", "COUNT", "1"},
      {"ZMPOP", "1", "p", "MIN", "X"}, {"SET", "s", "v"}, {"ZMPOP", "2", "s", "p", "MIN"},
      {"ZMPOP", "2", "nokey", "s", "MIN"}, {"ZADD", "p", "5", "e", "6", "f"},
      {"ZMPOP", "2", "nokey", "p", "MIN", "count", "1"}, {"ZMPOP", "1", "p", "max"}}));
  s.push_back(S("zrandmember deterministic answers", {
      {"ZRANDMEMBER", "nokey"}, {"ZRANDMEMBER", "nokey", "5"}, {"ZRANDMEMBER", "nokey", "-5"},
      {"ZADD", "q", "1", "a", "2", "b", "3", "c"}, {"ZRANDMEMBER", "q", "0"},
      {"ZRANDMEMBER", "q", "3"}, {"ZRANDMEMBER", "q", "100", "WITHSCORES"},
      {"ZRANDMEMBER", "q", "x"}, {"ZRANDMEMBER", "q", "1", "x"},
      {"ZRANDMEMBER", "q", "1", "WITHSCORES", "x"},
      {"ZRANDMEMBER", "q", "-9223372036854775808"},
      {"ZRANDMEMBER", "q", "9223372036854775807", "WITHSCORES"},
      {"ZRANDMEMBER", "q", "-9223372036854775807", "WITHSCORES"},
      {"ZRANDMEMBER", "q", "9223372036854775807"}}));
  s.push_back(S("zscan listpack", {
      {"ZADD", "c", "1", "a", "2.5", "b", "-3", "cc", "inf", "d"}, {"ZSCAN", "c", "0"},
      {"ZSCAN", "c", "0", "COUNT", "1"}, {"ZSCAN", "c", "0", "MATCH", "c*"},
      {"ZSCAN", "c", "x"}, {"ZSCAN", "nokey", "0"}, {"ZSCAN", "c", "0", "COUNT", "0"},
      {"ZSCAN", "c", "0", "TYPE", "zset"}, {"ZSCAN", "nokey", "0", "BOGUS"},
      {"ZSCAN", "nokey", "x", "BOGUS"}, {"ZSCAN", "c", "0", "BOGUS"}}));
  return s;
  // clang-format on
}

std::vector<Script> RangeScripts() {
  // clang-format off
  std::vector<Script> s;
  std::vector<Cmd> cmds = {{"ZADD", "r", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"},
                           {"ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"}};
  const std::vector<std::pair<std::string, std::string>> ranks = {
      {"0", "-1"}, {"1", "3"}, {"-2", "-1"}, {"3", "1"}, {"-100", "100"}, {"5", "10"},
      {"-9223372036854775808", "9223372036854775807"}, {"0", "0"}, {"-1", "-1"}};
  for (const auto& [a, b] : ranks) {
    cmds.push_back({"ZRANGE", "r", a, b});
    cmds.push_back({"ZRANGE", "r", a, b, "REV", "WITHSCORES"});
    cmds.push_back({"ZREVRANGE", "r", a, b, "WITHSCORES"});
  }
  const std::vector<std::pair<std::string, std::string>> scores = {
      {"-inf", "+inf"}, {"(1", "4"}, {"2", "(4"}, {"(2", "(2"}, {"2", "2"}, {"5", "1"},
      {"", "("}, {"(", "3"}, {"x", "1"}, {"1", "nan"}, {" 2", "3"}, {"2e0", "0x4"}};
  for (const auto& [a, b] : scores) {
    cmds.push_back({"ZRANGEBYSCORE", "r", a, b});
    cmds.push_back({"ZREVRANGEBYSCORE", "r", b, a, "WITHSCORES"});
    cmds.push_back({"ZRANGE", "r", a, b, "BYSCORE", "LIMIT", "1", "2"});
    cmds.push_back({"ZRANGE", "r", b, a, "BYSCORE", "REV", "WITHSCORES", "LIMIT", "0", "-1"});
    cmds.push_back({"ZCOUNT", "r", a, b});
  }
  const std::vector<std::pair<std::string, std::string>> lex = {
      {"-", "+"}, {"[b", "(d"}, {"(b", "[d"}, {"+", "-"}, {"-", "-"}, {"+", "+"}, {"[a", "[a"},
      {"(a", "(a"}, {"a", "[b"}, {"[b", "c"}, {"-x", "+"}, {"[", "+"}, {"(", "(z"}};
  for (const auto& [a, b] : lex) {
    cmds.push_back({"ZRANGEBYLEX", "l", a, b});
    cmds.push_back({"ZREVRANGEBYLEX", "l", b, a});
    cmds.push_back({"ZRANGE", "l", a, b, "BYLEX", "LIMIT", "1", "10"});
    cmds.push_back({"ZRANGE", "l", b, a, "BYLEX", "REV", "LIMIT", "0", "2"});
    cmds.push_back({"ZLEXCOUNT", "l", a, b});
  }
  s.push_back(S("range forms", cmds));
  s.push_back(S("range limits and options", {
      {"ZADD", "r", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"},
      {"ZRANGEBYSCORE", "r", "-inf", "inf", "LIMIT", "-1", "2"},
      {"ZREVRANGEBYSCORE", "r", "inf", "-inf", "LIMIT", "-1", "2"},
      {"ZRANGEBYSCORE", "r", "-inf", "inf", "LIMIT", "5", "2"},
      {"ZRANGEBYSCORE", "r", "-inf", "inf", "LIMIT", "4", "9223372036854775807"},
      {"ZRANGEBYSCORE", "r", "-inf", "inf", "LIMIT", "0", "0"},
      {"ZRANGEBYSCORE", "r", "-inf", "inf", "LIMIT", "0", "-5"},
      {"ZRANGEBYSCORE", "r", "-inf", "inf", "LIMIT", "0"},
      {"ZRANGEBYSCORE", "r", "-inf", "inf", "LIMIT", "x", "1"},
      {"ZRANGEBYSCORE", "r", "-inf", "inf", "WITHSCORES", "LIMIT", "1", "1", "WITHSCORES"},
      {"ZRANGEBYSCORE", "r", "-inf", "inf", "REV"}, {"ZRANGEBYSCORE", "r", "-inf", "inf", "BYLEX"},
      {"ZRANGE", "r", "0", "-1", "LIMIT", "0", "1"}, {"ZRANGE", "r", "0", "-1", "LIMIT", "0", "-1"},
      {"ZRANGE", "r", "-", "+", "BYLEX", "WITHSCORES"},
      {"ZRANGE", "r", "0", "1", "BYSCORE", "BYLEX"}, {"ZRANGE", "r", "0", "1", "REV", "REV"},
      {"ZRANGE", "r", "0", "1", "BOGUS"}, {"ZRANGE", "r", "a", "1"},
      {"ZRANGE", "r", "(1", "3", "byscore", "rev"}, {"ZRANGE", "r", "3", "(1", "byscore", "rev"},
      {"ZRANGE", "nokey", "0", "-1"}, {"ZRANGE", "nokey", "0", "-1", "WITHSCORES"},
      {"ZRANGEBYLEX", "r", "[a", "[c", "WITHSCORES"}, {"ZREVRANGE", "r", "0", "1", "REV"},
      {"ZREVRANGE", "r", "0", "1", "LIMIT", "0", "1"}, {"ZRANGE", "r", "0"},
      {"ZRANGEBYSCORE", "r", "1"}, {"ZRANGEBYLEX", "r", "-"}}));
  s.push_back(S("remrange", {
      {"ZADD", "r", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"},
      {"ZREMRANGEBYRANK", "r", "0", "0"}, {"ZREMRANGEBYRANK", "r", "-1", "-1"},
      {"ZREMRANGEBYRANK", "r", "3", "1"}, {"ZREMRANGEBYRANK", "r", "10", "20"},
      {"ZREMRANGEBYRANK", "r", "x", "1"}, {"ZREMRANGEBYSCORE", "r", "(2", "3"},
      {"ZREMRANGEBYSCORE", "r", "x", "3"}, {"ZREMRANGEBYLEX", "r", "[", "x"},
      {"ZRANGE", "r", "0", "-1", "WITHSCORES"}, {"ZREMRANGEBYRANK", "nokey", "0", "-1"},
      {"ZREMRANGEBYSCORE", "nokey", "-inf", "inf"}, {"ZREMRANGEBYLEX", "nokey", "-", "+"},
      {"ZADD", "l", "0", "a", "0", "b", "0", "c"}, {"ZREMRANGEBYLEX", "l", "(a", "+"},
      {"ZREMRANGEBYLEX", "l", "-", "+"}, {"EXISTS", "l"},
      {"ZREMRANGEBYRANK", "r", "-100", "100"}, {"EXISTS", "r"},
      {"SET", "s", "v"}, {"ZREMRANGEBYRANK", "s", "0", "1"}, {"ZREMRANGEBYRANK", "s", "x", "1"}}));
  s.push_back(S("zrangestore", {
      {"ZADD", "r", "1", "a", "2", "b", "3", "c", "4", "d"},
      {"ZRANGESTORE", "d", "r", "1", "2"}, {"ZRANGE", "d", "0", "-1", "WITHSCORES"},
      {"ZRANGESTORE", "d", "r", "(1", "+inf", "BYSCORE", "LIMIT", "1", "5"},
      {"ZRANGE", "d", "0", "-1", "WITHSCORES"},
      {"ZRANGESTORE", "d", "r", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "0", "2"},
      {"ZRANGE", "d", "0", "-1", "WITHSCORES"},
      {"ZRANGESTORE", "d", "r", "[a", "[c", "BYLEX"}, {"ZRANGE", "d", "0", "-1"},
      {"ZRANGESTORE", "d", "r", "0", "-1", "WITHSCORES"},
      {"ZRANGESTORE", "d", "r", "5", "10"}, {"EXISTS", "d"},
      {"ZRANGESTORE", "d", "nokey", "0", "-1"}, {"ZRANGESTORE", "r", "r", "0", "0"},
      {"ZRANGE", "r", "0", "-1"}, {"SET", "s", "v"}, {"ZRANGESTORE", "s", "r", "0", "-1"},
      {"TYPE", "s"}, {"ZRANGESTORE", "d", "s", "0", "-1"}, {"ZRANGESTORE", "d", "r", "0"}}));
  s.push_back(S("plain sets as algebra sources (score 1)", {
      {"ZADD", "z", "1", "a", "2", "b", "3", "c"}, {"SADD", "ints", "3", "1", "2"},
      {"SADD", "words", "b", "c", "d"}, {"ZUNION", "3", "z", "ints", "words", "WITHSCORES"},
      {"ZINTER", "2", "z", "words", "WITHSCORES"}, {"ZDIFF", "2", "words", "z", "WITHSCORES"},
      {"ZINTER", "2", "ints", "ints", "WEIGHTS", "2", "3", "WITHSCORES"},
      {"ZUNIONSTORE", "u", "2", "words", "z", "AGGREGATE", "MAX"}, {"ZRANGE", "u", "0", "-1", "WITHSCORES"},
      {"ZINTERSTORE", "i", "2", "words", "words"}, {"ZRANGE", "i", "0", "-1", "WITHSCORES"},
      {"ZINTERCARD", "2", "z", "words"}, {"ZDIFFSTORE", "d", "2", "ints", "words"},
      {"ZRANGE", "d", "0", "-1", "WITHSCORES"}, {"TYPE", "d"}, {"SET", "str", "v"},
      {"ZUNION", "2", "z", "str"}}));
  return s;
  // clang-format on
}

std::vector<Script> AlgebraScripts() {
  // clang-format off
  std::vector<Script> s;
  const Cmd setup1 = {"ZADD", "a", "1", "x", "2", "y", "3", "z"};
  const Cmd setup2 = {"ZADD", "b", "10", "y", "20", "z", "30", "w"};
  const Cmd setup3 = {"ZADD", "c", "inf", "x", "-inf", "y", "5", "q"};
  std::vector<Cmd> cmds = {setup1, setup2, setup3};
  for (const std::string op : {"ZUNION", "ZINTER"}) {
    for (const std::string agg : {"SUM", "MIN", "MAX"}) {
      cmds.push_back({op, "2", "a", "b", "AGGREGATE", agg, "WITHSCORES"});
      cmds.push_back({op, "3", "a", "b", "c", "WEIGHTS", "1", "-2", "0", "AGGREGATE", agg,
                      "WITHSCORES"});
      cmds.push_back({op, "2", "a", "c", "WEIGHTS", "inf", "-inf", "AGGREGATE", agg,
                      "WITHSCORES"});
      cmds.push_back({op + "STORE", "d", "2", "a", "c", "AGGREGATE", agg});
      cmds.push_back({"ZRANGE", "d", "0", "-1", "WITHSCORES"});
    }
    cmds.push_back({op, "2", "a", "nokey"});
    cmds.push_back({op, "2", "a", "a", "WITHSCORES"});
    cmds.push_back({op, "1", "a", "WEIGHTS", "x"});
    cmds.push_back({op, "1", "a", "WEIGHTS"});
    cmds.push_back({op, "2", "a", "b", "WEIGHTS", "1"});
    cmds.push_back({op, "1", "a", "AGGREGATE", "AVG"});
    cmds.push_back({op, "1", "a", "AGGREGATE"});
    cmds.push_back({op + "STORE", "d", "1", "a", "WITHSCORES"});
  }
  for (const std::string op : {"ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD"}) {
    cmds.push_back({op, "0", "a"});
    cmds.push_back({op, "-1", "a"});
    cmds.push_back({op, "x", "a"});
    cmds.push_back({op, "3", "a", "b"});
    cmds.push_back({op, "9223372036854775807", "a"});
    cmds.push_back({op, "1"});
  }
  cmds.insert(cmds.end(), {
      {"ZDIFF", "2", "a", "b", "WITHSCORES"}, {"ZDIFF", "3", "a", "b", "c"},
      {"ZDIFF", "1", "nokey"}, {"ZDIFF", "2", "a", "b", "WEIGHTS", "1", "1"},
      {"ZDIFF", "2", "a", "b", "AGGREGATE", "SUM"}, {"ZDIFFSTORE", "d", "2", "a", "b"},
      {"ZRANGE", "d", "0", "-1", "WITHSCORES"}, {"ZDIFFSTORE", "d", "2", "a", "a"},
      {"EXISTS", "d"}, {"ZINTERCARD", "2", "a", "b"}, {"ZINTERCARD", "2", "a", "b", "LIMIT", "1"},
      {"ZINTERCARD", "2", "a", "b", "LIMIT", "0"}, {"ZINTERCARD", "2", "a", "b", "LIMIT", "-1"},
      {"ZINTERCARD", "2", "a", "b", "LIMIT", "x"}, {"ZINTERCARD", "2", "a", "b", "WITHSCORES"},
      {"ZINTERCARD", "1", "nokey"}, {"SET", "s", "v"}, {"ZUNION", "2", "a", "s"},
      {"ZINTERSTORE", "d", "2", "nokey", "s"}, {"ZUNIONSTORE", "s", "1", "a"}, {"TYPE", "s"},
      {"ZUNIONSTORE", "a", "2", "a", "b"}, {"ZRANGE", "a", "0", "-1", "WITHSCORES"},
      {"ZUNIONSTORE", "d", "1", "nokey"}, {"ZINTERSTORE"}, {"ZUNION", "1"}});
  s.push_back(S("set algebra", cmds));
  return s;
  // clang-format on
}

std::vector<Script> EncodingScripts() {
  // clang-format off
  std::vector<Script> s;
  const std::string long64(64, 'v');
  const std::string long65(65, 'v');
  s.push_back(S("listpack to skiplist", {
      Many("e", 128), {"OBJECT", "ENCODING", "e"}, {"ZADD", "e", "1", "m1"},
      {"OBJECT", "ENCODING", "e"}, {"ZADD", "e", "1000", "extra"}, {"OBJECT", "ENCODING", "e"},
      {"ZREM", "e", "extra", "m1", "m2"}, {"OBJECT", "ENCODING", "e"},
      {"ZADD", "f", "1", long64}, {"OBJECT", "ENCODING", "f"}, {"ZADD", "f", "1", long65},
      {"OBJECT", "ENCODING", "f"}, {"ZADD", "g", "1", long65}, {"OBJECT", "ENCODING", "g"},
      {"ZRANGESTORE", "h", "e", "0", "9"}, {"OBJECT", "ENCODING", "h"},
      {"ZRANGESTORE", "h", "e", "0", "-1"}, {"OBJECT", "ENCODING", "h"},
      {"ZUNIONSTORE", "h", "1", "f"}, {"OBJECT", "ENCODING", "h"},
      {"ZUNIONSTORE", "h", "1", "e"}, {"OBJECT", "ENCODING", "h"},
      {"ZINTERSTORE", "h", "2", "e", "e"}, {"OBJECT", "ENCODING", "h"},
      {"ZDIFFSTORE", "h", "1", "g"}, {"OBJECT", "ENCODING", "h"},
      {"CONFIG", "SET", "zset-max-listpack-entries", "2"}, {"ZADD", "k", "1", "a", "2", "b"},
      {"OBJECT", "ENCODING", "k"}, {"ZADD", "k", "3", "c"}, {"OBJECT", "ENCODING", "k"},
      {"CONFIG", "SET", "zset-max-listpack-entries", "128"},
      {"CONFIG", "GET", "zset-max-listpack-entries"}, {"CONFIG", "GET", "zset-max-ziplist-value"}}));
  s.push_back(S("big skiplist ranges", {
      Many("big", 300), {"ZCARD", "big"}, {"ZRANK", "big", "m150"}, {"ZREVRANK", "big", "m150"},
      {"ZRANGE", "big", "100", "105", "WITHSCORES"}, {"ZRANGE", "big", "-3", "-1", "REV"},
      {"ZRANGEBYSCORE", "big", "(250", "260", "LIMIT", "2", "3"}, {"ZCOUNT", "big", "10", "(20"},
      {"ZREMRANGEBYRANK", "big", "0", "9"}, {"ZREMRANGEBYSCORE", "big", "290", "+inf"},
      {"ZRANGE", "big", "0", "2"}, {"ZRANGE", "big", "-2", "-1"}, {"ZPOPMAX", "big", "2"},
      {"ZPOPMIN", "big", "2"}, {"ZCARD", "big"}, {"OBJECT", "ENCODING", "big"},
      {"ZRANDMEMBER", "big", "1000"}}));
  s.push_back(S("big lex skiplist", {
      {"ZADD", "lx", "0", "a", "0", "b", "0", "c", "0", "d"}, Many("lx", 200, "n"),
      {"ZREMRANGEBYSCORE", "lx", "(0", "+inf"}, {"ZADD", "lx", "0", "ee", "0", "f"},
      {"OBJECT", "ENCODING", "lx"}, {"ZRANGEBYLEX", "lx", "[b", "(ee"},
      {"ZREVRANGEBYLEX", "lx", "+", "(b", "LIMIT", "1", "2"}, {"ZLEXCOUNT", "lx", "-", "+"},
      {"ZLEXCOUNT", "lx", "(a", "[e"}, {"ZREMRANGEBYLEX", "lx", "[c", "[d"},
      {"ZRANGE", "lx", "0", "-1"}}));
  // Every command one argument short of its arity, and with the key holding a string.
  std::vector<Cmd> arity;
  for (const char* name : {"ZADD", "ZINCRBY", "ZREM", "ZCARD", "ZSCORE", "ZMSCORE", "ZRANK",
                           "ZREVRANK", "ZCOUNT", "ZLEXCOUNT", "ZRANGE", "ZRANGESTORE",
                           "ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGEBYLEX",
                           "ZREVRANGE", "ZPOPMIN", "ZPOPMAX", "ZMPOP", "ZREMRANGEBYRANK",
                           "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "ZUNION", "ZINTER", "ZDIFF",
                           "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD",
                           "ZRANDMEMBER", "ZSCAN"}) {
    arity.push_back({name});
    arity.push_back({name, "s"});
    arity.push_back({name, "s", "1"});
    arity.push_back({name, "s", "1", "2"});
    arity.push_back({name, "s", "1", "2", "3"});
  }
  arity.insert(arity.begin(), {"SET", "s", "v"});
  s.push_back(S("arity and wrong type", arity));
  s.push_back(S("ttl and overwrite", {
      {"ZADD", "t", "1", "a"}, {"EXPIRE", "t", "100"}, {"ZADD", "t", "2", "b"}, {"TTL", "t"},
      {"ZREM", "t", "a"}, {"TTL", "t"}, {"SET", "d", "v", "EX", "100"},
      {"ZUNIONSTORE", "d", "1", "t"}, {"TTL", "d"}, {"TYPE", "d"}, {"EXPIRE", "d", "100"},
      {"ZRANGESTORE", "d", "t", "0", "-1"}, {"TTL", "d"}, {"GET", "d"}, {"APPEND", "d", "x"},
      {"RENAME", "t", "t2"}, {"ZRANGE", "t2", "0", "-1", "WITHSCORES"}, {"COPY", "t2", "t3"},
      {"ZADD", "t3", "9", "z"}, {"ZCARD", "t2"}, {"ZCARD", "t3"}, {"DEL", "t2"},
      {"ZCARD", "t2"}, {"TYPE", "t3"}}));
  s.push_back(S("huge and negative counts", {
      {"ZADD", "h", "1", "a", "2", "b", "3", "c"},
      {"ZRANGE", "h", "9223372036854775807", "-9223372036854775808"},
      {"ZRANGE", "h", "-9223372036854775808", "-9223372036854775808"},
      {"ZRANGE", "h", "9223372036854775808", "1"},
      {"ZRANGEBYSCORE", "h", "-inf", "inf", "LIMIT", "9223372036854775807", "1"},
      {"ZRANGEBYSCORE", "h", "-inf", "inf", "LIMIT", "-9223372036854775808", "-9223372036854775808"},
      {"ZRANGEBYLEX", "h", "-", "+", "LIMIT", "2", "-9223372036854775808"},
      {"ZRANGEBYSCORE", "h", "-inf", "inf", "LIMIT", "0", "-9223372036854775808"},
      {"ZREVRANGEBYLEX", "h", "+", "-", "LIMIT", "1", "-9223372036854775808"},
      {"ZREMRANGEBYRANK", "h", "-9223372036854775808", "-4"},
      {"ZPOPMIN", "h", "-9223372036854775808"}, {"ZMPOP", "9223372036854775807", "h", "MIN"},
      {"ZMPOP", "1", "h", "MIN", "COUNT", "9223372036854775807"},
      {"ZADD", "h", "1", "a"}, {"ZMPOP", "1", "h", "MIN", "COUNT", "-1"},
      {"ZINTERCARD", "1", "h", "LIMIT", "9223372036854775807"},
      {"ZRANDMEMBER", "h", "-3", "WITHSCORES"}, {"ZRANDMEMBER", "h", "-1"},
      {"ZRANDMEMBER", "h", "1"}, {"ZRANDMEMBER", "h", "1", "WITHSCORES"}}));
  s.push_back(Raw("pipelined in one write",
      {"ZADD p 1 a 2 b\r\nZRANGE p 0 -1 WITHSCORES\r\nZPOPMIN p\r\nZSCORE p b\r\n"
       "*4\r\n$4\r\nZADD\r\n$1\r\np\r\n$3\r\ninf\r\n$1\r\nc\r\nZRANGE p 0 -1 WITHSCORES\r\n"}));
  return s;
  // clang-format on
}

// A long seeded random mix of every deterministic sorted-set command over a few keys, with a
// listpack threshold of 8 members so encodings change often.
std::vector<Script> RandomScripts() {
  // ZSET_DIFF_SEED=<n> runs another seed (for a longer hunt by hand).
  const char* seed = std::getenv("ZSET_DIFF_SEED");
  std::mt19937 rng(seed != nullptr ? static_cast<uint32_t>(std::strtoul(seed, nullptr, 10))
                                   : 20261202u);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  const std::vector<std::string> keys = {"k0", "k1", "k2", "k3"};
  std::vector<std::string> members = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", ""};
  members.push_back(std::string(65, 'L'));
  members.push_back(std::string("n\0l", 3));
  const std::vector<std::string> scores = {"0",    "1",    "-1",  "2.5", "-2.5", "inf",
                                           "-inf", "1e10", "0.1", "3",   "-0"};
  const std::vector<std::string> ends = {"-inf", "+inf", "0", "(0", "1", "(1", "2.5", "(3", "-1"};
  const std::vector<std::string> lex = {"-", "+", "[a", "(a", "[c", "(e", "[j", "(", "["};
  const std::vector<std::string> ranks = {"0", "1", "-1", "-2", "3", "10", "-10"};
  std::vector<Cmd> cmds = {{"CONFIG", "SET", "zset-max-listpack-entries", "8"}};
  for (int i = 0; i < 1500; ++i) {
    const std::string k = pick(keys);
    switch (rng() % 16) {
      case 0:
      case 1:
      case 2: {
        Cmd c = {"ZADD", k};
        for (const char* o : {"NX", "XX", "GT", "LT", "CH", "INCR"}) {
          if (rng() % 6 == 0) c.push_back(o);
        }
        const int n = 1 + static_cast<int>(rng() % 4);
        for (int j = 0; j < n; ++j) {
          c.push_back(pick(scores));
          c.push_back(pick(members));
        }
        cmds.push_back(c);
        break;
      }
      case 3:
        cmds.push_back({"ZINCRBY", k, pick(scores), pick(members)});
        break;
      case 4:
        cmds.push_back({"ZREM", k, pick(members), pick(members)});
        break;
      case 5:
        cmds.push_back({"ZRANGE", k, pick(ranks), pick(ranks), "WITHSCORES"});
        break;
      case 6:
        cmds.push_back({"ZRANGE", k, pick(ends), pick(ends), "BYSCORE", "REV", "LIMIT",
                        std::to_string(rng() % 3), std::to_string(static_cast<int>(rng() % 5) - 1),
                        "WITHSCORES"});
        break;
      case 7:  // lex ranges on "lx", whose members all score 0 (else a skiplist's answer
               // depends on its random levels, in Redis too)
        cmds.push_back({"ZADD", "lx", "0", pick(members), "0", pick(members)});
        cmds.push_back({rng() % 2 ? "ZRANGEBYLEX" : "ZREVRANGEBYLEX", "lx", pick(lex), pick(lex),
                        "LIMIT", std::to_string(rng() % 3), std::to_string(rng() % 4)});
        cmds.push_back({"ZLEXCOUNT", "lx", pick(lex), pick(lex)});
        break;
      case 8:
        cmds.push_back({"ZCOUNT", k, pick(ends), pick(ends)});
        break;
      case 9:
        cmds.push_back({"ZREMRANGEBYSCORE", k, pick(ends), pick(ends)});
        break;
      case 10:
        if (rng() % 2) {
          cmds.push_back({"ZREMRANGEBYRANK", k, pick(ranks), pick(ranks)});
        } else {
          cmds.push_back({"ZREMRANGEBYLEX", "lx", pick(lex), pick(lex)});
        }
        break;
      case 11:
        cmds.push_back({rng() % 2 ? "ZPOPMIN" : "ZPOPMAX", k, std::to_string(rng() % 3)});
        break;
      case 12: {
        const std::string op = pick({"ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"});
        Cmd c = {op, pick(keys), "2", pick(keys), pick(keys)};
        if (op != "ZDIFFSTORE" && rng() % 2) c.insert(c.end(), {"WEIGHTS", pick(scores), "2"});
        if (op != "ZDIFFSTORE" && rng() % 2) {
          c.insert(c.end(), {"AGGREGATE", pick({"SUM", "MIN", "MAX"})});
        }
        cmds.push_back(c);
        break;
      }
      case 13:
        cmds.push_back({"ZRANGESTORE", pick(keys), k, pick(ends), pick(ends), "BYSCORE"});
        break;
      case 14:
        cmds.push_back({"ZMSCORE", k, pick(members), pick(members)});
        cmds.push_back({"ZRANK", k, pick(members)});
        cmds.push_back({"ZREVRANK", k, pick(members)});
        break;
      default:
        cmds.push_back({"OBJECT", "ENCODING", k});
        cmds.push_back({"ZCARD", k});
        cmds.push_back({"ZRANGE", k, "0", "-1", "WITHSCORES"});
        break;
    }
  }
  std::vector<Script> s;
  s.push_back(S("seeded random sorted-set commands", cmds));
  return s;
}

std::vector<kvgate::testing::MultiScript> EventScripts() {
  // Connection 0 listens to every keyspace and keyevent channel; connection 1 writes, one round
  // trip per step, so events arrive in the order Redis fires them (class n included).
  std::vector<Cmd> writes = {
      {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"},
      {"ZADD", "z", "1", "a"},
      {"ZADD", "z", "XX", "CH", "5", "a"},
      {"ZADD", "z", "NX", "9", "a"},
      {"ZINCRBY", "z", "1", "b"},
      {"ZADD", "z", "INCR", "GT", "-1", "b"},
      {"ZADD", "z", "INCR", "inf", "b"},
      {"ZADD", "z", "INCR", "-inf", "b"},
      {"ZREM", "z", "nope"},
      {"ZREM", "z", "c"},
      {"ZPOPMIN", "z"},
      {"ZPOPMAX", "z", "0"},
      {"ZMPOP", "1", "z", "MAX"},
      {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"},
      {"ZREMRANGEBYRANK", "z", "0", "0"},
      {"ZREMRANGEBYSCORE", "z", "100", "200"},
      {"ZREMRANGEBYSCORE", "z", "2", "2"},
      {"ZREMRANGEBYLEX", "z", "[c", "[c"},
      {"ZRANGESTORE", "d", "z", "0", "0"},
      {"ZRANGESTORE", "d", "z", "5", "9"},
      {"ZRANGESTORE", "d", "z", "5", "9"},
      {"ZUNIONSTORE", "u", "1", "z"},
      {"ZINTERSTORE", "u", "2", "z", "nokey"},
      {"ZDIFFSTORE", "u", "1", "z"},
      {"ZUNIONSTORE", "z", "1", "z"},
      {"ZPOPMIN", "z", "10"},
      {"ZREMRANGEBYRANK", "u", "0", "-1"},
  };
  kvgate::testing::MultiScript m{"sorted-set keyspace events",
                                 2,
                                 {{0, {"PSUBSCRIBE", "__key*__:*"}},
                                  {1, {"CONFIG", "SET", "notify-keyspace-events", "KEAn"}}}};
  for (const Cmd& c : writes) m.steps.push_back({1, c});
  return {m};
}

}  // namespace

TEST_CASE("sorted sets answer like redis-server 7, byte for byte",
          "[integration][redis][differential][zsets]") {
  kvgate::testing::CompareScripts(BasicScripts(), /*resp3=*/true);
}

TEST_CASE("sorted set ranges answer like redis-server 7, byte for byte",
          "[integration][redis][differential][zsets]") {
  kvgate::testing::CompareScripts(RangeScripts(), /*resp3=*/true);
}

TEST_CASE("sorted set algebra answers like redis-server 7, byte for byte",
          "[integration][redis][differential][zsets]") {
  kvgate::testing::CompareScripts(AlgebraScripts(), /*resp3=*/true);
}

TEST_CASE("sorted set encodings and big zsets answer like redis-server 7, byte for byte",
          "[integration][redis][differential][zsets]") {
  kvgate::testing::CompareScripts(EncodingScripts(), /*resp3=*/true);
}

TEST_CASE("sorted set keyspace events answer like redis-server 7",
          "[integration][redis][differential][zsets]") {
  kvgate::testing::CompareMulti(EventScripts());
}

TEST_CASE("seeded random sorted-set commands answer like redis-server 7",
          "[integration][redis][differential][zsets]") {
  kvgate::testing::CompareScripts(RandomScripts(), /*resp3=*/true);
}

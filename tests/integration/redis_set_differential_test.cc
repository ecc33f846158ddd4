// File: tests/integration/redis_set_differential_test.cc
// Sets against a real redis-server 7.0, byte for byte in RESP2 and RESP3: valid, pipelined,
// wrong-type and wrong-arity scripts, huge and negative counts, binary members, intset <->
// hashtable transitions (OBJECT ENCODING at set-max-intset-entries), every STORE form, SMOVE's
// cases and the keyspace events. Random answers (SPOP, SRANDMEMBER) and a hashtable's order
// (random in Redis) cannot match byte for byte: these scripts compare what is deterministic
// (counts, SCARD after a pop, intset order, one-member hashtables) and
// tests/translate/redis/set_cmds_test.cc checks the rest.
//
//   CompareScripts(SetScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/process.h"
#include "integration/support/resp_client.h"
#include "integration/support/script_diff.h"

namespace {

using kvgate::testing::MultiScript;
using kvgate::testing::S;
using kvgate::testing::Script;

// SADD key m<from> .. m<to-1>, or the integers themselves.
std::vector<std::string> AddRange(const std::string& key, int from, int to, bool ints) {
  std::vector<std::string> cmd = {"SADD", key};
  for (int i = from; i < to; ++i) cmd.push_back((ints ? "" : "m") + std::to_string(i));
  return cmd;
}

std::vector<Script> SetScripts() {
  // Tables of commands read best one script per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("sadd srem scard sismember", {
      {"SADD", "s", "3", "1", "2", "1"}, {"SADD", "s", "2"}, {"SCARD", "s"}, {"SMEMBERS", "s"},
      {"SISMEMBER", "s", "1"}, {"SISMEMBER", "s", "01"}, {"SISMEMBER", "s", "x"},
      {"SISMEMBER", "nokey", "1"}, {"SMISMEMBER", "s", "1", "x", "3", "1"},
      {"SMISMEMBER", "nokey", "a", "b"}, {"SREM", "s", "1", "9", "1"}, {"SMEMBERS", "s"},
      {"SREM", "nokey", "a"}, {"SREM", "s", "2", "3", "4"}, {"EXISTS", "s"}, {"SCARD", "s"},
      {"SMEMBERS", "nokey"}, {"TYPE", "s"}}));
  s.push_back(S("intset order and integers as Redis parses them", {
      {"SADD", "i", "10", "-5", "9223372036854775807", "-9223372036854775808", "0", "7"},
      {"SMEMBERS", "i"}, {"OBJECT", "ENCODING", "i"}, {"SSCAN", "i", "0"},
      {"SSCAN", "i", "0", "MATCH", "*7*"}, {"SSCAN", "i", "0", "COUNT", "1"},
      {"SADD", "j", "-0"}, {"OBJECT", "ENCODING", "j"}, {"SADD", "k", "01"},
      {"OBJECT", "ENCODING", "k"}, {"SADD", "l", "9223372036854775808"},
      {"OBJECT", "ENCODING", "l"}, {"SADD", "m", "+1"}, {"OBJECT", "ENCODING", "m"},
      {"SADD", "n", " 1"}, {"OBJECT", "ENCODING", "n"}, {"SISMEMBER", "i", "-0"},
      {"SREM", "i", "007"}, {"SREM", "i", "7"}, {"SMEMBERS", "i"}}));
  s.push_back(S("intset to hashtable at a non-integer, for good", {
      {"SADD", "s", "1", "2", "3"}, {"OBJECT", "ENCODING", "s"}, {"SADD", "s", "a"},
      {"OBJECT", "ENCODING", "s"}, {"SREM", "s", "a"}, {"OBJECT", "ENCODING", "s"},
      {"SCARD", "s"}, {"SMISMEMBER", "s", "1", "2", "3", "a"}, {"SADD", "h", "x"},
      {"OBJECT", "ENCODING", "h"}, {"SMEMBERS", "h"}, {"SSCAN", "h", "0"}}));
  s.push_back(S("intset to hashtable at set-max-intset-entries", {
      {"CONFIG", "SET", "set-max-intset-entries", "3"}, {"CONFIG", "GET", "set-max-intset-entries"},
      {"SADD", "s", "1", "2", "3"}, {"OBJECT", "ENCODING", "s"}, {"SADD", "s", "4"},
      {"OBJECT", "ENCODING", "s"}, {"SADD", "t", "1", "2", "3", "4"}, {"OBJECT", "ENCODING", "t"},
      {"CONFIG", "SET", "set-max-intset-entries", "0"}, {"SADD", "z", "5"},
      {"OBJECT", "ENCODING", "z"}, {"SMEMBERS", "z"},
      {"CONFIG", "SET", "set-max-intset-entries", "abc"},
      {"CONFIG", "SET", "set-max-intset-entries", "-1"},
      {"CONFIG", "SET", "set-max-intset-entries", "512"}}));
  s.push_back(S("512 integers stay an intset, 513 do not", {
      AddRange("a", 0, 512, true), {"OBJECT", "ENCODING", "a"}, {"SMEMBERS", "a"},
      {"SADD", "a", "512"}, {"OBJECT", "ENCODING", "a"}, {"SCARD", "a"},
      AddRange("b", 0, 600, true), {"OBJECT", "ENCODING", "b"}, {"SINTERCARD", "2", "a", "b"},
      {"SINTERSTORE", "c", "a", "b"}, {"OBJECT", "ENCODING", "c"},
      {"SDIFFSTORE", "d", "b", "a"}, {"OBJECT", "ENCODING", "d"}, {"SMEMBERS", "d"}}));
  s.push_back(S("binary and empty members", {
      {"SADD", "b", std::string("a\0b", 3)}, {"SADD", "b", ""}, {"SADD", "b", "\r\n"},
      {"SCARD", "b"}, {"SISMEMBER", "b", std::string("a\0b", 3)}, {"SISMEMBER", "b", "a"},
      {"SMISMEMBER", "b", "", "\r\n", "x"}, {"SREM", "b", "", "\r\n"},
      {"SMEMBERS", "b"}, {"SPOP", "b"}, {"EXISTS", "b"}, {"SADD", "e", ""}, {"SMEMBERS", "e"}}));
  s.push_back(S("spop and srandmember: counts and deterministic answers", {
      {"SPOP", "nokey"}, {"SPOP", "nokey", "3"}, {"SPOP", "nokey", "0"},
      {"SRANDMEMBER", "nokey"}, {"SRANDMEMBER", "nokey", "5"}, {"SRANDMEMBER", "nokey", "-5"},
      {"SRANDMEMBER", "nokey", "-9223372036854775807"},
      {"SADD", "s", "5", "3", "1"}, {"SPOP", "s", "0"}, {"SRANDMEMBER", "s", "0"},
      {"SRANDMEMBER", "s", "3"}, {"SRANDMEMBER", "s", "100"},
      {"SRANDMEMBER", "s", "9223372036854775807"}, {"SCARD", "s"}, {"SPOP", "s", "10"},
      {"EXISTS", "s"}, {"SADD", "one", "x"}, {"SPOP", "one"}, {"SPOP", "one"},
      {"SADD", "one", "y"}, {"SRANDMEMBER", "one"}, {"SRANDMEMBER", "one", "-3"},
      {"SRANDMEMBER", "one", "1"}, {"SPOP", "one", "1"}, {"EXISTS", "one"},
      AddRange("ints", 0, 50, true), {"SPOP", "ints", "50"}, {"EXISTS", "ints"}}));
  s.push_back(S("spop and srandmember argument errors", {
      {"SADD", "s", "1"}, {"SPOP", "s", "-1"}, {"SPOP", "s", "abc"}, {"SPOP", "s", "-0"},
      {"SPOP", "s", "1.5"}, {"SPOP", "s", "1", "2"}, {"SPOP", "s", "9223372036854775808"},
      {"SRANDMEMBER", "s", "abc"}, {"SRANDMEMBER", "s", "1", "2"},
      {"SRANDMEMBER", "s", "-9223372036854775808"}, {"SRANDMEMBER", "s", "9223372036854775808"},
      {"SPOP"}, {"SRANDMEMBER"}, {"SCARD", "s"}}));
  s.push_back(S("smove", {
      {"SADD", "a", "1", "2"}, {"SADD", "b", "3"}, {"SMOVE", "a", "b", "1"}, {"SMEMBERS", "a"},
      {"SMEMBERS", "b"}, {"SMOVE", "a", "b", "9"}, {"SMOVE", "nokey", "b", "3"},
      {"SMOVE", "a", "a", "2"}, {"SMOVE", "a", "a", "9"}, {"SMOVE", "a", "new", "2"},
      {"EXISTS", "a"}, {"SMEMBERS", "new"}, {"OBJECT", "ENCODING", "new"},
      {"SADD", "x", "m"}, {"SMOVE", "x", "i", "m"}, {"OBJECT", "ENCODING", "i"},
      {"SADD", "p", "3"}, {"SMOVE", "p", "b", "3"}, {"SMEMBERS", "b"}, {"EXISTS", "p"},
      {"SADD", "ints", "1", "2"}, {"SADD", "strs", "z"}, {"SMOVE", "ints", "strs", "1"},
      {"SMOVE", "strs", "ints", "z"}, {"OBJECT", "ENCODING", "ints"}, {"SCARD", "ints"}}));
  s.push_back(S("smove wrong types: nothing changes", {
      {"SADD", "a", "1"}, {"SET", "str", "v"}, {"SMOVE", "a", "str", "1"}, {"SMEMBERS", "a"},
      {"SMOVE", "str", "a", "1"}, {"SMOVE", "nokey", "str", "1"}, {"SMOVE", "str", "nokey", "1"},
      {"SMOVE", "str", "str", "1"}, {"HSET", "h", "f", "v"}, {"SMOVE", "a", "h", "1"},
      {"SMOVE", "a", "h", "9"}, {"SCARD", "a"}, {"SMOVE", "a", "b"}, {"SMOVE", "a", "b", "1", "2"}}));
  s.push_back(S("sinter sunion sdiff", {
      {"SADD", "a", "1", "2", "3", "4"}, {"SADD", "b", "3", "4", "5"}, {"SADD", "c", "4", "6"},
      {"SINTER", "a", "b"}, {"SINTER", "a", "b", "c"}, {"SINTER", "a", "nokey"},
      {"SINTER", "a"}, {"SINTER", "a", "a"}, {"SUNION", "a", "b", "c"}, {"SUNION", "nokey"},
      {"SUNION", "a", "nokey"}, {"SDIFF", "a", "b"}, {"SDIFF", "a", "b", "c"},
      {"SDIFF", "a", "a"}, {"SDIFF", "a", "nokey"}, {"SDIFF", "nokey", "a"}, {"SDIFF", "a"},
      {"SINTERCARD", "2", "a", "b"}, {"SINTERCARD", "1", "a"}, {"SINTERCARD", "3", "a", "b", "c"},
      {"SINTERCARD", "2", "a", "b", "LIMIT", "1"}, {"SINTERCARD", "2", "a", "b", "LIMIT", "0"},
      {"SINTERCARD", "2", "a", "b", "limit", "10"}, {"SINTERCARD", "2", "a", "nokey"},
      {"SADD", "h", "x", "4"}, {"SINTER", "h", "a"}, {"SDIFF", "h", "a"}, {"SINTER", "a", "h"}}));
  s.push_back(S("sintercard argument errors", {
      {"SADD", "a", "1"}, {"SINTERCARD", "0", "a"}, {"SINTERCARD", "-1", "a"},
      {"SINTERCARD", "abc", "a"}, {"SINTERCARD", "2", "a"}, {"SINTERCARD", "1", "a", "LIMIT"},
      {"SINTERCARD", "1", "a", "LIMIT", "-1"}, {"SINTERCARD", "1", "a", "LIMIT", "x"},
      {"SINTERCARD", "1", "a", "FOO", "1"}, {"SINTERCARD", "1", "a", "b"},
      {"SINTERCARD", "1"}, {"SINTERCARD", "9223372036854775808", "a"}}));
  s.push_back(S("store forms", {
      {"SADD", "a", "1", "2", "3"}, {"SADD", "b", "2", "3", "4"}, {"SADD", "w", "x", "2"},
      {"SINTERSTORE", "d", "a", "b"}, {"SMEMBERS", "d"}, {"OBJECT", "ENCODING", "d"},
      {"SUNIONSTORE", "d", "a", "b"}, {"SMEMBERS", "d"}, {"SDIFFSTORE", "d", "a", "b"},
      {"SMEMBERS", "d"}, {"SINTERSTORE", "d", "a", "nokey"}, {"EXISTS", "d"},
      {"SINTERSTORE", "d", "a", "nokey"}, {"SUNIONSTORE", "d", "nokey"}, {"EXISTS", "d"},
      {"SET", "str", "v"}, {"SUNIONSTORE", "str", "a"}, {"TYPE", "str"}, {"SMEMBERS", "str"},
      {"SET", "str2", "v", "EX", "100"}, {"SDIFFSTORE", "str2", "a"}, {"TTL", "str2"},
      {"SINTERSTORE", "a", "a", "b"}, {"SMEMBERS", "a"}, {"SUNIONSTORE", "b", "b", "w"},
      {"SCARD", "b"}, {"OBJECT", "ENCODING", "b"}, {"SINTERSTORE", "w2", "w", "w"},
      {"SCARD", "w2"}, {"SDIFFSTORE", "e", "a", "a"}, {"EXISTS", "e"},
      {"SUNIONSTORE", "d", "a", "str"}, {"SINTERSTORE", "d", "nokey", "str"}, {"EXISTS", "d"},
      {"SDIFFSTORE", "d"}, {"SINTERSTORE", "d"}, {"SUNIONSTORE", "d"}}));
  s.push_back(S("sdiff's second algorithm decides the encoding", {
      {"SADD", "a", "1", "2", "3", "4", "5", "x"}, {"SADD", "b", "x"}, {"SADD", "c", "9"},
      {"SDIFFSTORE", "d", "a", "b", "c"}, {"OBJECT", "ENCODING", "d"}, {"SCARD", "d"},
      {"SDIFFSTORE", "e", "a", "b"}, {"OBJECT", "ENCODING", "e"}, {"SMEMBERS", "e"},
      {"SDIFF", "a", "b"}}));
  s.push_back(S("wrong type everywhere", {
      {"SET", "str", "v"}, {"SADD", "str", "a"}, {"SREM", "str", "a"}, {"SMEMBERS", "str"},
      {"SISMEMBER", "str", "a"}, {"SMISMEMBER", "str", "a"}, {"SCARD", "str"}, {"SPOP", "str"},
      {"SPOP", "str", "2"}, {"SPOP", "str", "0"}, {"SRANDMEMBER", "str"},
      {"SRANDMEMBER", "str", "2"}, {"SRANDMEMBER", "str", "0"}, {"SSCAN", "str", "0"},
      {"SINTER", "str"}, {"SINTER", "nokey", "str"}, {"SUNION", "str"}, {"SDIFF", "nokey", "str"},
      {"SINTERCARD", "1", "str"}, {"SINTERSTORE", "d", "str"}, {"SADD", "s", "1"},
      {"SINTER", "s", "str"}, {"SINTERCARD", "2", "nokey", "str"}, {"SUNIONSTORE", "d", "s", "str"},
      {"EXISTS", "d"}, {"HSET", "h", "f", "v"}, {"SADD", "h", "x"}, {"SMEMBERS", "h"},
      {"SADD", "s2", "x"}, {"HGET", "s2", "f"}, {"GET", "s2"}, {"APPEND", "s2", "x"},
      {"INCR", "s2"}, {"HSET", "s2", "f", "v"}, {"TYPE", "s2"}}));
  s.push_back(S("wrong arity", {
      {"SADD", "s"}, {"SADD"}, {"SREM", "s"}, {"SMEMBERS"}, {"SMEMBERS", "a", "b"},
      {"SISMEMBER", "s"}, {"SISMEMBER", "s", "a", "b"}, {"SMISMEMBER", "s"}, {"SCARD"},
      {"SCARD", "a", "b"}, {"SMOVE", "a"}, {"SINTER"}, {"SUNION"}, {"SDIFF"}, {"SINTERCARD", "1"},
      {"SSCAN", "s"}, {"sadd", "s"}}));
  s.push_back(S("sscan arguments", {
      {"SSCAN", "nokey", "0"}, {"SSCAN", "nokey", "abc"}, {"SSCAN", "nokey", "0", "COUNT", "0"},
      {"SSCAN", "nokey", "0", "FOO"}, {"SADD", "s", "1", "2", "3"}, {"SSCAN", "s", "0", "COUNT", "0"},
      {"SSCAN", "s", "0", "FOO"}, {"SSCAN", "s", "0", "COUNT"}, {"SSCAN", "s", "0", "MATCH", "2"},
      {"SSCAN", "s", "0", "TYPE", "set"}, {"SSCAN", "s", "-1"}, {"SSCAN", "s", "abc"},
      {"SSCAN", "s", "18446744073709551615"}, {"SADD", "h", "only"},
      {"SSCAN", "h", "0", "MATCH", "o*"}, {"SSCAN", "h", "0", "MATCH", "x*"}}));
  s.push_back(S("scan type set and object encoding", {
      {"SADD", "s", "1"}, {"SET", "str", "v"}, {"HSET", "h", "f", "v"},
      {"SCAN", "0", "TYPE", "set"}, {"SCAN", "0", "TYPE", "SET"}, {"OBJECT", "ENCODING", "s"},
      {"RENAME", "s", "t"}, {"SMEMBERS", "t"}, {"COPY", "t", "u"}, {"SADD", "u", "2"},
      {"SMEMBERS", "t"}, {"SMEMBERS", "u"}, {"EXPIRE", "u", "100"}, {"SADD", "u", "3"},
      {"TTL", "u"}, {"SREM", "u", "1", "2", "3"}, {"TTL", "u"}, {"DEL", "t"}, {"TYPE", "t"}}));
  s.push_back(S("sets inside a transaction", {
      {"MULTI"}, {"SADD", "s", "1", "2"}, {"SCARD", "s"}, {"SMOVE", "s", "t", "1"},
      {"SUNIONSTORE", "u", "s", "t"}, {"SMEMBERS", "u"}, {"SADD", "s"}, {"EXEC"},
      {"MULTI"}, {"SET", "s", "x"}, {"SADD", "s", "1"}, {"GET", "s"}, {"EXEC"}}));
  return s;
  // clang-format on
}

std::vector<MultiScript> SetEventScripts() {
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"set keyspace events", 2,
               {{0, {"PSUBSCRIBE", "__key*__:*"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}},
                {1, {"SADD", "a", "1", "2", "3"}},
                {1, {"SADD", "a", "1"}},
                {1, {"SREM", "a", "9"}},
                {1, {"SREM", "a", "3"}},
                {1, {"SMOVE", "a", "b", "1"}},
                {1, {"SADD", "b", "2"}},
                {1, {"SMOVE", "a", "b", "2"}},
                {1, {"SMOVE", "b", "b", "2"}},
                {1, {"SINTERSTORE", "d", "b", "b"}},
                {1, {"SUNIONSTORE", "d", "b", "nokey"}},
                {1, {"SDIFFSTORE", "d", "b", "b"}},
                {1, {"SDIFFSTORE", "d", "b", "b"}},
                {1, {"SINTERSTORE", "d", "b", "nokey"}},
                {1, {"SPOP", "b", "0"}},
                {1, {"SREM", "b", "1"}},
                {1, {"SPOP", "b", "1"}},
                {1, {"SADD", "b", "7", "8"}},
                {1, {"SPOP", "b", "5"}},
                {1, {"SADD", "e", "x"}},
                {1, {"SPOP", "e"}},
                {1, {"SADD", "e", "x", "y"}},
                {1, {"SREM", "e", "x", "y"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", ""}}}});
  return s;
  // clang-format on
}

// A command whose answer is random (`shape`: compare only its first line, the reply's type and
// length) or deterministic (compare it whole).
struct Step {
  std::vector<std::string> cmd;
  bool shape = false;
};

std::vector<Step> RandomSteps() {
  std::vector<Step> s;
  s.push_back({AddRange("big", 0, 100, false)});
  s.push_back({AddRange("ints", 0, 100, true)});
  for (const char* key : {"big", "ints"}) {
    const std::string k = key;
    s.push_back({{"SPOP", k, "7"}, true});  // drawn one by one
    s.push_back({{"SCARD", k}});
    s.push_back({{"SPOP", k, "90"}, true});  // the remaining 3 drawn, the rest popped
    s.push_back({{"SCARD", k}});
    s.push_back({{"OBJECT", "ENCODING", k}});
    s.push_back({{"SRANDMEMBER", k}, true});
    s.push_back({{"SRANDMEMBER", k, "2"}, true});
    s.push_back({{"SRANDMEMBER", k, "-10"}, true});
    s.push_back({{"SRANDMEMBER", k, "3"}, true});
    s.push_back({{"SPOP", k}, true});
    s.push_back({{"SCARD", k}});
    s.push_back({{"SPOP", k, "1"}, true});
    s.push_back({{"SCARD", k}});
    s.push_back({{"SPOP", k, "5"}, true});
    s.push_back({{"EXISTS", k}});
  }
  s.push_back({{"CONFIG", "SET", "set-max-intset-entries", "4"}});
  s.push_back({AddRange("r", 0, 10, true)});
  s.push_back({{"SPOP", "r", "9"}, true});  // the one left forms a new set: an intset
  s.push_back({{"OBJECT", "ENCODING", "r"}});
  s.push_back({AddRange("q", 0, 10, true)});
  s.push_back({{"SPOP", "q", "8"}, true});  // drawn: stays a hashtable
  s.push_back({{"OBJECT", "ENCODING", "q"}});
  s.push_back({{"CONFIG", "SET", "set-max-intset-entries", "512"}});
  s.push_back({AddRange("h", 0, 1000, false)});
  s.push_back({{"SSCAN", "h", "0", "COUNT", "5"}, true});
  s.push_back({{"SMEMBERS", "h"}, true});
  s.push_back({{"SUNION", "h", "big"}, true});
  return s;
}

std::vector<std::string> RunSteps(int port, const std::vector<Step>& steps, bool resp3) {
  kvgate::testing::RawConn c(port);
  c.Send(kvgate::testing::EncodeCommand({"FLUSHALL"}));
  c.ReadReplies(1);
  if (resp3) {
    c.Send(kvgate::testing::EncodeCommand({"HELLO", "3"}));
    c.ReadReplies(1);
  }
  std::vector<std::string> out;
  for (const Step& step : steps) {
    c.Send(kvgate::testing::EncodeCommand(step.cmd));
    std::string reply = c.ReadReplies(1);
    // The shape: an array's length, a bulk's kind (a random member's length varies).
    std::string shape = reply.substr(0, reply.find("\r\n"));
    if (shape.size() > 1 && shape[0] == '$' && shape != "$-1") shape = "$";
    out.push_back(step.shape ? shape : reply);
  }
  return out;
}

}  // namespace

TEST_CASE("random set answers have redis-server 7's shape and leave the same sizes",
          "[integration][redis][differential][sets]") {
  auto ref = kvgate::testing::StartRedisServer();
  REQUIRE(ref != nullptr);
  auto kv = kvgate::testing::StartKvgate();
  const std::vector<Step> steps = RandomSteps();
  for (bool resp3 : {false, true}) {
    std::vector<std::string> want = RunSteps(ref->port, steps, resp3);
    std::vector<std::string> got = RunSteps(kv->redis_port, steps, resp3);
    REQUIRE(want.size() == got.size());
    for (size_t i = 0; i < want.size(); ++i) {
      INFO("step " << i << " " << steps[i].cmd[0] << " resp3=" << resp3);
      CHECK(got[i] == want[i]);
    }
  }
}

TEST_CASE("Redis sets answer like redis-server 7, byte for byte",
          "[integration][redis][differential][sets]") {
  kvgate::testing::CompareScripts(SetScripts(), /*resp3=*/true);
}

TEST_CASE("Redis set keyspace events match redis-server 7",
          "[integration][redis][differential][sets]") {
  kvgate::testing::CompareMulti(SetEventScripts());
}

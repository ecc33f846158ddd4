// File: tests/integration/redis_list_differential_test.cc
// Lists against a real redis-server 7.0, byte for byte in RESP2 and RESP3: every command, every
// error text and argument order, negative and out-of-range indexes, counts of 0 and huge ones,
// wrong types, LMOVE / RPOPLPUSH onto the same key, LPOS's RANK / COUNT / MAXLEN corners,
// LINSERT without its pivot, lists across many chunks, the configs, WATCH / MULTI, and the
// keyspace events of each command (two connections).
//
//   CompareScripts(ListScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/script_diff.h"

namespace {

using kvgate::testing::MultiScript;
using kvgate::testing::S;
using kvgate::testing::Script;

// RPUSH key e<from> .. e<to-1>.
std::vector<std::string> PushRange(const std::string& key, int from, int to) {
  std::vector<std::string> cmd = {"RPUSH", key};
  for (int i = from; i < to; ++i) cmd.push_back("e" + std::to_string(i));
  return cmd;
}

std::vector<Script> ListScripts() {
  // Tables of commands read best one script per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("push pop len range basics", {
      {"RPUSH", "l", "a", "b", "c"}, {"LPUSH", "l", "z", "y"}, {"LLEN", "l"},
      {"LRANGE", "l", "0", "-1"}, {"LPOP", "l"}, {"RPOP", "l"}, {"LRANGE", "l", "0", "-1"},
      {"TYPE", "l"}, {"OBJECT", "ENCODING", "l"}, {"LLEN", "nokey"}, {"LPOP", "nokey"},
      {"RPOP", "nokey"}, {"LRANGE", "nokey", "0", "-1"}, {"RPUSH", "l"}, {"LPUSH", "l"},
      {"LPOP", "l", "1", "2"}, {"RPOP"}, {"LLEN"}, {"LLEN", "a", "b"}}));
  s.push_back(S("pop counts: 0, huge, errors, nulls", {
      {"RPUSH", "l", "a", "b", "c", "d"}, {"LPOP", "l", "0"}, {"RPOP", "l", "0"},
      {"LPOP", "nokey", "0"}, {"LPOP", "nokey", "3"}, {"RPOP", "nokey", "1"},
      {"LPOP", "l", "-1"}, {"LPOP", "l", "abc"}, {"RPOP", "l", "1.5"},
      {"LPOP", "l", "2"}, {"RPOP", "l", "9223372036854775807"}, {"EXISTS", "l"},
      {"LPOP", "l", "1"}, {"RPUSH", "l", "x"}, {"RPOP", "l", "1"}, {"EXISTS", "l"},
      {"LPOP", "nokey", "-1"}, {"LPOP", "l", "9223372036854775808"}}));
  s.push_back(S("pushx and wrong types", {
      {"LPUSHX", "l", "a"}, {"RPUSHX", "l", "a", "b"}, {"EXISTS", "l"}, {"RPUSH", "l", "m"},
      {"LPUSHX", "l", "a", "b"}, {"RPUSHX", "l", "y", "z"}, {"LRANGE", "l", "0", "-1"},
      {"SET", "s", "v"}, {"LPUSH", "s", "a"}, {"RPUSH", "s", "a"}, {"LPUSHX", "s", "a"},
      {"RPUSHX", "s", "a"}, {"LPOP", "s"}, {"RPOP", "s", "2"}, {"LLEN", "s"},
      {"LRANGE", "s", "0", "1"}, {"LINDEX", "s", "0"}, {"LSET", "s", "0", "x"},
      {"LINSERT", "s", "BEFORE", "a", "b"}, {"LREM", "s", "0", "a"}, {"LTRIM", "s", "0", "1"},
      {"LPOS", "s", "a"}, {"LMOVE", "s", "l", "LEFT", "LEFT"}, {"LMOVE", "l", "s", "LEFT", "LEFT"},
      {"RPOPLPUSH", "s", "l"}, {"RPOPLPUSH", "l", "s"}, {"LMPOP", "2", "nokey", "s", "LEFT"},
      {"SADD", "set", "m"}, {"LLEN", "set"}, {"RPUSH", "set", "x"}, {"GET", "l"},
      {"SADD", "l", "x"}, {"LRANGE", "l", "0", "-1"}}));
  s.push_back(S("lrange indexes", {
      {"RPUSH", "l", "0", "1", "2", "3", "4", "5"}, {"LRANGE", "l", "1", "3"},
      {"LRANGE", "l", "-3", "-1"}, {"LRANGE", "l", "-100", "100"}, {"LRANGE", "l", "4", "2"},
      {"LRANGE", "l", "6", "10"}, {"LRANGE", "l", "5", "5"}, {"LRANGE", "l", "-1", "-2"},
      {"LRANGE", "l", "0", "-7"}, {"LRANGE", "l", "-7", "0"},
      {"LRANGE", "l", "-9223372036854775808", "9223372036854775807"},
      {"LRANGE", "l", "x", "1"}, {"LRANGE", "l", "0", "1.0"}, {"LRANGE", "nokey", "x", "1"},
      {"LRANGE", "l", "0"}}));
  s.push_back(S("lindex and lset", {
      {"RPUSH", "l", "a", "b", "c"}, {"LINDEX", "l", "0"}, {"LINDEX", "l", "-1"},
      {"LINDEX", "l", "-3"}, {"LINDEX", "l", "-4"}, {"LINDEX", "l", "3"},
      {"LINDEX", "l", "x"}, {"LINDEX", "nokey", "x"}, {"LINDEX", "nokey", "0"},
      {"LSET", "l", "1", "B"}, {"LSET", "l", "-1", "a much longer element than before"},
      {"LSET", "l", "-3", ""}, {"LRANGE", "l", "0", "-1"}, {"LSET", "l", "3", "x"},
      {"LSET", "l", "-4", "x"}, {"LSET", "l", "x", "y"}, {"LSET", "nokey", "x", "y"},
      {"LSET", "nokey", "0", "y"}, {"LSET", "l", "9223372036854775807", "x"}}));
  s.push_back(S("linsert", {
      {"RPUSH", "l", "a", "b", "c"}, {"LINSERT", "l", "BEFORE", "b", "x"},
      {"LINSERT", "l", "after", "c", "y"}, {"LINSERT", "l", "before", "a", "w"},
      {"LINSERT", "l", "AFTER", "missing", "q"}, {"LRANGE", "l", "0", "-1"},
      {"LINSERT", "l", "MIDDLE", "a", "q"}, {"LINSERT", "nokey", "BEFORE", "a", "q"},
      {"LINSERT", "nokey", "MIDDLE", "a", "q"}, {"EXISTS", "nokey"},
      {"RPUSH", "d", "p", "p"}, {"LINSERT", "d", "AFTER", "p", "n"}, {"LRANGE", "d", "0", "-1"},
      {"LINSERT", "l", "BEFORE", "a"}}));
  s.push_back(S("lrem from head, tail, all", {
      {"RPUSH", "l", "x", "a", "x", "b", "x", "c", "x"}, {"LREM", "l", "2", "x"},
      {"LRANGE", "l", "0", "-1"}, {"LREM", "l", "-1", "x"}, {"LRANGE", "l", "0", "-1"},
      {"LREM", "l", "0", "x"}, {"LREM", "l", "0", "nothing"}, {"LRANGE", "l", "0", "-1"},
      {"LREM", "l", "x", "a"}, {"LREM", "nokey", "x", "a"}, {"LREM", "nokey", "1", "a"},
      {"LREM", "l", "-9223372036854775808", "a"}, {"LREM", "l", "9223372036854775807", "b"},
      {"LREM", "l", "1", "c"}, {"EXISTS", "l"}}));
  s.push_back(S("ltrim", {
      {"RPUSH", "l", "0", "1", "2", "3", "4", "5", "6"}, {"LTRIM", "l", "1", "-2"},
      {"LRANGE", "l", "0", "-1"}, {"LTRIM", "l", "-100", "100"}, {"LRANGE", "l", "0", "-1"},
      {"LTRIM", "l", "1", "1"}, {"LRANGE", "l", "0", "-1"}, {"LTRIM", "l", "x", "1"},
      {"LTRIM", "nokey", "0", "1"}, {"LTRIM", "nokey", "x", "1"}, {"LTRIM", "l", "5", "1"},
      {"EXISTS", "l"}, {"RPUSH", "m", "a", "b"}, {"LTRIM", "m", "2", "5"}, {"EXISTS", "m"},
      {"RPUSH", "n", "a", "b"}, {"LTRIM", "n", "0", "-3"}, {"EXISTS", "n"}}));
  s.push_back(S("lpos rank count maxlen", {
      {"RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"}, {"LPOS", "l", "c"},
      {"LPOS", "l", "c", "RANK", "2"}, {"LPOS", "l", "c", "RANK", "-1"},
      {"LPOS", "l", "c", "RANK", "-2"}, {"LPOS", "l", "c", "RANK", "9"},
      {"LPOS", "l", "c", "RANK", "-9"}, {"LPOS", "l", "c", "COUNT", "0"},
      {"LPOS", "l", "c", "COUNT", "2"}, {"LPOS", "l", "c", "COUNT", "2", "RANK", "-1"},
      {"LPOS", "l", "c", "COUNT", "0", "RANK", "2"}, {"LPOS", "l", "c", "MAXLEN", "3"},
      {"LPOS", "l", "c", "MAXLEN", "2"}, {"LPOS", "l", "c", "MAXLEN", "0"},
      {"LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1"}, {"LPOS", "l", "c", "COUNT", "5", "MAXLEN", "7"},
      {"LPOS", "l", "x"}, {"LPOS", "l", "x", "COUNT", "1"}, {"LPOS", "nokey", "x"},
      {"LPOS", "nokey", "x", "COUNT", "0"}, {"LPOS", "l", "c", "RANK", "0"},
      {"LPOS", "l", "c", "RANK", "x"}, {"LPOS", "l", "c", "COUNT", "-1"},
      {"LPOS", "l", "c", "COUNT", "x"}, {"LPOS", "l", "c", "MAXLEN", "-1"},
      {"LPOS", "l", "c", "RANK"}, {"LPOS", "l", "c", "BOGUS", "1"},
      {"LPOS", "l", "c", "RANK", "-9223372036854775808"},
      {"LPOS", "l", "c", "RANK", "-9223372036854775808", "COUNT", "2"},
      {"LPOS", "l", "c", "RANK", "9223372036854775807"}, {"LPOS", "nokey", "c", "RANK", "0"},
      {"LPOS", "l", "c", "count", "1", "COUNT", "3"}}));
  s.push_back(S("lmove and rpoplpush", {
      {"RPUSH", "a", "1", "2", "3"}, {"LMOVE", "a", "b", "LEFT", "RIGHT"},
      {"LMOVE", "a", "b", "right", "left"}, {"LRANGE", "a", "0", "-1"}, {"LRANGE", "b", "0", "-1"},
      {"RPOPLPUSH", "a", "b"}, {"EXISTS", "a"}, {"LRANGE", "b", "0", "-1"},
      {"LMOVE", "nokey", "b", "LEFT", "LEFT"}, {"RPOPLPUSH", "nokey", "b"},
      {"LMOVE", "b", "b", "LEFT", "RIGHT"}, {"LRANGE", "b", "0", "-1"},
      {"LMOVE", "b", "b", "RIGHT", "LEFT"}, {"LMOVE", "b", "b", "LEFT", "LEFT"},
      {"RPOPLPUSH", "b", "b"}, {"LRANGE", "b", "0", "-1"}, {"RPUSH", "one", "x"},
      {"RPOPLPUSH", "one", "one"}, {"LRANGE", "one", "0", "-1"}, {"LMOVE", "b", "c", "UP", "LEFT"},
      {"LMOVE", "b", "c", "LEFT", "DOWN"}, {"LMOVE", "nokey", "c", "UP", "LEFT"},
      {"LMOVE", "b", "c", "LEFT"}, {"RPOPLPUSH", "b"}}));
  s.push_back(S("lmpop", {
      {"RPUSH", "b", "1", "2", "3"}, {"RPUSH", "c", "x"}, {"LMPOP", "2", "a", "b", "LEFT"},
      {"LMPOP", "3", "a", "b", "c", "RIGHT", "COUNT", "5"}, {"LMPOP", "1", "b", "LEFT", "COUNT", "1"},
      {"LMPOP", "2", "a", "b", "LEFT"}, {"LMPOP", "2", "b", "c", "right"}, {"EXISTS", "c"},
      {"LMPOP", "1", "nokey", "LEFT"}, {"LMPOP", "0", "a", "LEFT"}, {"LMPOP", "-1", "a", "LEFT"},
      {"LMPOP", "x", "a", "LEFT"}, {"LMPOP", "2", "a", "LEFT"}, {"LMPOP", "1", "a", "MIDDLE"},
      {"LMPOP", "1", "a", "LEFT", "COUNT"}, {"LMPOP", "1", "a", "LEFT", "COUNT", "0"},
      {"LMPOP", "1", "a", "LEFT", "COUNT", "-1"}, {"LMPOP", "1", "a", "LEFT", "COUNT", "x"},
      {"LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"}, {"LMPOP", "1", "a", "LEFT", "X"},
      {"LMPOP", "9223372036854775807", "a", "LEFT"}, {"LMPOP", "1", "a"},
      {"RPUSH", "d", "1"}, {"SET", "s", "v"}, {"LMPOP", "2", "s", "d", "LEFT"},
      {"LMPOP", "2", "d", "s", "LEFT"}, {"LMPOP", "2", "nokey", "s", "LEFT"}}));
  s.push_back(S("long lists across chunks", {
      PushRange("l", 0, 3000), {"LPUSH", "l", "head"}, {"LLEN", "l"}, {"LINDEX", "l", "1500"},
      {"LINDEX", "l", "-1"}, {"LRANGE", "l", "995", "1005"}, {"LSET", "l", "2000", "changed"},
      {"LRANGE", "l", "1998", "2002"}, {"LINSERT", "l", "AFTER", "e1000", "inserted"},
      {"LRANGE", "l", "999", "1004"}, {"LREM", "l", "0", "e7"}, {"LPOS", "l", "e2999"},
      {"LPOS", "l", "e1", "RANK", "-1"}, {"LTRIM", "l", "100", "-100"}, {"LLEN", "l"},
      {"LRANGE", "l", "0", "2"}, {"RPOP", "l", "3"}, {"LPOP", "l", "2"},
      {"LMPOP", "1", "l", "RIGHT", "COUNT", "2"}, {"LLEN", "l"}, {"DEL", "l"}, {"EXISTS", "l"}}));
  s.push_back(S("binary and empty elements", {
      {"RPUSH", "l", "", std::string("a\0b", 3), std::string(300, 'x')},
      {"LRANGE", "l", "0", "-1"}, {"LPOS", "l", std::string("a\0b", 3)},
      {"LREM", "l", "0", ""}, {"LINSERT", "l", "BEFORE", std::string("a\0b", 3), ""},
      {"LRANGE", "l", "0", "-1"}, {"LPOS", "l", "x", std::string("RANK\0z", 6), "1"}}));
  s.push_back(S("list configs", {
      {"CONFIG", "GET", "list-max-listpack-size"}, {"CONFIG", "GET", "list-max-ziplist-size"},
      {"CONFIG", "GET", "list-compress-depth"}, {"CONFIG", "SET", "list-max-listpack-size", "5"},
      {"CONFIG", "GET", "list-max-ziplist-size"}, {"RPUSH", "l", "1", "2", "3", "4", "5", "6"},
      {"OBJECT", "ENCODING", "l"}, {"CONFIG", "SET", "list-max-ziplist-size", "-5"},
      {"CONFIG", "SET", "list-max-listpack-size", "2147483648"},
      {"CONFIG", "SET", "list-max-listpack-size", "-2147483649"},
      {"CONFIG", "SET", "list-max-listpack-size", "x"}, {"CONFIG", "SET", "list-compress-depth", "-1"},
      {"CONFIG", "SET", "list-compress-depth", "1"}, {"CONFIG", "GET", "list-compress-depth"},
      {"CONFIG", "SET", "list-compress-depth", "0"},
      {"CONFIG", "SET", "list-max-listpack-size", "-2"}}));
  s.push_back(S("watch and multi", {
      {"RPUSH", "l", "a"}, {"WATCH", "l"}, {"LTRIM", "l", "0", "-1"}, {"MULTI"}, {"LLEN", "l"},
      {"EXEC"}, {"WATCH", "l"}, {"LPOP", "nokey"}, {"LREM", "l", "0", "zz"}, {"MULTI"},
      {"LLEN", "l"}, {"EXEC"}, {"MULTI"}, {"RPUSH", "l", "b"}, {"LMOVE", "l", "m", "LEFT", "LEFT"},
      {"LRANGE", "m", "0", "-1"}, {"LPOP", "l", "5"}, {"EXEC"}, {"WATCH", "m"},
      {"RPOPLPUSH", "m", "m"}, {"MULTI"}, {"LLEN", "m"}, {"EXEC"}}));
  // COMMAND INFO's flags, ACL categories and key specs are not kvgate's (list_cmds_test.cc
  // checks first / last / step); GETKEYS of a fixed-position command matches.
  s.push_back(S("command getkeys and docs", {
      {"COMMAND", "GETKEYS", "LMOVE", "a", "b", "LEFT", "RIGHT"},
      {"COMMAND", "GETKEYS", "RPOPLPUSH", "a", "b"}, {"COMMAND", "GETKEYS", "LPUSH", "a", "b"}}));
  return s;
  // clang-format on
}

std::vector<MultiScript> ListEventScripts() {
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"list keyspace events", 2,
               {{0, {"PSUBSCRIBE", "__key*__:*"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}},
                {1, {"RPUSH", "a", "1", "2", "3"}},
                {1, {"LPUSH", "a", "0"}},
                {1, {"LPUSHX", "nokey", "0"}},
                {1, {"RPUSHX", "a", "4"}},
                {1, {"LPOP", "a"}},
                {1, {"RPOP", "a", "0"}},
                {1, {"RPOP", "a", "1"}},
                {1, {"LSET", "a", "0", "x"}},
                {1, {"LINSERT", "a", "BEFORE", "x", "w"}},
                {1, {"LINSERT", "a", "BEFORE", "missing", "w"}},
                {1, {"LREM", "a", "0", "missing"}},
                {1, {"LREM", "a", "1", "w"}},
                {1, {"LTRIM", "a", "0", "-1"}},
                {1, {"LMOVE", "a", "b", "LEFT", "RIGHT"}},
                {1, {"RPOPLPUSH", "b", "b"}},
                {1, {"LMOVE", "a", "b", "RIGHT", "LEFT"}},
                {1, {"LMPOP", "2", "a", "b", "LEFT", "COUNT", "1"}},
                {1, {"RPUSH", "c", "1", "2"}},
                {1, {"LTRIM", "c", "5", "6"}},
                {1, {"RPUSH", "c", "1", "2"}},
                {1, {"LREM", "c", "0", "1"}},
                {1, {"LPOP", "c", "9"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", ""}}}});
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("Redis lists answer like redis-server 7, byte for byte",
          "[integration][redis][differential][lists]") {
  kvgate::testing::CompareScripts(ListScripts(), /*resp3=*/true);
}

TEST_CASE("Redis list keyspace events match redis-server 7",
          "[integration][redis][differential][lists]") {
  kvgate::testing::CompareMulti(ListEventScripts());
}

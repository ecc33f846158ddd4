// File: tests/integration/redis_stream_consumer_differential_test.cc
// Consumers of a group against a real redis-server 7.0, byte for byte: XREADGROUP (`>` and
// history IDs, COUNT, NOACK, deleted entries answered [id, nil], several streams and the same
// stream twice, SETID moving the group back so pending entries change hands, its errors key by
// key, RESP3 maps), XPENDING (summary, extended form, exclusive bounds, one consumer, IDLE),
// XCLAIM (min idle, FORCE, JUSTID, RETRYCOUNT, LASTID, TIME, deleted entries, its errors) and
// XAUTOCLAIM (cursor, COUNT, JUSTID, deleted IDs); then XREADGROUP BLOCK over several
// connections: served by XADD oldest first within a group, a group destroyed while waiting
// (NOGROUP), a key deleted while waiting (7.0 keeps waiting), NOACK, MULTI, timeouts and
// CLIENT UNBLOCK. Idle times follow each server's clock, so scripts read them through
// Masked(), which turns each into "recent" (under 10 s) or "old".
//
//   CompareScripts(ConsumerScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/script_diff.h"
#include "integration/support/stream_cmds.h"

namespace {

using kvgate::testing::AddRange;
using kvgate::testing::CmdList;
using kvgate::testing::Concat;
using kvgate::testing::MultiScript;
using kvgate::testing::S;
using kvgate::testing::Script;

// The command run from a script with every idle time (XPENDING's third column, XINFO's
// "idle") replaced by "recent" or "old"; errors come back as they are.
std::vector<std::string> Masked(const std::vector<std::string>& cmd) {
  static const std::string kBody = R"(
local function age(v) if type(v) == 'number' then return v < 10000 and 'recent' or 'old' end return v end
local r = redis.pcall(unpack(ARGV))
if type(r) ~= 'table' or r.err then return r end
if string.upper(ARGV[1]) == 'XPENDING' and #ARGV > 3 then
  for _, row in ipairs(r) do row[3] = age(row[3]) end
end
if string.upper(ARGV[1]) == 'XINFO' then
  for _, c in ipairs(r) do
    for i = 1, #c - 1 do if c[i] == 'idle' then c[i + 1] = age(c[i + 1]) end end
  end
end
return r)";
  std::vector<std::string> out = {"EVAL", kBody, "0"};
  out.insert(out.end(), cmd.begin(), cmd.end());
  return out;
}

CmdList WithGroup(CmdList adds) {
  return Concat(std::move(adds), {{"XGROUP", "CREATE", "s", "g", "0"}});
}

std::vector<Script> ReadGroupScripts() {
  // Tables of commands read best one script per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("xreadgroup > and history", Concat(WithGroup(AddRange("s", 1, 6)), {
      {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"},
      {"XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"},
      {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"},
      {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "1-1"},
      {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "0-0"},
      {"XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", "0"},
      {"XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">"},
      {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"},
      {"XDEL", "s", "2-1"}, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"},
      {"XPENDING", "s", "g"}, {"XINFO", "GROUPS", "s"}, Masked({"XINFO", "CONSUMERS", "s", "g"}),
      {"XACK", "s", "g", "1-1", "2-1", "3-1"}, {"XPENDING", "s", "g"},
      {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"}, {"XINFO", "STREAM", "s"}})));
  s.push_back(S("setid moves the group back; pending entries change hands", Concat(WithGroup(AddRange("s", 1, 4)), {
      {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"}, {"XGROUP", "SETID", "s", "g", "1-1"},
      {"XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"}, {"XPENDING", "s", "g"},
      Masked({"XPENDING", "s", "g", "-", "+", "10"}), {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"},
      {"XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0"}, {"XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", ">"},
      {"XINFO", "GROUPS", "s"}, {"XPENDING", "s", "g"}})));
  s.push_back(S("several streams, one twice, and no entries", Concat(Concat(AddRange("a", 1, 3), AddRange("b", 5, 7)), {
      {"XGROUP", "CREATE", "a", "g", "0"}, {"XGROUP", "CREATE", "b", "g", "$"}, {"XGROUP", "CREATE", "e", "g", "$", "MKSTREAM"},
      {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", ">", ">"},
      {"XADD", "b", "9-1", "f", "v"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", "e", ">", ">", ">"},
      {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", "0", "0"},
      {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "a", "0", ">"},
      {"XADD", "a", "4-1", "f", "v"}, {"XREADGROUP", "GROUP", "g", "d", "STREAMS", "a", "a", ">", ">"},
      {"XREADGROUP", "GROUP", "g", "d", "STREAMS", "e", "0"}, {"XREADGROUP", "GROUP", "g", "d", "STREAMS", "e", ">"},
      {"XREADGROUP", "GROUP", "g", "d", "BLOCK", "10", "STREAMS", "a", "0"},
      {"XINFO", "GROUPS", "e"}, {"XINFO", "GROUPS", "a"}, {"XPENDING", "a", "g"}})));
  s.push_back(S("xreadgroup errors, key by key", Concat(WithGroup(AddRange("s", 1, 3)), {
      {"SET", "str", "v"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"},
      {"XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "nokey", ">"},
      {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "str", ">", ">"},
      {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "nokey", "zz", ">"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "x"},
      {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "-"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "+"},
      {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "s", ">"}, {"XREADGROUP", "STREAMS", "s", ">", "x", "y"},
      {"XREADGROUP", "COUNT", "1", "STREAMS", "s", ">"}, {"XREADGROUP", "GROUP", "g", "c", "COUNT", "x", "STREAMS", "s", ">"},
      {"XREADGROUP", "GROUP", "g", "c", "COUNT", "-5", "STREAMS", "s", ">"}, {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "-1", "STREAMS", "s", ">"},
      {"XREADGROUP", "GROUP", "g", "c", "BOGUS", "STREAMS", "s", ">"}, {"XREADGROUP", "GROUP", "g", "c", "NOACK", "s", ">"},
      {"XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"}, {"XREADGROUP", "GROUP", "g", "c", "d", "STREAMS", "s", ">"},
      {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "18446744073709551615-18446744073709551615"},
      {"XREADGROUP", "GROUP", "g", "c"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS"},
      {"XREAD", "GROUP", "g", "c", "STREAMS", "s", ">"},
      {"MULTI"}, {"XREADGROUP", "GROUP", "g", "m", "BLOCK", "0", "STREAMS", "s", ">"}, {"EXEC"},
      Masked({"XINFO", "CONSUMERS", "s", "g"}),
      {"EVAL", "return redis.call('XREADGROUP', 'GROUP', 'g', 'l', 'STREAMS', KEYS[1], '>')", "1", "s"},
      {"EVAL", "return redis.pcall('XREADGROUP', 'GROUP', 'g', 'l', 'BLOCK', '0', 'STREAMS', KEYS[1], '>')", "1", "s"},
      {"EVAL_RO", "return redis.pcall('XREADGROUP', 'GROUP', 'g', 'l', 'STREAMS', KEYS[1], '0')", "1", "s"}})));
  return s;
  // clang-format on
}

std::vector<Script> PendingClaimScripts() {
  // clang-format off
  std::vector<Script> s;
  const CmdList read = {{"XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">"},
                        {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"}};
  s.push_back(S("xpending", Concat(Concat(WithGroup(AddRange("s", 1, 7)), read), {
      {"XPENDING", "s", "g"}, Masked({"XPENDING", "s", "g", "-", "+", "10"}), Masked({"XPENDING", "s", "g", "-", "+", "2"}),
      Masked({"XPENDING", "s", "g", "(1-1", "(5-1", "10"}), Masked({"XPENDING", "s", "g", "2", "4", "10", "bob"}),
      Masked({"XPENDING", "s", "g", "-", "+", "10", "alice"}), {"XPENDING", "s", "g", "-", "+", "10", "nobody"},
      {"XPENDING", "s", "g", "-", "+", "0"}, {"XPENDING", "s", "g", "-", "+", "-3"},
      {"XPENDING", "s", "g", "IDLE", "3600000", "-", "+", "10"}, Masked({"XPENDING", "s", "g", "IDLE", "0", "-", "+", "10", "bob"}),
      Masked({"XPENDING", "s", "g", "IDLE", "1", "-", "+", "10", "bob", "extra"}), Masked({"XPENDING", "s", "g", "-", "+", "10", "bob", "x", "y"}),
      {"XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"}, {"XPENDING", "s", "g", "IDLE", "5", "-", "+"},
      {"XPENDING", "s", "g", "-", "+"}, {"XPENDING", "s", "g", "-", "+", "x"}, {"XPENDING", "s", "g", "x", "+", "1"},
      {"XPENDING", "s", "g", "-", "x", "1"}, {"XPENDING", "s", "g", "(-", "+", "1"}, {"XPENDING", "s", "g", "-", "(0-0", "1"},
      {"XPENDING", "s", "g", "(18446744073709551615-18446744073709551615", "+", "1"}, {"XPENDING", "s", "g", "5", "1", "10"},
      {"XPENDING", "s", "nog"}, {"XPENDING", "nokey", "g"}, {"XPENDING", "nokey", "g", "x", "+", "1"},
      {"SET", "str", "v"}, {"XPENDING", "str", "g"}, {"XPENDING", "s"},
      {"XGROUP", "CREATE", "s", "empty", "$"}, {"XPENDING", "s", "empty"}, {"XPENDING", "s", "empty", "-", "+", "10"},
      {"XACK", "s", "g", "1-1", "2-1", "3-1"}, {"XPENDING", "s", "g"}})));
  s.push_back(S("xclaim", Concat(Concat(WithGroup(AddRange("s", 1, 7)), read), {
      {"XCLAIM", "s", "g", "carol", "3600000", "1-1"}, {"XCLAIM", "s", "g", "carol", "0", "1-1", "2-1"},
      {"XPENDING", "s", "g"}, {"XCLAIM", "s", "g", "carol", "0", "4-1", "JUSTID"},
      Masked({"XPENDING", "s", "g", "-", "+", "10"}), {"XCLAIM", "s", "g", "dave", "0", "1-1", "RETRYCOUNT", "9", "JUSTID"},
      Masked({"XPENDING", "s", "g", "-", "+", "10"}), {"XCLAIM", "s", "g", "dave", "0", "2-1", "IDLE", "7200000"},
      Masked({"XPENDING", "s", "g", "-", "+", "10"}), {"XCLAIM", "s", "g", "erin", "3600000", "2-1", "JUSTID"},
      {"XCLAIM", "s", "g", "erin", "0", "2-1", "TIME", "1", "JUSTID"}, Masked({"XPENDING", "s", "g", "-", "+", "10"}),
      {"XCLAIM", "s", "g", "erin", "0", "3-1", "TIME", "99999999999999", "JUSTID"}, Masked({"XPENDING", "s", "g", "-", "+", "10"}),
      {"XCLAIM", "s", "g", "erin", "0", "3-1", "IDLE", "-5", "JUSTID"}, {"XCLAIM", "s", "g", "erin", "-10", "3-1", "JUSTID"},
      {"XCLAIM", "s", "g", "frank", "0", "6-1"}, {"XCLAIM", "s", "g", "frank", "0", "6-1", "FORCE", "JUSTID"},
      {"XCLAIM", "s", "g", "frank", "3600000", "6-1", "FORCE"}, Masked({"XPENDING", "s", "g", "-", "+", "10"}),
      {"XCLAIM", "s", "g", "frank", "0", "99-1", "FORCE"}, {"XDEL", "s", "5-1"}, {"XPENDING", "s", "g"},
      {"XCLAIM", "s", "g", "frank", "0", "5-1", "4-1"}, {"XPENDING", "s", "g"},
      {"XCLAIM", "s", "g", "frank", "0", "4-1", "LASTID", "50-0", "JUSTID"}, {"XINFO", "GROUPS", "s"},
      {"XCLAIM", "s", "g", "frank", "0", "LASTID", "60-0"}, {"XINFO", "GROUPS", "s"},
      {"XCLAIM", "s", "g", "frank", "0", "LASTID", "10-0"}, {"XINFO", "GROUPS", "s"},
      {"XCLAIM", "s", "g", "frank", "0", "4-1", "BOGUS"}, {"XCLAIM", "s", "g", "frank", "0", "4-1", "IDLE"},
      {"XCLAIM", "s", "g", "frank", "0", "4-1", "IDLE", "x"}, {"XCLAIM", "s", "g", "frank", "0", "4-1", "TIME", "x"},
      {"XCLAIM", "s", "g", "frank", "0", "4-1", "RETRYCOUNT", "x"}, {"XCLAIM", "s", "g", "frank", "0", "4-1", "LASTID", "x"},
      {"XCLAIM", "s", "g", "frank", "x", "4-1"}, {"XCLAIM", "s", "g", "frank", "0", "-", "+"},
      {"XCLAIM", "s", "nog", "frank", "x", "4-1"}, {"XCLAIM", "nokey", "g", "frank", "0", "4-1"},
      {"SET", "str", "v"}, {"XCLAIM", "str", "g", "frank", "0", "4-1"}, {"XCLAIM", "s", "g", "frank", "0"},
      Masked({"XINFO", "CONSUMERS", "s", "g"})})));
  s.push_back(S("xautoclaim", Concat(Concat(WithGroup(AddRange("s", 1, 9)), read), {
      {"XAUTOCLAIM", "s", "g", "carol", "3600000", "0"}, {"XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "2"},
      {"XAUTOCLAIM", "s", "g", "carol", "0", "2-1", "COUNT", "2", "JUSTID"}, {"XAUTOCLAIM", "s", "g", "carol", "0", "(3-1", "COUNT", "100"},
      Masked({"XPENDING", "s", "g", "-", "+", "10"}), {"XDEL", "s", "2-1", "4-1", "6-1"},
      {"XAUTOCLAIM", "s", "g", "dave", "0", "-", "COUNT", "2"}, {"XAUTOCLAIM", "s", "g", "dave", "0", "0", "JUSTID"},
      {"XPENDING", "s", "g"}, Masked({"XPENDING", "s", "g", "-", "+", "10"}),
      {"XAUTOCLAIM", "s", "g", "dave", "0", "+"}, {"XAUTOCLAIM", "s", "g", "dave", "0", "(18446744073709551615-18446744073709551615"},
      {"XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "0"}, {"XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "x"},
      {"XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "576460752303423488"}, {"XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT"},
      {"XAUTOCLAIM", "s", "g", "dave", "0", "0", "BOGUS"}, {"XAUTOCLAIM", "s", "g", "dave", "x", "0"},
      {"XAUTOCLAIM", "s", "g", "dave", "0", "x"}, {"XAUTOCLAIM", "s", "nog", "dave", "0", "0"},
      {"XAUTOCLAIM", "nokey", "g", "dave", "0", "0"}, {"SET", "str", "v"}, {"XAUTOCLAIM", "str", "g", "dave", "0", "0"},
      {"XAUTOCLAIM", "s", "g", "dave", "0"}, {"XAUTOCLAIM", "s", "g", "dave", "-1", "0", "COUNT", "1"},
      Masked({"XINFO", "CONSUMERS", "s", "g"})})));
  s.push_back(S("many pending entries, claimed in pages", Concat(Concat(WithGroup(AddRange("s", 1, 120)), {
      {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"}}), {
      {"XAUTOCLAIM", "s", "g", "bob", "0", "0", "COUNT", "50", "JUSTID"}, {"XAUTOCLAIM", "s", "g", "bob", "0", "50-1", "COUNT", "50", "JUSTID"},
      {"XAUTOCLAIM", "s", "g", "bob", "0", "100-1", "COUNT", "50", "JUSTID"}, {"XPENDING", "s", "g"},
      {"XTRIM", "s", "MAXLEN", "10"}, {"XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "3"},
      {"XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "200"}, {"XPENDING", "s", "g"}})));
  return s;
  // clang-format on
}

std::vector<MultiScript> BlockingScripts() {
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"served by XADD, oldest first within a group", 4,
               {{3, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}},
                {1, {"XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">"}},
                {2, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}},
                {3, {"XADD", "s", "1-1", "f", "a", "", "XADD", "s", "2-1", "f", "b"}},
                {3, {"XADD", "s", "3-1", "f", "c"}},
                {3, {"XPENDING", "s", "g", "", "XINFO", "GROUPS", "s"}}}});
  s.push_back({"a group destroyed or a key deleted while waiting", 3,
               {{2, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM", "", "XGROUP", "CREATE", "s", "h", "$"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}},
                {1, {"XREADGROUP", "GROUP", "h", "bob", "BLOCK", "0", "STREAMS", "s", ">"}},
                {2, {"XGROUP", "DESTROY", "s", "g"}},
                {2, {"DEL", "s"}},
                {2, {"XADD", "s", "1-1", "f", "v"}},
                {2, {"XGROUP", "CREATE", "s", "h", "0"}},
                {0, {"XREADGROUP", "GROUP", "h", "alice", "BLOCK", "0", "STREAMS", "s", ">"}},
                {2, {"XADD", "s", "2-1", "f", "v"}},
                {2, {"XPENDING", "s", "h"}}}});
  s.push_back({"a key overwritten, flushed or recreated while waiting", 3,
               {{2, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM", "", "XGROUP", "CREATE", "t", "g", "$", "MKSTREAM"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}},
                {1, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}},
                {2, {"SET", "s", "v"}},
                {2, {"DEL", "s", "", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}},
                {2, {"MULTI", "", "DEL", "s", "", "XADD", "s", "1-1", "f", "v", "", "EXEC"}},
                {2, {"XGROUP", "CREATE", "s", "g", "$"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "t", "s", ">", ">"}},
                {2, {"FLUSHDB"}},
                {2, {"XADD", "s", "2-1", "f", "v"}}}});
  s.push_back({"noack, multi, timeouts and client unblock", 2,
               {{1, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "NOACK", "BLOCK", "0", "STREAMS", "s", ">"}},
                {1, {"XADD", "s", "1-1", "f", "v", "", "XPENDING", "s", "g"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "10", "STREAMS", "s", ">"}},
                {1, {"PING"}},
                {0, {"PING"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}},
                {1, {"CLIENT", "UNBLOCK", "{id0}", "ERROR"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", "other", ">", ">"}},
                {1, {"XGROUP", "CREATE", "other", "g", "$", "MKSTREAM"}},
                {1, {"MULTI", "", "XADD", "other", "1-1", "f", "v", "", "XADD", "s", "2-1", "f", "v", "", "EXEC"}},
                {0, {"MULTI", "", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">", "", "EXEC"}}}});
  s.push_back({"resp3 replies", 2,
               {{0, {"HELLO", "3"}, true},
                {1, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"}},
                {1, {"XADD", "s", "1-1", "f", "v"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0", "", "XPENDING", "s", "g"}},
                {1, {"XDEL", "s", "1-1"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"}},
                {0, {"XREADGROUP", "GROUP", "g", "alice", "BLOCK", "10", "STREAMS", "s", ">"}},
                {1, {"PING"}},
                {0, {"PING", "", "XPENDING", "s", "g", "", "XACK", "s", "g", "1-1", "", "XPENDING", "s", "g"}}}});
  // clang-format on
  return s;
}

}  // namespace

TEST_CASE("XREADGROUP answers like redis-server 7, byte for byte",
          "[integration][redis][differential][streams]") {
  kvgate::testing::CompareScripts(ReadGroupScripts(), /*resp3=*/true);
}

TEST_CASE("XPENDING, XCLAIM and XAUTOCLAIM answer like redis-server 7, byte for byte",
          "[integration][redis][differential][streams]") {
  kvgate::testing::CompareScripts(PendingClaimScripts(), /*resp3=*/true);
}

TEST_CASE("XREADGROUP BLOCK matches redis-server", "[integration][redis][differential][streams]") {
  kvgate::testing::CompareMulti(BlockingScripts());
}

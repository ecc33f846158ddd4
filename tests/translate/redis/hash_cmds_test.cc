// File: tests/translate/redis/hash_cmds_test.cc
// Hash commands in-process: what the differential test cannot compare (HRANDFIELD's random
// picks, HSCAN over a hashtable hash while it changes), and what hangs on revisions: keyspace
// events in Redis's order, WATCH aborted by a change and not by a command that changed nothing.
//
//   RedisHarness h;  auto& c = h.Connect();
//   h.Cmd(c, {"HSET", "h", "f", "v"}) == Int(1);
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "tests/translate/redis/support/fake_transport.h"
#include "tests/translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

// The bulk strings of a flat RESP2 array reply (nested arrays' bulks included).
std::vector<std::string> Bulks(const std::string& reply) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = reply.find('$', i)) != std::string::npos) {
    size_t eol = reply.find("\r\n", i);
    const long len = std::stol(reply.substr(i + 1, eol - i - 1));
    if (len < 0) {
      i = eol;
      continue;
    }
    out.push_back(reply.substr(eol + 2, static_cast<size_t>(len)));
    i = eol + 2 + static_cast<size_t>(len) + 2;
  }
  return out;
}

TEST_CASE("HRANDFIELD picks distinct fields, or repeats for a negative count", "[redis][hashes]") {
  RedisHarness h;
  auto& c = h.Connect();
  std::vector<std::string> cmd{"HSET", "h"};
  for (int i = 0; i < 20; ++i) {
    cmd.push_back("f" + std::to_string(i));
    cmd.push_back("v" + std::to_string(i));
  }
  REQUIRE(h.Cmd(c, cmd) == Int(20));
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> picked = Bulks(h.Cmd(c, {"HRANDFIELD", "h", "5"}));
    REQUIRE(picked.size() == 5);
    CHECK(std::set<std::string>(picked.begin(), picked.end()).size() == 5);
    std::vector<std::string> pairs = Bulks(h.Cmd(c, {"HRANDFIELD", "h", "-30", "WITHVALUES"}));
    REQUIRE(pairs.size() == 60);
    for (size_t i = 0; i < pairs.size(); i += 2) {
      CHECK(pairs[i + 1] == "v" + pairs[i].substr(1));  // each field with its own value
    }
    std::vector<std::string> one = Bulks(h.Cmd(c, {"HRANDFIELD", "h"}));
    REQUIRE(one.size() == 1);
    CHECK(one[0][0] == 'f');
  }
  // RESP3: WITHVALUES answers pairs.
  h.Cmd(c, {"HELLO", "3"});
  const std::string r3 = h.Cmd(c, {"HRANDFIELD", "h", "2", "WITHVALUES"});
  CHECK(r3.substr(0, 8) == "*2\r\n*2\r\n");
}

TEST_CASE("HSCAN of a hashtable hash returns every field present for the whole scan",
          "[redis][hashes]") {
  RedisHarness h;
  auto& c = h.Connect();
  std::vector<std::string> cmd{"HSET", "h"};
  for (int i = 0; i < 2000; ++i) {
    cmd.push_back("f" + std::to_string(i));
    cmd.push_back("v");
  }
  REQUIRE(h.Cmd(c, cmd) == Int(2000));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "h"}) == Bulk("hashtable"));
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    std::vector<std::string> b = Bulks(h.Cmd(c, {"HSCAN", "h", cursor, "COUNT", "50"}));
    REQUIRE(!b.empty());
    cursor = b[0];
    for (size_t i = 1; i < b.size(); i += 2) seen.insert(b[i]);
    // Meanwhile most fields go: enough erasing to compact the table under the cursor.
    if (calls == 3) {
      std::vector<std::string> del{"HDEL", "h"};
      for (int i = 500; i < 2000; ++i) del.push_back("f" + std::to_string(i));
      h.Cmd(c, del);
    }
    ++calls;
  } while (cursor != "0" && calls < 1000);
  CHECK(cursor == "0");
  for (int i = 0; i < 500; ++i) CHECK(seen.count("f" + std::to_string(i)) == 1);
}

TEST_CASE("hash commands fire Redis's events in Redis's order", "[redis][hashes]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  h.Cmd(c, {"HELLO", "3"});
  h.Cmd(c, {"PSUBSCRIBE", "__key*"});
  CHECK(h.Cmd(c, {"HSET", "h", "a", "1", "b", "2"}) == KeyEvents("h", "hset") + Int(2));
  CHECK(h.Cmd(c, {"HSET", "h", "a", "1"}) == KeyEvents("h", "hset") + Int(0));
  CHECK(h.Cmd(c, {"HSETNX", "h", "a", "9"}) == Int(0));  // nothing written: no event
  CHECK(h.Cmd(c, {"HINCRBY", "h", "a", "2"}) == KeyEvents("h", "hincrby") + Int(3));
  CHECK(h.Cmd(c, {"HINCRBYFLOAT", "h", "a", "1.5"}) ==
        KeyEvents("h", "hincrbyfloat") + "$3\r\n4.5\r\n");
  CHECK(h.Cmd(c, {"HDEL", "h", "nope"}) == Int(0));
  CHECK(h.Cmd(c, {"HDEL", "h", "a", "b"}) ==
        KeyEvents("h", "hdel") + KeyEvents("h", "del") + Int(2));
}

TEST_CASE("WATCH is aborted by a hash change, not by a command that changed nothing",
          "[redis][hashes]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& other = h.Connect();
  REQUIRE(h.Cmd(c, {"HSET", "h", "a", "1"}) == Int(1));
  CHECK(h.Cmd(c, {"WATCH", "h"}) == kOk);
  CHECK(h.Cmd(other, {"HDEL", "h", "missing"}) == Int(0));
  CHECK(h.Cmd(other, {"HSETNX", "h", "a", "2"}) == Int(0));
  CHECK(h.Send(c, Encode({"MULTI"}) + Encode({"HGET", "h", "a"}) + Encode({"EXEC"})) ==
        kOk + "+QUEUED\r\n*1\r\n" + Bulk("1"));
  CHECK(h.Cmd(c, {"WATCH", "h"}) == kOk);
  CHECK(h.Cmd(other, {"HSET", "h", "b", "2"}) == Int(1));
  CHECK(h.Send(c, Encode({"MULTI"}) + Encode({"HGET", "h", "a"}) + Encode({"EXEC"})) ==
        kOk + "+QUEUED\r\n*-1\r\n");
}

}  // namespace
}  // namespace kvgate::redis::testing

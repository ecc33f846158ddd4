// File: tests/translate/redis/list_cmds_test.cc
// The list commands in-process: keyspace events in Redis's order (LMOVE's push before its pop),
// TYPE / SCAN TYPE / OBJECT ENCODING / COPY (a copy changes alone), long lists popped from both
// ends, RESP3 null shapes, and the NATS side's JSON rendering.
//
//   RedisHarness h;  auto& c = h.Connect();
//   h.Cmd(c, {"RPUSH", "l", "a"}) == Int(1);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/collections/list_value.h"
#include "translate/nats/collection_json.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

TEST_CASE("list commands fire Redis's events in Redis's order", "[redis][lists]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == kOk);
  h.Cmd(c, {"HELLO", "3"});
  h.Cmd(c, {"PSUBSCRIBE", "__key*"});
  CHECK(h.Cmd(c, {"RPUSH", "a", "1", "2", "3"}) == KeyEvents("a", "rpush") + Int(3));
  CHECK(h.Cmd(c, {"LPUSHX", "none", "1"}) == Int(0));
  CHECK(h.Cmd(c, {"LMOVE", "a", "b", "LEFT", "RIGHT"}) ==
        KeyEvents("b", "rpush") + KeyEvents("a", "lpop") + Bulk("1"));
  CHECK(h.Cmd(c, {"RPOPLPUSH", "b", "b"}) ==
        KeyEvents("b", "lpush") + KeyEvents("b", "rpop") + Bulk("1"));
  CHECK(h.Cmd(c, {"LINSERT", "a", "BEFORE", "nope", "x"}) == Int(-1));
  CHECK(h.Cmd(c, {"LREM", "a", "0", "nope"}) == Int(0));
  CHECK(h.Cmd(c, {"LTRIM", "a", "0", "-1"}) == KeyEvents("a", "ltrim") + kOk);
  CHECK(h.Cmd(c, {"LSET", "a", "0", "z"}) == KeyEvents("a", "lset") + kOk);
  CHECK(h.Cmd(c, {"RPOP", "a", "0"}) == "*0\r\n");
  CHECK(h.Cmd(c, {"LMPOP", "2", "none", "a", "RIGHT", "COUNT", "5"}) ==
        KeyEvents("a", "rpop") + KeyEvents("a", "del") + Arr(2) + Bulk("a") + Arr(2) + Bulk("3") +
            Bulk("z"));
  CHECK(h.Cmd(c, {"LMOVE", "b", "c", "RIGHT", "LEFT"}) ==
        KeyEvents("c", "lpush") + KeyEvents("b", "rpop") + KeyEvents("b", "del") + Bulk("1"));
  CHECK(h.Cmd(c, {"LPOP", "none"}) == "_\r\n");
  CHECK(h.Cmd(c, {"LPOP", "none", "1"}) == "_\r\n");
  CHECK(h.Cmd(c, {"LMPOP", "1", "none", "LEFT"}) == "_\r\n");
}

TEST_CASE("lists answer TYPE, SCAN TYPE, OBJECT ENCODING and COPY", "[redis][lists]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"RPUSH", "l", "a", "b"}) == Int(2));
  CHECK(h.Cmd(c, {"SADD", "s", "m"}) == Int(1));
  CHECK(h.Cmd(c, {"TYPE", "l"}) == Simple("list"));
  CHECK(h.Cmd(c, {"SCAN", "0", "TYPE", "list"}) == Arr(2) + Bulk("0") + Arr(1) + Bulk("l"));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "l"}) == Bulk("quicklist"));
  CHECK(h.Cmd(c, {"COPY", "l", "m"}) == Int(1));
  CHECK(h.Cmd(c, {"RPUSH", "m", "c"}) == Int(3));  // the copy changes alone
  CHECK(h.Cmd(c, {"LRANGE", "l", "0", "-1"}) == Arr(2) + Bulk("a") + Bulk("b"));
  CHECK(h.Cmd(c, {"RENAME", "m", "n"}) == kOk);
  CHECK(h.Cmd(c, {"LLEN", "n"}) == Int(3));
  CHECK(h.Cmd(c, {"LMOVE", "l", "s", "LEFT", "LEFT"}).substr(0, 10) == "-WRONGTYPE");
  CHECK(h.Cmd(c, {"LRANGE", "l", "0", "-1"}) == Arr(2) + Bulk("a") + Bulk("b"));  // untouched
  CHECK(h.Cmd(c, {"SMEMBERS", "l"}).substr(0, 10) == "-WRONGTYPE");
}

TEST_CASE("COMMAND INFO gives the list commands Redis's key positions", "[redis][lists]") {
  RedisHarness h;
  auto& c = h.Connect();
  const std::string lmove = h.Cmd(c, {"COMMAND", "INFO", "lmove"});
  CHECK(lmove.find(Bulk("lmove") + Int(5)) != std::string::npos);
  CHECK(lmove.find(Int(1) + Int(2) + Int(1)) != std::string::npos);
  CHECK(h.Cmd(c, {"COMMAND", "INFO", "rpoplpush"}).find(Int(1) + Int(2) + Int(1)) !=
        std::string::npos);
  const std::string lmpop = h.Cmd(c, {"COMMAND", "INFO", "lmpop"});
  CHECK(lmpop.find(Bulk("lmpop") + Int(-4)) != std::string::npos);
  CHECK(lmpop.find(Int(0) + Int(0) + Int(0)) != std::string::npos);
  for (const char* name : {"lpush", "rpushx", "lpop", "llen", "lrange", "lindex", "lset", "linsert",
                           "lrem", "ltrim", "lpos"}) {
    INFO(name);
    CHECK(h.Cmd(c, {"COMMAND", "INFO", name}).find(Int(1) + Int(1) + Int(1)) != std::string::npos);
  }
  CHECK(h.Cmd(c, {"COMMAND", "DOCS", "lpos"}).find("Return the index of matching elements") !=
        std::string::npos);
}

TEST_CASE("a long list pops from both ends and reads by index", "[redis][lists]") {
  RedisHarness h;
  auto& c = h.Connect();
  for (int batch = 0; batch < 20; ++batch) {
    std::vector<std::string> push = {"RPUSH", "l"};
    for (int i = 0; i < 1000; ++i) push.push_back(std::to_string(batch * 1000 + i));
    h.Cmd(c, push);
  }
  CHECK(h.Cmd(c, {"LLEN", "l"}) == Int(20000));
  CHECK(h.Cmd(c, {"LINDEX", "l", "12345"}) == Bulk("12345"));
  CHECK(h.Cmd(c, {"LINDEX", "l", "-1"}) == Bulk("19999"));
  CHECK(h.Cmd(c, {"LPOS", "l", "15000", "RANK", "-1"}) == Int(15000));
  CHECK(h.Cmd(c, {"LPOP", "l", "2"}) == Arr(2) + Bulk("0") + Bulk("1"));
  CHECK(h.Cmd(c, {"RPOP", "l"}) == Bulk("19999"));
  CHECK(h.Cmd(c, {"LTRIM", "l", "0", "9"}) == kOk);
  CHECK(h.Cmd(c, {"LRANGE", "l", "-2", "-1"}) == Arr(2) + Bulk("10") + Bulk("11"));
}

TEST_CASE("a list renders as a JSON array for NATS gets", "[redis][lists]") {
  engine::ListValue l;
  CHECK(nats::CollectionJson(l) == "[]");
  l.PushBack("a");
  l.PushBack("q\"uote");
  l.PushFront("");
  CHECK(nats::CollectionJson(l) == "[\"\",\"a\",\"q\\\"uote\"]");
}

}  // namespace
}  // namespace kvgate::redis::testing

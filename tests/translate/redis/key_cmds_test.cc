// Keyspace commands and glob matching (specs/resp-subset.md §5).
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "translate/redis/glob.h"
#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

// Parses a flat array of bulk strings (KEYS reply) into a sorted list.
std::vector<std::string> Keys(const std::string& reply) {
  std::vector<std::string> out;
  size_t pos = reply.find("\r\n") + 2;
  while (pos < reply.size()) {
    size_t eol = reply.find("\r\n", pos);
    size_t len = std::stoul(reply.substr(pos + 1, eol - pos - 1));
    out.push_back(reply.substr(eol + 2, len));
    pos = eol + 2 + len + 2;
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("glob rules match Redis's stringmatchlen", "[redis]") {
  struct G {
    const char* pattern;
    const char* str;
    bool match;
  };
  for (G g : {G{"h?llo", "hello", true},
              G{"h*o", "hello", true},
              G{"h[ae]llo", "hallo", true},
              G{"h[^e]llo", "hello", false},
              G{"h[^e]llo", "hallo", true},
              G{"h[a-z]llo", "hxllo", true},
              G{"h[z-a]llo", "hxllo", true},
              G{"h[!e]llo", "h!llo", true},
              G{"h[!e]llo", "hallo", false},
              G{"h\\*llo", "h*llo", true},
              G{"h\\*llo", "hello", false},
              G{"[", "hello", false},
              G{"h[", "hello", false},
              G{"\\", "hello", false},
              G{"h[e", "hello", false},
              G{"h[]llo", "hello", false},
              G{"*", "", false} /* KEYS * is special-cased */,
              G{"", "", true},
              G{"a*b*c", "aXbYc", true},
              G{"a*b*c", "aXbY", false},
              G{"**x", "abx", true},
              G{"?", "", false}}) {
    INFO(g.pattern << " vs " << g.str);
    CHECK(GlobMatch(g.pattern, g.str) == g.match);
  }
  CHECK(GlobMatch("SAVE", "save", true));
  CHECK(GlobLiteralPrefix("user:*:x") == "user:");
  CHECK(GlobLiteralPrefix("plain") == "plain");
  // Pathological patterns stay fast (skip-longer-matches).
  CHECK_FALSE(GlobMatch(std::string(30, '*') + "a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
}

TEST_CASE("DEL UNLINK EXISTS TOUCH TYPE", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"MSET", "a", "1", "b", "2"}) == kOk);
  CHECK(h.Cmd(c, {"EXISTS", "a", "a", "b", "c"}) == Int(3));
  CHECK(h.Cmd(c, {"TOUCH", "a", "c"}) == Int(1));
  engine::Revision before = h.engine().FindBucket("db0")->LastRevision();
  CHECK(h.Cmd(c, {"DEL", "a", "a", "c"}) == Int(1));
  // One tombstone for a, nothing written for the absent c.
  CHECK(h.engine().FindBucket("db0")->LastRevision() == before + 1);
  CHECK(h.Cmd(c, {"UNLINK", "b"}) == Int(1));
  CHECK(h.Cmd(c, {"EXISTS", "a", "b"}) == Int(0));
  CHECK(h.Cmd(c, {"TYPE", "a"}) == "+none\r\n");
  CHECK(h.Cmd(c, {"SET", "t", "x"}) == kOk);
  CHECK(h.Cmd(c, {"TYPE", "t"}) == "+string\r\n");
  CHECK(h.Cmd(c, {"DEL"}) == Err("ERR wrong number of arguments for 'del' command"));
}

TEST_CASE("RENAME RENAMENX COPY", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "a", "1", "EX", "100"}) == kOk);
  CHECK(h.Cmd(c, {"RENAME", "a", "b"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "b"}) == Bulk("1"));
  CHECK(h.Cmd(c, {"TTL", "b"}) == Int(100));
  CHECK(h.Cmd(c, {"EXISTS", "a"}) == Int(0));
  CHECK(h.Cmd(c, {"RENAME", "missing", "x"}) == Err("ERR no such key"));
  CHECK(h.Cmd(c, {"RENAME", "b", "b"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "c", "3"}) == kOk);
  CHECK(h.Cmd(c, {"RENAMENX", "b", "c"}) == Int(0));
  CHECK(h.Cmd(c, {"RENAMENX", "b", "b"}) == Int(0));
  CHECK(h.Cmd(c, {"RENAMENX", "b", "d"}) == Int(1));
  CHECK(h.Cmd(c, {"RENAMENX", "nope", "e"}) == Err("ERR no such key"));
  CHECK(h.Cmd(c, {"RENAME", "c", "d"}) == kOk);  // overwrites d and its TTL
  CHECK(h.Cmd(c, {"TTL", "d"}) == Int(-1));
  CHECK(h.Cmd(c, {"SET", "s", "v", "PX", "9000"}) == kOk);
  CHECK(h.Cmd(c, {"COPY", "s", "e"}) == Int(1));
  CHECK(h.Cmd(c, {"PTTL", "e"}) == Int(9000));
  CHECK(h.Cmd(c, {"COPY", "s", "e"}) == Int(0));
  CHECK(h.Cmd(c, {"COPY", "d", "e", "REPLACE"}) == Int(1));
  CHECK(h.Cmd(c, {"GET", "e"}) == Bulk("3"));
  CHECK(h.Cmd(c, {"COPY", "d", "d"}) == Err("ERR source and destination objects are the same"));
  CHECK(h.Cmd(c, {"COPY", "nope", "f"}) == Int(0));
  CHECK(h.Cmd(c, {"COPY", "d", "e", "FOO"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"COPY", "d", "e", "DB", "abc"}) ==
        Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"COPY", "d", "e", "DB", "16"}) == Err("ERR DB index is out of range"));
  CHECK(h.Cmd(c, {"COPY", "d", "e", "REPLACE", "REPLACE"}) == Int(1));
  CHECK(h.Cmd(c, {"COPY", "d", "d", "DB", "1"}) == Int(1));
  CHECK(h.Cmd(c, {"SELECT", "1"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "d"}) == Bulk("3"));
}

TEST_CASE("KEYS with patterns, binary keys and expiry", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"MSET", "hello", "1", "hallo", "2", "h*llo", "3", "user:1", "u", "user:2",
                  "u"}) == kOk);
  CHECK(Keys(h.Cmd(c, {"KEYS", "h?llo"})) == std::vector<std::string>{"h*llo", "hallo", "hello"});
  CHECK(Keys(h.Cmd(c, {"KEYS", "h\\*llo"})) == std::vector<std::string>{"h*llo"});
  CHECK(Keys(h.Cmd(c, {"KEYS", "user:*"})) == std::vector<std::string>{"user:1", "user:2"});
  CHECK(Keys(h.Cmd(c, {"KEYS", "*"})).size() == 5);
  CHECK(h.Cmd(c, {"KEYS", "nomatch*"}) == Arr(0));
  CHECK(h.Cmd(c, {"PEXPIRE", "hello", "10"}) == Int(1));
  h.clock().AdvanceMs(10);
  CHECK(Keys(h.Cmd(c, {"KEYS", "h*"})) == std::vector<std::string>{"h*llo", "hallo"});
}

TEST_CASE("SCAN iterates every key once the cursor returns to 0", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  for (int i = 0; i < 250; ++i) h.Cmd(c, {"SET", "key:" + std::to_string(i), "v"});
  h.Cmd(c, {"SET", "other", "v"});
  std::set<std::string> seen;
  std::string cursor = "0";
  int rounds = 0;
  do {
    std::string reply = h.Cmd(c, {"SCAN", cursor, "MATCH", "key:*", "COUNT", "20"});
    REQUIRE(reply.substr(0, 4) == "*2\r\n");
    size_t eol = reply.find("\r\n", 4);
    size_t len = std::stoul(reply.substr(5, eol - 5));
    cursor = reply.substr(eol + 2, len);
    for (const std::string& k : Keys(reply.substr(eol + 2 + len + 2))) seen.insert(k);
    ++rounds;
  } while (cursor != "0" && rounds < 1000);
  CHECK(seen.size() == 250);
  CHECK(seen.count("other") == 0);
  CHECK(rounds > 1);
  CHECK(h.Cmd(c, {"SCAN", "0", "TYPE", "hash", "COUNT", "1000"}) == Arr(2) + Bulk("0") + Arr(0));
  std::string all = h.Cmd(c, {"SCAN", "0", "TYPE", "STRING", "COUNT", "1000"});
  CHECK(all.substr(0, 11) == Arr(2) + Bulk("0"));
}

TEST_CASE("SCAN argument errors", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SCAN", "abc"}) == Err("ERR invalid cursor"));
  CHECK(h.Cmd(c, {"SCAN", "18446744073709551616"}) == Err("ERR invalid cursor"));
  CHECK(h.Cmd(c, {"SCAN", " 1"}) == Err("ERR invalid cursor"));
  CHECK(h.Cmd(c, {"SCAN", "-1"}).substr(0, 4) == "*2\r\n");
  CHECK(h.Cmd(c, {"SCAN", "0", "COUNT", "0"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"SCAN", "0", "COUNT", "-1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"SCAN", "0", "MATCH"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"SCAN", "0", "TYPE"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"SCAN", "0", "FOO", "x"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"SCAN", "0", "COUNT", "abc"}) ==
        Err("ERR value is not an integer or out of range"));
}

TEST_CASE("RANDOMKEY", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"RANDOMKEY"}) == kNil);
  CHECK(h.Cmd(c, {"SET", "only", "1"}) == kOk);
  CHECK(h.Cmd(c, {"RANDOMKEY"}) == Bulk("only"));
  h.Cmd(c, {"DEL", "only"});
  h.Cmd(c, {"HELLO", "3"});
  CHECK(h.Cmd(c, {"RANDOMKEY"}) == kNull3);
}

}  // namespace
}  // namespace kvgate::redis::testing

namespace kvgate::redis::testing {
namespace {

TEST_CASE("MOVE and OBJECT", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "v", "EX", "100"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "n", "123"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "big", std::string(50, 'x')}) == kOk);
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "k"}) == Bulk("embstr"));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "n"}) == Bulk("int"));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "big"}) == Bulk("raw"));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING", "nokey"}) == kNil);
  CHECK(h.Cmd(c, {"OBJECT", "NOSUCH", "k"}) ==
        Err("ERR unknown subcommand 'NOSUCH'. Try OBJECT HELP."));
  CHECK(h.Cmd(c, {"OBJECT", "ENCODING"}) ==
        Err("ERR wrong number of arguments for 'object|encoding' command"));
  CHECK(h.Cmd(c, {"MOVE", "k", "1"}) == Int(1));
  CHECK(h.Cmd(c, {"MOVE", "k", "1"}) == Int(0));
  CHECK(h.Cmd(c, {"MOVE", "n", "0"}) == Err("ERR source and destination objects are the same"));
  CHECK(h.Cmd(c, {"MOVE", "n", "16"}) == Err("ERR DB index is out of range"));
  CHECK(h.Cmd(c, {"MOVE", "n", "x"}) == Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"SET", "k", "other"}) == kOk);
  CHECK(h.Cmd(c, {"SELECT", "1"}) == kOk);
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(100));
  CHECK(h.Cmd(c, {"MOVE", "k", "0"}) == Int(0));  // the destination has the key
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v"));
}

}  // namespace
}  // namespace kvgate::redis::testing

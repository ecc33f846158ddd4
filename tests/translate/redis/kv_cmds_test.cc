// KV.* revision-aware extensions: reads at a revision, conditional writes, history, compaction,
// bucket info/listing/switching, and every error form.
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string Entry(std::string_view value, int64_t rev, std::string_view op = "PUT") {
  return Arr(3) + Bulk(value) + Int(rev) + Simple(op);
}
const std::string kNullArr = "*-1\r\n";

TEST_CASE("KV.PUT KV.CREATE KV.UPDATE KV.DEL with revisions", "[redis][kv]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"KV.CREATE", "k", "v1"}) == Int(1));
  CHECK(h.Cmd(c, {"KV.CREATE", "k", "again"}) == Err("EXISTS 1 the key exists at revision 1"));
  CHECK(h.Cmd(c, {"KV.GET", "k"}) == Entry("v1", 1));
  CHECK(h.Cmd(c, {"KV.UPDATE", "k", "v2", "1"}) == Int(2));
  CHECK(h.Cmd(c, {"KV.UPDATE", "k", "v3", "1"}) == Err("WRONGREVISION 2 the key is at revision 2"));
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v2"));
  CHECK(h.Cmd(c, {"SET", "k", "v3"}) == kOk);  // plain Redis writes take revisions too
  CHECK(h.Cmd(c, {"KV.GET", "k"}) == Entry("v3", 3));
  CHECK(h.Cmd(c, {"KV.PUT", "k", "v4"}) == Int(4));
  CHECK(h.Cmd(c, {"KV.PUT", "k", "v5", "IFREV", "3"}) ==
        Err("WRONGREVISION 4 the key is at revision 4"));
  CHECK(h.Cmd(c, {"KV.PUT", "k", "v5", "IFREV", "4"}) == Int(5));
  CHECK(h.Cmd(c, {"KV.PUT", "fresh", "x", "IFREV", "0"}) == Int(6));  // 0: no entry at all
  CHECK(h.Cmd(c, {"KV.PUT", "fresh", "y", "IFREV", "0"}) ==
        Err("WRONGREVISION 6 the key is at revision 6"));
  CHECK(h.Cmd(c, {"KV.DEL", "k", "IFREV", "2"}) == Err("WRONGREVISION 5 the key is at revision 5"));
  CHECK(h.Cmd(c, {"KV.DEL", "k", "IFREV", "5"}) == Int(7));
  // A tombstone is the key's newest entry: KV.GET shows it, GET does not.
  CHECK(h.Cmd(c, {"KV.GET", "k"}) == Entry("", 7, "DEL"));
  CHECK(h.Cmd(c, {"GET", "k"}) == kNil);
  CHECK(h.Cmd(c, {"KV.GET", "never"}) == kNullArr);
  CHECK(h.Cmd(c, {"KV.DEL", "k"}) == Int(0));               // Redis DEL semantics when absent
  CHECK(h.Cmd(c, {"KV.UPDATE", "k", "u", "7"}) == Int(8));  // CAS over the tombstone
  CHECK(h.Cmd(c, {"KV.DEL", "k"}) == Int(9));
  CHECK(h.Cmd(c, {"KV.CREATE", "k", "back"}) == Int(10));  // create over a tombstone
  CHECK(h.Cmd(c, {"KV.CREATE", "t", "v", "PX", "100"}) == Int(11));
  CHECK(h.Cmd(c, {"PTTL", "t"}) == Int(100));
  CHECK(h.Cmd(c, {"KV.PUT", "t2", "v", "PX", "250", "IFREV", "0"}) == Int(12));
  CHECK(h.Cmd(c, {"PTTL", "t2"}) == Int(250));
}

TEST_CASE("KV write commands reject bad arguments", "[redis][kv]") {
  RedisHarness h;
  auto& c = h.Connect();
  const std::string bad_rev = Err("ERR revision is not a non-negative integer");
  CHECK(h.Cmd(c, {"KV.UPDATE", "k", "v", "abc"}) == bad_rev);
  CHECK(h.Cmd(c, {"KV.UPDATE", "k", "v", "-1"}) == bad_rev);
  CHECK(h.Cmd(c, {"KV.UPDATE", "k", "v"}) ==
        Err("ERR wrong number of arguments for 'kv.update' command"));
  CHECK(h.Cmd(c, {"KV.PUT", "k", "v", "IFREV", "x"}) == bad_rev);
  CHECK(h.Cmd(c, {"KV.PUT", "k", "v", "IFREV"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.PUT", "k", "v", "IFREV", "1", "IFREV", "1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.PUT", "k", "v", "PX", "abc"}) ==
        Err("ERR value is not an integer or out of range"));
  CHECK(h.Cmd(c, {"KV.PUT", "k", "v", "PX", "0"}) ==
        Err("ERR invalid expire time in 'kv.put' command"));
  CHECK(h.Cmd(c, {"KV.CREATE", "k", "v", "FOO", "1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.CREATE", "k", "v", "IFREV", "1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.DEL", "k", "IFREV"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.DEL", "k", "FOO", "1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.PURGE", "k", "IFREV", "no"}) == bad_rev);
  CHECK(h.Cmd(c, {"KV.GET", "k", "FOO", "1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.GET", "k", "AT"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.COMPACT", "x"}) == bad_rev);
  CHECK(h.Cmd(c, {"KV.INFO", "a", "b"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"DBSIZE"}) == Int(0));  // nothing was written by the failed commands
}

TEST_CASE("KV.GET AT and KV.MGET AT read one point in time", "[redis][kv]") {
  RedisConfig cfg;
  cfg.bucket_defaults.history = 5;
  RedisHarness h(cfg);
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "a", "a1"});  // 1
  h.Cmd(c, {"SET", "b", "b1"});  // 2
  h.Cmd(c, {"SET", "a", "a2"});  // 3
  h.Cmd(c, {"DEL", "b"});        // 4
  h.Cmd(c, {"SET", "c", "c1"});  // 5
  CHECK(h.Cmd(c, {"KV.GET", "a", "AT", "2"}) == Entry("a1", 1));
  CHECK(h.Cmd(c, {"KV.GET", "a", "at", "3"}) == Entry("a2", 3));
  CHECK(h.Cmd(c, {"KV.GET", "b", "AT", "4"}) == Entry("", 4, "DEL"));
  CHECK(h.Cmd(c, {"KV.GET", "c", "AT", "4"}) == kNullArr);  // did not exist yet
  CHECK(h.Cmd(c, {"KV.GET", "a", "AT", "6"}) == Err("ERR revision 6 is after the last revision 5"));
  CHECK(h.Cmd(c, {"KV.MGET", "AT", "2", "a", "b", "c"}) ==
        Arr(3) + Entry("a1", 1) + Entry("b1", 2) + kNullArr);
  CHECK(h.Cmd(c, {"KV.MGET", "AT", "4", "a", "b", "c"}) ==
        Arr(3) + Entry("a2", 3) + Entry("", 4, "DEL") + kNullArr);
  CHECK(h.Cmd(c, {"KV.MGET", "a", "c", "zz"}) ==
        Arr(3) + Entry("a2", 3) + Entry("c1", 5) + kNullArr);
  CHECK(h.Cmd(c, {"KV.MGET", "AT", "x", "a"}) == Err("ERR revision is not a non-negative integer"));
  // Once history is compacted the answer is gone, and the reply says so instead of guessing.
  CHECK(h.Cmd(c, {"KV.COMPACT", "4"}) == Int(3));  // a@1, b@2 and b's tombstone
  CHECK(h.Cmd(c, {"KV.GET", "a", "AT", "2"}).substr(0, 16) == "-CURSOREXPIRED 4");
  CHECK(h.Cmd(c, {"KV.MGET", "AT", "2", "c", "a"}).substr(0, 16) == "-CURSOREXPIRED 4");
  CHECK(h.Cmd(c, {"KV.MGET", "AT", "5", "c", "a"}) == Arr(2) + Entry("c1", 5) + Entry("a2", 3));
}

TEST_CASE("KV.HISTORY KV.PURGE KV.COMPACT", "[redis][kv]") {
  RedisConfig cfg;
  cfg.bucket_defaults.history = 5;
  RedisHarness h(cfg);
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "k", "a"});
  h.Cmd(c, {"SET", "k", "b"});
  h.Cmd(c, {"DEL", "k"});
  h.Cmd(c, {"SET", "k", "c"});
  CHECK(h.Cmd(c, {"KV.HISTORY", "k"}) ==
        Arr(4) + Entry("a", 1) + Entry("b", 2) + Entry("", 3, "DEL") + Entry("c", 4));
  CHECK(h.Cmd(c, {"KV.HISTORY", "none"}) == Arr(0));
  CHECK(h.Cmd(c, {"KV.COMPACT", "2"}) == Int(2));
  CHECK(h.Cmd(c, {"KV.HISTORY", "k"}) == Arr(2) + Entry("", 3, "DEL") + Entry("c", 4));
  CHECK(h.Cmd(c, {"KV.PURGE", "k", "IFREV", "3"}) ==
        Err("WRONGREVISION 4 the key is at revision 4"));
  CHECK(h.Cmd(c, {"KV.PURGE", "k", "IFREV", "4"}) == Int(5));
  CHECK(h.Cmd(c, {"KV.HISTORY", "k"}) == Arr(1) + Entry("", 5, "PURGE"));
  CHECK(h.Cmd(c, {"GET", "k"}) == kNil);
  CHECK(h.Cmd(c, {"KV.PURGE", "other"}) == Int(6));  // a marker even for an absent key (NATS)
}

TEST_CASE("KV.INFO KV.BUCKETS KV.USE", "[redis][kv]") {
  RedisConfig cfg;
  cfg.db_buckets[1] = "app";
  RedisHarness h(cfg);
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "k", "v"});
  h.Cmd(c, {"SET", "k", "w", "PX", "5000"});
  std::string info = h.Cmd(c, {"KV.INFO"});
  CHECK(info.substr(0, 4) == "*34\r");  // 17 pairs, flat in RESP2
  CHECK(info.find(Bulk("bucket") + Bulk("db0") + Bulk("database") + Int(0) + Bulk("revision") +
                  Int(2)) != std::string::npos);
  CHECK(info.find(Bulk("live_keys") + Int(1) + Bulk("keys_with_ttl") + Int(1)) !=
        std::string::npos);
  CHECK(info.find(Bulk("tombstone_ttl_ms") + Int(60000)) != std::string::npos);
  CHECK(h.Cmd(c, {"KV.INFO", "nope"}) == Err("ERR no such bucket 'nope'"));
  // A database's bucket is created on first use, as SELECT + a write would.
  CHECK(h.Cmd(c, {"KV.INFO", "app"}).find(Bulk("database") + Int(1)) != std::string::npos);
  REQUIRE(h.engine().CreateBucket("cfg", engine::BucketConfig{}).ok());
  CHECK(h.Cmd(c, {"KV.BUCKETS"}) == Arr(3) + Bulk("app") + Bulk("cfg") + Bulk("db0"));
  h.Cmd(c, {"HELLO", "3"});
  CHECK(h.Cmd(c, {"KV.INFO", "cfg"}).substr(0, 5) == "%17\r\n");
  // KV.USE of a database's bucket is SELECT; of another bucket, commands work on it.
  CHECK(h.Cmd(c, {"KV.USE", "app"}) == kOk);
  CHECK(h.Cmd(c, {"CLIENT", "INFO"}).find(" db=1 ") != std::string::npos);
  CHECK(h.Cmd(c, {"KV.USE", "cfg"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "color", "blue"}) == kOk);
  CHECK(h.engine().FindBucket("cfg")->Get("color")->value == "blue");
  CHECK(h.Cmd(c, {"KV.GET", "color"}) == Arr(3) + Bulk("blue") + Int(1) + Simple("PUT"));
  CHECK(h.Cmd(c, {"KV.INFO"}).find(Bulk("cfg")) != std::string::npos);
  CHECK(h.Cmd(c, {"KV.USE", "nope"}) == Err("ERR no such bucket 'nope'"));
  CHECK(h.Cmd(c, {"SELECT", "0"}) == kOk);  // SELECT leaves the KV.USE bucket
  CHECK(h.Cmd(c, {"GET", "color"}) == kNull3);
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("w"));
  // The bucket disappearing under a KV.USE connection is an error, not a crash.
  CHECK(h.Cmd(c, {"KV.USE", "cfg"}) == kOk);
  REQUIRE(h.engine().DeleteBucket("cfg").ok());
  CHECK(h.Cmd(c, {"GET", "color"}).substr(0, 5) == "-ERR ");
  CHECK(h.Cmd(c, {"RESET"}) == Simple("RESET"));
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("w"));
}

TEST_CASE("WATCH on a KV.USE bucket sees writes from elsewhere", "[redis][kv]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& other = h.Connect();
  engine::Bucket* cfg = *h.engine().CreateBucket("cfg", engine::BucketConfig{});
  h.Cmd(c, {"KV.USE", "cfg"});
  h.Cmd(other, {"KV.USE", "cfg"});
  CHECK(h.Cmd(c, {"WATCH", "x"}) == kOk);
  (void)cfg->Put("x", "from-nats", {});
  h.Cmd(c, {"MULTI"});
  h.Cmd(c, {"SET", "x", "mine"});
  CHECK(h.Cmd(c, {"EXEC"}) == "*-1\r\n");
  CHECK(h.Cmd(c, {"WATCH", "x"}) == kOk);
  h.Cmd(c, {"MULTI"});
  h.Cmd(c, {"SET", "x", "mine"});
  CHECK(h.Cmd(c, {"EXEC"}) == Arr(1) + kOk);
  CHECK(h.Cmd(other, {"GET", "x"}) == Bulk("mine"));
}

}  // namespace
}  // namespace kvgate::redis::testing

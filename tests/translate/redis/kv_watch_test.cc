// KV.WATCH: snapshot / replay / resume, glob patterns, options, frames in RESP2 and RESP3,
// back-pressure and the failure frames.
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string Ev(std::string_view key, std::string_view op, int64_t rev, std::string_view value,
               char type = '*') {
  return std::string(1, type) + "5\r\n" + Bulk("kv") + Bulk(key) + Bulk(op) + Int(rev) +
         Bulk(value);
}
std::string Synced(int64_t rev, char type = '*') {
  return std::string(1, type) + "2\r\n" + Bulk("kv-synced") + Int(rev);
}

TEST_CASE("KV.WATCH streams the initial state, an end frame, then live changes",
          "[redis][kvwatch]") {
  RedisHarness h;
  auto& w = h.Connect();
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "user:1", "a"});
  h.Cmd(c, {"SET", "other", "x"});
  h.Cmd(c, {"SET", "order:7", "o"});
  // The harness runs the front's pending work after each request, as the gateway's loop does.
  CHECK(h.Cmd(w, {"KV.WATCH", "user:*", "order:?"}) ==
        kOk + Ev("user:1", "PUT", 1, "a") + Ev("order:7", "PUT", 3, "o") + Synced(3));
  h.Cmd(c, {"SET", "user:2", "b"});
  h.Cmd(c, {"SET", "other", "y"});
  h.Cmd(c, {"SET", "order:77", "no"});  // order:? is one character
  h.Cmd(c, {"DEL", "user:1"});
  h.front().RunPending();
  CHECK(h.Take(w) == Ev("user:2", "PUT", 4, "b") + Ev("user:1", "DEL", 7, ""));
  // RESP2 push mode restricts commands like subscribed mode does.
  CHECK(h.Cmd(w, {"GET", "x"}).substr(0, 22) == "-ERR Can't execute 'ge");
  CHECK(h.Cmd(w, {"KV.UNWATCH"}) == kOk);
  CHECK(h.Cmd(w, {"GET", "other"}) == Bulk("y"));
}

TEST_CASE("KV.WATCH patterns: every key, exact keys, escaped globs", "[redis][kvwatch]") {
  RedisHarness h;
  auto& w = h.Connect();
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "a*", "star"});
  h.Cmd(c, {"SET", "ab", "b"});
  CHECK(h.Cmd(w, {"KV.WATCH", "a\\*"}) == kOk + Ev("a*", "PUT", 1, "star") + Synced(2));
  h.Cmd(w, {"KV.UNWATCH"});
  CHECK(h.Cmd(w, {"KV.WATCH", "ab", "zz"}) == kOk + Ev("ab", "PUT", 2, "b") + Synced(2));
  h.Cmd(w, {"KV.UNWATCH"});
  CHECK(h.Cmd(w, {"KV.WATCH", "zz", "*"}) ==
        kOk + Ev("a*", "PUT", 1, "star") + Ev("ab", "PUT", 2, "b") + Synced(2));
}

TEST_CASE("KV.WATCH AFTER resumes with the delta only, FROM replays, CURSOREXPIRED",
          "[redis][kvwatch]") {
  RedisHarness h;
  auto& w = h.Connect();
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "a", "1"});
  h.Cmd(c, {"SET", "b", "2"});
  h.Cmd(c, {"SET", "a", "3"});
  h.Cmd(w, {"HELLO", "3"});
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "AFTER", "2"}) ==
        kOk + Ev("a", "PUT", 3, "3", '>') + Synced(3, '>'));
  CHECK(h.Cmd(w, {"GET", "b"}) == Bulk("2"));  // RESP3: commands keep working
  CHECK(h.Cmd(w, {"KV.UNWATCH"}) == kOk);
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "FROM", "2"}) ==
        kOk + Ev("b", "PUT", 2, "2", '>') + Ev("a", "PUT", 3, "3", '>') + Synced(3, '>'));
  CHECK(h.Cmd(w, {"KV.UNWATCH"}) == kOk);
  h.Cmd(c, {"DEL", "a"});         // 4
  h.Cmd(c, {"KV.COMPACT", "4"});  // the tombstone, a's last trace, is gone: watermark 4
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "AFTER", "1"}) ==
        Err("CURSOREXPIRED 4 history up to revision 4 has been compacted; read the current "
            "values and watch from there"));
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "AFTER", "4"}) == kOk + Synced(4, '>'));
  h.Cmd(w, {"KV.UNWATCH"});
  // FROM never fails: it replays what is retained.
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "FROM", "1"}) ==
        kOk + Ev("b", "PUT", 2, "2", '>') + Synced(4, '>'));
}

TEST_CASE("KV.WATCH options: HISTORY IGNOREDELETES METAONLY NEW", "[redis][kvwatch]") {
  RedisConfig cfg;
  cfg.bucket_defaults.history = 5;
  RedisHarness h(cfg);
  auto& w = h.Connect();
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "k", "v1"});
  h.Cmd(c, {"SET", "k", "v2"});
  h.Cmd(c, {"SET", "gone", "x"});
  h.Cmd(c, {"DEL", "gone"});
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "HISTORY"}) ==
        kOk + Ev("k", "PUT", 1, "v1") + Ev("k", "PUT", 2, "v2") + Ev("gone", "PUT", 3, "x") +
            Ev("gone", "DEL", 4, "") + Synced(4));
  h.Cmd(w, {"KV.UNWATCH"});
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "IGNOREDELETES"}) == kOk + Ev("k", "PUT", 2, "v2") + Synced(4));
  h.Cmd(c, {"DEL", "k"});
  h.Cmd(c, {"SET", "n", "new"});
  h.front().RunPending();
  CHECK(h.Take(w) == Ev("n", "PUT", 6, "new"));
  h.Cmd(w, {"KV.UNWATCH"});
  CHECK(h.Cmd(w, {"KV.WATCH", "n", "METAONLY"}) ==
        kOk + "*5\r\n" + Bulk("kv") + Bulk("n") + Bulk("PUT") + Int(6) + kNil + Synced(6));
  h.Cmd(w, {"KV.UNWATCH"});
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "NEW"}) == kOk + Synced(6));
  h.Cmd(c, {"SET", "n", "newer"});
  h.front().RunPending();
  CHECK(h.Take(w) == Ev("n", "PUT", 7, "newer"));
}

TEST_CASE("KV.WATCH errors", "[redis][kvwatch]") {
  RedisHarness h;
  auto& w = h.Connect();
  const std::string need = Err("ERR KV.WATCH needs at least one key pattern ('*' for every key)");
  CHECK(h.Cmd(w, {"KV.WATCH", "FROM", "1"}) == need);
  CHECK(h.Cmd(w, {"KV.WATCH"}) == Err("ERR wrong number of arguments for 'kv.watch' command"));
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "AFTER", "x"}) ==
        Err("ERR revision is not a non-negative integer"));
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "AFTER"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "FROM", "1", "AFTER", "1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "FROM", "1", "HISTORY"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "NEW", "BOGUS"}) == Err("ERR syntax error"));
  h.Cmd(w, {"HELLO", "3"});
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "NEW"}) == kOk + Synced(0, '>'));
  CHECK(h.Cmd(w, {"KV.WATCH", "*"}) == Err("ERR a KV.WATCH is already active; KV.UNWATCH first"));
}

TEST_CASE("KV.WATCH sees writes made outside Redis and expiry as PURGE", "[redis][kvwatch]") {
  RedisHarness h;
  auto& w = h.Connect();
  auto& c = h.Connect();
  engine::Bucket* cfg = *h.engine().CreateBucket("cfg", engine::BucketConfig{});
  h.Cmd(w, {"KV.USE", "cfg"});
  CHECK(h.Cmd(w, {"KV.WATCH", "*"}) == kOk + Synced(0));
  (void)cfg->Put("color", "blue", {});
  h.front().RunPending();
  CHECK(h.Take(w) == Ev("color", "PUT", 1, "blue"));
  auto& x = h.Connect();
  h.Cmd(x, {"SET", "t", "v", "PX", "10"});
  h.Cmd(c, {"KV.WATCH", "t"});
  h.Take(c);
  h.clock().AdvanceMs(20);
  while (h.engine().Tick()) {
  }
  h.front().RunPending();
  CHECK(h.Take(c) == Ev("t", "PURGE", 2, ""));
  // A deleted bucket ends the stream with a reason.
  REQUIRE(h.engine().DeleteBucket("cfg").ok());
  h.front().RunPending();
  CHECK(h.Take(w) == "*2\r\n" + Bulk("kv-error") + Bulk("BUCKETDELETED the bucket was deleted"));
}

TEST_CASE("KV.WATCH pauses on output backlog and ends with SLOWCONSUMER on overflow",
          "[redis][kvwatch]") {
  RedisHarness h;
  engine::Engine::Limits limits = h.engine().limits();
  limits.watch_queue = 16;
  h.engine().SetLimits(limits);
  auto& w = h.Connect();
  auto& c = h.Connect();
  CHECK(h.Cmd(w, {"KV.WATCH", "*", "NEW"}) == kOk + Synced(0));
  w.transport->extra_pending = 64 << 20;  // the client stopped reading
  for (int i = 0; i < 10; ++i) h.Cmd(c, {"SET", "k" + std::to_string(i), "v"});
  CHECK(h.Take(w).empty());  // paused, nothing lost yet
  w.transport->extra_pending = 0;
  w.session->OnDrained();
  h.front().RunPending();
  std::string ten = h.Take(w);
  CHECK(ten.find(Ev("k0", "PUT", 1, "v")) == 0);
  CHECK(ten.find(Ev("k9", "PUT", 10, "v")) != std::string::npos);
  w.transport->extra_pending = 64 << 20;
  for (int i = 0; i < 40; ++i) h.Cmd(c, {"SET", "x" + std::to_string(i), "v"});
  w.transport->extra_pending = 0;
  h.front().Tick();  // resumes even without OnDrained
  h.front().RunPending();
  std::string out = h.Take(w);
  CHECK(out.find(Bulk("kv-error")) != std::string::npos);
  CHECK(out.find("SLOWCONSUMER 10 the watch fell behind; resume with AFTER 10") !=
        std::string::npos);
  CHECK(h.Cmd(w, {"GET", "x0"}) == Bulk("v"));  // the watch ended: back to normal mode
  // Resuming from the cursor delivers exactly what was missed.
  std::string resumed = h.Cmd(w, {"KV.WATCH", "*", "AFTER", "10"});
  CHECK(resumed.find(Ev("x0", "PUT", 11, "v")) == kOk.size());
  CHECK(resumed.find(Ev("x39", "PUT", 50, "v") + Synced(50)) != std::string::npos);
}

}  // namespace
}  // namespace kvgate::redis::testing

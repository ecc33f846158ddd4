// KV.* revision-aware extensions and KV.WATCH streaming.
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

TEST_CASE("KV.GET KV.CREATE KV.CAS KV.DEL with revisions", "[redis]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"KV.CREATE", "k", "v1"}) == Int(1));
  CHECK(h.Cmd(c, {"KV.CREATE", "k", "again"}) == Err("EXISTS the key exists at revision 1"));
  CHECK(h.Cmd(c, {"KV.GET", "k"}) == Arr(2) + Bulk("v1") + Int(1));
  CHECK(h.Cmd(c, {"KV.CAS", "k", "v2", "1"}) == Int(2));
  CHECK(h.Cmd(c, {"KV.CAS", "k", "v3", "1"}) == Err("WRONGREVISION the key is at revision 2"));
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("v2"));
  CHECK(h.Cmd(c, {"SET", "k", "v3"}) == kOk);  // plain Redis writes take revisions too
  CHECK(h.Cmd(c, {"KV.GET", "k"}) == Arr(2) + Bulk("v3") + Int(3));
  CHECK(h.Cmd(c, {"KV.DEL", "k", "2"}) == Err("WRONGREVISION the key is at revision 3"));
  CHECK(h.Cmd(c, {"KV.DEL", "k", "3"}) == Int(4));
  CHECK(h.Cmd(c, {"KV.GET", "k"}) == "*-1\r\n");
  CHECK(h.Cmd(c, {"KV.DEL", "k"}) == Int(0));
  CHECK(h.Cmd(c, {"KV.CREATE", "k", "back"}) == Int(5));  // allowed over a tombstone
  CHECK(h.Cmd(c, {"KV.CREATE", "t", "v", "PX", "100"}) == Int(6));
  CHECK(h.Cmd(c, {"PTTL", "t"}) == Int(100));
  CHECK(h.Cmd(c, {"KV.CAS", "k", "v", "abc"}) == Err("ERR revision is not a non-negative integer"));
  CHECK(h.Cmd(c, {"KV.CREATE", "k", "v", "FOO", "1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.GET", "k", "FOO", "1"}) == Err("ERR syntax error"));
  CHECK(h.Cmd(c, {"KV.REVISION"}) == Arr(2) + Int(6) + Int(0));
}

TEST_CASE("KV.HISTORY KV.GET REVISION KV.PURGE KV.COMPACT", "[redis]") {
  RedisConfig cfg;
  cfg.bucket_defaults.history = 5;
  RedisHarness h(cfg);
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "k", "a"});
  h.Cmd(c, {"SET", "k", "b"});
  h.Cmd(c, {"DEL", "k"});
  h.Cmd(c, {"SET", "k", "c"});
  CHECK(h.Cmd(c, {"KV.HISTORY", "k"}) == Arr(4) + Arr(3) + Int(1) + Simple("PUT") + Bulk("a") +
                                             Arr(3) + Int(2) + Simple("PUT") + Bulk("b") + Arr(3) +
                                             Int(3) + Simple("DEL") + Bulk("") + Arr(3) + Int(4) +
                                             Simple("PUT") + Bulk("c"));
  CHECK(h.Cmd(c, {"KV.GET", "k", "REVISION", "1"}) == Arr(2) + Bulk("a") + Int(1));
  CHECK(h.Cmd(c, {"KV.GET", "k", "REVISION", "3"}) == "*-1\r\n");
  CHECK(h.Cmd(c, {"KV.COMPACT", "2"}) == Int(2));
  CHECK(h.Cmd(c, {"KV.GET", "k", "REVISION", "1"}) == "*-1\r\n");
  CHECK(h.Cmd(c, {"KV.PURGE", "k"}) == Int(5));
  CHECK(h.Cmd(c, {"KV.HISTORY", "k"}) == Arr(1) + Arr(3) + Int(5) + Simple("PURGE") + Bulk(""));
  CHECK(h.Cmd(c, {"GET", "k"}) == kNil);
}

TEST_CASE("KV.WATCH streams the initial state then live changes", "[redis]") {
  RedisHarness h;
  auto& w = h.Connect();
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "user:1", "a"});
  h.Cmd(c, {"SET", "other", "x"});
  // The harness runs the front's pending work after each request, as the gateway's loop does.
  CHECK(h.Cmd(w, {"KV.WATCH", "MATCH", "user:*"}) == kOk + Ev("user:1", "PUT", 1, "a") + Synced(2));
  h.Cmd(c, {"SET", "user:2", "b"});
  h.Cmd(c, {"SET", "other", "y"});
  h.Cmd(c, {"DEL", "user:1"});
  h.front().RunPending();
  CHECK(h.Take(w) == Ev("user:2", "PUT", 3, "b") + Ev("user:1", "DEL", 5, ""));
  // RESP2 push mode restricts commands like subscribed mode does.
  CHECK(h.Cmd(w, {"GET", "x"}).substr(0, 22) == "-ERR Can't execute 'ge");
  CHECK(h.Cmd(w, {"KV.UNWATCH"}) == kOk);
  CHECK(h.Cmd(w, {"GET", "other"}) == Bulk("y"));
}

TEST_CASE("KV.WATCH AFTER resumes from a cursor or reports CURSOREXPIRED", "[redis]") {
  RedisHarness h;
  auto& w = h.Connect();
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "a", "1"});
  h.Cmd(c, {"SET", "b", "2"});
  h.Cmd(c, {"SET", "a", "3"});
  h.Cmd(w, {"HELLO", "3"});
  CHECK(h.Cmd(w, {"KV.WATCH", "AFTER", "2"}) == kOk + Ev("a", "PUT", 3, "3", '>') + Synced(3, '>'));
  CHECK(h.Cmd(w, {"GET", "b"}) == Bulk("2"));  // RESP3: commands keep working
  CHECK(h.Cmd(w, {"KV.UNWATCH"}) == kOk);
  h.Cmd(c, {"DEL", "a"});
  h.Cmd(c, {"KV.COMPACT", "4"});
  std::string err = h.Cmd(w, {"KV.WATCH", "AFTER", "1"});
  CHECK(err.substr(0, 14) == "-CURSOREXPIRED");
  CHECK(h.Cmd(w, {"KV.WATCH", "AFTER", "x"}) == Err("ERR revision is not a non-negative integer"));
  CHECK(h.Cmd(w, {"KV.WATCH", "BOGUS"}) == Err("ERR syntax error"));
}

}  // namespace
}  // namespace kvgate::redis::testing

namespace kvgate::redis::testing {
namespace {

TEST_CASE("KV.WATCH pauses on output backlog and ends with SLOWCONSUMER on overflow", "[redis]") {
  RedisHarness h;
  engine::Engine::Limits limits = h.engine().limits();
  limits.watch_queue = 16;
  h.engine().SetLimits(limits);
  auto& w = h.Connect();
  auto& c = h.Connect();
  CHECK(h.Cmd(w, {"KV.WATCH", "NEW"}) == kOk + Synced(0));
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
  CHECK(out.find("SLOWCONSUMER the watch fell behind; resume with AFTER 10") != std::string::npos);
  CHECK(h.Cmd(w, {"GET", "x0"}) == Bulk("v"));  // the watch ended: back to normal mode
}

}  // namespace
}  // namespace kvgate::redis::testing

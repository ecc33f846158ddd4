// File: tests/engine/watch_filter_test.cc
// Contract cases for watch filters and options: token wildcards, several filters as one union
// stream (each entry once), prefix filters, ignore deletes, metadata only, and the bounded
// live queue (slow consumers are cut off, memory stays bounded).
//
//   WatchOptions o; o.filters = {KeyFilter::Tokens("a.*"), KeyFilter::Tokens("*.b")};
//   auto w = be.StartWatch(o);   // "a.b" is delivered once
//   Backend::Drain(**w);
#include <catch2/catch.hpp>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

WatchOptions Filtered(std::vector<KeyFilter> filters,
                      WatchStart start = WatchStart::kLatestPerKey) {
  WatchOptions o;
  o.start = start;
  o.filters = std::move(filters);
  return o;
}

std::vector<std::string> Keys(const std::vector<Event>& evs) {
  std::vector<std::string> out;
  for (const Event& e : EntriesOf(evs)) out.push_back(e.key);
  return out;
}

TEST_CASE("token filters: '*' is one token, '>' is one or more", "[engine]") {
  Backend be;
  for (const char* k : {"a", "a.b", "a.b.c", "a.x.c", "b.b", "a.b.c.d", "ab.b"}) be.Put(k, "v");
  auto keys_for = [&](const char* pattern, WatchStart start) {
    auto w = be.StartWatch(Filtered({KeyFilter::Tokens(pattern)}, start));
    REQUIRE(w.ok());
    return Keys(Backend::Drain(**w));
  };
  using V = std::vector<std::string>;
  for (WatchStart start : {WatchStart::kLatestPerKey, WatchStart::kAllHistory}) {
    CHECK(keys_for("a.*", start) == V{"a.b"});
    CHECK(keys_for("a.>", start) == V{"a.b", "a.b.c", "a.x.c", "a.b.c.d"});
    CHECK(keys_for("*.b", start) == V{"a.b", "b.b", "ab.b"});
    CHECK(keys_for("a.*.c", start) == V{"a.b.c", "a.x.c"});
    CHECK(keys_for("*.*.>", start) == V{"a.b.c", "a.x.c", "a.b.c.d"});
    CHECK(keys_for(">", start) == V{"a", "a.b", "a.b.c", "a.x.c", "b.b", "a.b.c.d", "ab.b"});
    CHECK(keys_for("a", start) == V{"a"});
  }
  // The same filters for live entries (they go through the watcher index, not a scan).
  auto star = be.StartWatch(Filtered({KeyFilter::Tokens("a.*.c")}, WatchStart::kNewOnly));
  auto gt = be.StartWatch(Filtered({KeyFilter::Tokens("a.>")}, WatchStart::kNewOnly));
  Backend::Drain(**star);
  Backend::Drain(**gt);
  for (const char* k : {"a", "a.q.c", "a.q", "a.q.c.d", "b.q.c"}) be.Put(k, "w");
  CHECK(Keys(Backend::Drain(**star)) == V{"a.q.c"});
  CHECK(Keys(Backend::Drain(**gt)) == V{"a.q.c", "a.q", "a.q.c.d"});
}

TEST_CASE("several filters: their union, each entry delivered once", "[engine]") {
  Backend be;
  be.Put("a.b", "1");
  be.Put("a.c", "1");
  be.Put("x.b", "1");
  be.Put("q", "1");
  WatchOptions o = Filtered({KeyFilter::Tokens("a.*"), KeyFilter::Tokens("*.b"),
                             KeyFilter::Exact("a.b"), KeyFilter::Prefix("a.")});
  auto w = be.StartWatch(o);
  REQUIRE(w.ok());
  CHECK((*w)->Pending() == 3);
  std::vector<Event> evs = Backend::Drain(**w);
  CHECK(Render(evs) == "a.b=1@1(p2,i) a.c=1@2(p1,i) x.b=1@3(p0,i) <done p0> ");
  be.Put("a.b", "2");  // matches all four filters
  be.Put("q", "2");    // matches none
  be.Put("y.b", "2");
  CHECK(Render(Backend::Drain(**w)) == "a.b=2@5(p1) y.b=2@7(p0) ");

  SECTION("exact keys only (the precomputed initial list), duplicates included") {
    auto e = be.StartWatch(Filtered({KeyFilter::Exact("q"), KeyFilter::Exact("a.c"),
                                     KeyFilter::Exact("q"), KeyFilter::Exact("none")}));
    CHECK((*e)->Pending() == 2);
    CHECK(Render(Backend::Drain(**e)) == "a.c=1@2(p1,i) q=2@6(p0,i) <done p0> ");
    be.Put("q", "3");
    CHECK(Render(Backend::Drain(**e)) == "q=3@8(p0) ");
  }
}

TEST_CASE("ignore deletes, metadata only, include history", "[engine]") {
  BucketConfig c;
  c.history = 4;
  Backend be(c);
  SyncBucket* b = be.bucket();
  be.Put("a", "1");
  be.Put("a", "22");
  REQUIRE(b->Delete("d", {}).ok());
  REQUIRE(b->Purge("p", {}).ok());
  SECTION("ignore deletes") {
    WatchOptions o;
    o.ignore_deletes = true;
    auto w = be.StartWatch(o);
    CHECK((*w)->Pending() == 1);
    CHECK(Render(Backend::Drain(**w)) == "a=22@2(p0,i) <done p0> ");
    REQUIRE(b->Delete("a", {}).ok());
    be.Put("z", "1");
    CHECK(Render(Backend::Drain(**w)) == "z=1@6(p0) ");
  }
  SECTION("metadata only keeps the size, drops the bytes") {
    WatchOptions o;
    o.meta_only = true;
    o.filters = {KeyFilter::Exact("a")};
    auto w = be.StartWatch(o);
    std::vector<Event> evs = EntriesOf(Backend::Drain(**w));
    REQUIRE(evs.size() == 1);
    CHECK(evs[0].value.empty());
    CHECK(evs[0].value_size == 2);
  }
  SECTION("include history") {
    WatchOptions o;
    o.include_history = true;
    auto w = be.StartWatch(o);
    CHECK((*w)->Pending() == 4);
    CHECK(Render(Backend::Drain(**w)) ==
          "a=1@1(p3,i) a=22@2(p2,i) d!DEL@3(p1,i) p!PURGE@4(p0,i) <done p0> ");
  }
}

TEST_CASE("writes during the initial part: superseded entries skipped, pending ends at 0",
          "[engine]") {
  Backend be;
  for (int i = 0; i < 10; ++i) be.Put("k" + std::to_string(i), "v");
  auto w = be.StartWatch(WatchOptions{});
  CHECK((*w)->Pending() == 10);
  CHECK(Backend::Drain(**w, 3).size() == 3);
  be.Put("k5", "new");  // k5's snapshot entry is superseded: delivered live instead
  be.Put("k20", "new");
  std::vector<Event> rest = Backend::Drain(**w);
  std::vector<Event> initial;
  for (const Event& e : rest) {
    if (e.initial) initial.push_back(e);
  }
  REQUIRE(initial.size() == 6);  // k3..k9 without k5
  for (const Event& e : initial) CHECK(e.key != "k5");
  // The last initial entry knows the live queue holds 2 more; then done, then live.
  CHECK(initial.back().pending == 2);
  std::string tail = Render({rest.end() - 3, rest.end()});
  CHECK(tail == "<done p2> k5=new@11(p1) k20=new@12(p0) ");
}

TEST_CASE("a slow watcher is cut off and memory stays bounded", "[engine][memory]") {
  Backend be;
  WatchOptions o;
  o.start = WatchStart::kNewOnly;
  o.max_queue = 100;
  auto w = be.StartWatch(o);
  Backend::Drain(**w);
  std::string value(1000, 'v');
  for (int i = 0; i < 100; ++i) be.Put("k", value);
  CHECK((*w)->State() == Errc::kOk);
  CHECK((*w)->Pending() == 100);
  uint64_t mem_at_bound = be.engine().MemoryUsed();
  be.Put("k", value);  // 101st: over the bound
  CHECK((*w)->State() == Errc::kSlowConsumer);
  CHECK((*w)->Pending() == 0);
  for (int i = 0; i < 10'000; ++i) be.Put("k", value);
  CHECK(be.engine().MemoryUsed() <= mem_at_bound);
  std::vector<Event> evs = Backend::Drain(**w);
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].kind == WatchEvent::Kind::kFailed);
  CHECK(evs[0].error == Errc::kSlowConsumer);
  CHECK((*w)->Position() == 0);
  // It can resume from its position.
  WatchOptions resume;
  resume.start = WatchStart::kFromRevision;
  resume.revision = (*w)->Position() + 1;
  auto again = be.StartWatch(resume);
  REQUIRE(again.ok());
  std::vector<Event> catchup = EntriesOf(Backend::Drain(**again));
  REQUIRE(catchup.size() == 1);  // history 1: only the newest k survives
  CHECK(catchup[0].revision == be.bucket()->LastRevision());
}

TEST_CASE("the default queue bound comes from Engine::Limits", "[engine]") {
  Engine::Limits limits;
  limits.watch_queue = 5;
  Backend be({}, limits);
  WatchOptions o;
  o.start = WatchStart::kNewOnly;
  auto w = be.StartWatch(o);
  for (int i = 0; i < 5; ++i) be.Put("k", "v");
  CHECK((*w)->State() == Errc::kOk);
  be.Put("k", "v");
  CHECK((*w)->State() == Errc::kSlowConsumer);
}

TEST_CASE("deleting the bucket fails its watches; destroyed watches unregister", "[engine]") {
  Backend be;
  be.Put("a", "1");
  auto w = be.StartWatch(WatchOptions{});
  Backend::Drain(**w);
  {
    auto gone = be.StartWatch(WatchOptions{});  // destroyed before any write
  }
  int before = be.sink().notifications;
  REQUIRE(be.DeleteBucket().ok());
  CHECK(be.sink().notifications == before + 1);
  CHECK((*w)->State() == Errc::kBucketNotFound);
  std::vector<Event> evs = Backend::Drain(**w);
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].error == Errc::kBucketNotFound);
  CHECK(be.engine().FindBucket("b") == nullptr);
}

TEST_CASE("10,000 idle exact-key watchers are not woken by writes to other keys", "[engine]") {
  Backend be;
  std::vector<std::unique_ptr<Watch>> watches;
  for (int i = 0; i < 10'000; ++i) {
    WatchOptions o;
    o.start = WatchStart::kNewOnly;
    o.filters = {KeyFilter::Exact("idle." + std::to_string(i))};
    auto w = be.StartWatch(o);
    REQUIRE(w.ok());
    Backend::Drain(**w);
    watches.push_back(std::move(*w));
  }
  for (int i = 0; i < 1000; ++i) be.Put("busy." + std::to_string(i), "v");
  CHECK(be.sink().notifications == 0);
  be.Put("idle.777", "v");
  CHECK(be.sink().notifications == 1);
  CHECK(be.sink().last == watches[777].get());
}

}  // namespace
}  // namespace kvgate::engine::testing

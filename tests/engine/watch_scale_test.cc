// File: tests/engine/watch_scale_test.cc
// Watch behaviour that exists for scale: the incremental initial count of filtered watches
// (WatchOptions::incremental_count: StartWatch never makes a pass over a large bucket in one
// call) and the kFlagWatched hint that lets writes to unwatched keys skip the watcher index
// (exact-key watches must still see every write, whatever the order of watch and key).
//
//   WatchOptions o; o.filters = {KeyFilter::Tokens("a.*")}; o.incremental_count = true;
//   auto w = be.StartWatch(o);
//   while (!(*w)->CountReady()) (*w)->AdvanceCount(1000);   // then Pending() is the count
#include <catch2/catch.hpp>

#include <string>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

WatchOptions Incremental(std::vector<KeyFilter> filters,
                         WatchStart start = WatchStart::kLatestPerKey) {
  WatchOptions o;
  o.start = start;
  o.filters = std::move(filters);
  o.incremental_count = true;
  return o;
}

// 30,000 keys a.N and 30,000 keys b.N (more than StartWatch counts in its first slice).
void Fill(Backend& be, int n = 30'000) {
  for (int i = 0; i < n; ++i) {
    be.Put("a." + std::to_string(i), "v");
    be.Put("b." + std::to_string(i), "v");
  }
}

TEST_CASE("incremental count: a filtered watch on a large bucket counts in slices", "[engine]") {
  Backend be;
  Fill(be);
  auto w = be.StartWatch(Incremental({KeyFilter::Tokens("a.*")}));
  REQUIRE(w.ok());
  CHECK_FALSE((*w)->CountReady());
  int slices = 0;
  while (!(*w)->AdvanceCount(1000)) ++slices;
  CHECK(slices > 10);  // bounded work per call
  CHECK((*w)->CountReady());
  CHECK((*w)->Pending() == 30'000);
  std::vector<Event> evs = Backend::Drain(**w);
  std::vector<Event> entries = EntriesOf(evs);
  REQUIRE(entries.size() == 30'000);
  CHECK(entries.front().key == "a.0");
  CHECK(entries.front().pending == 29'999);
  CHECK(entries.back().pending == 0);
  CHECK(evs.back().is_done());
}

TEST_CASE("incremental count: Poll finishes the count itself and delivers nothing before",
          "[engine]") {
  Backend be;
  Fill(be);
  auto w = be.StartWatch(Incremental({KeyFilter::Tokens("b.>")}));
  REQUIRE(w.ok());
  REQUIRE_FALSE((*w)->CountReady());
  int empty_polls = 0;
  size_t first = 0;
  while (first == 0) {
    first = (*w)->Poll(10, [](const WatchEvent&) {});
    if (first == 0) ++empty_polls;
  }
  CHECK(empty_polls > 0);
  CHECK((*w)->CountReady());
  CHECK((*w)->Pending() == 30'000 - 10);
}

TEST_CASE("incremental count: writes during the count are delivered once, live", "[engine]") {
  Backend be;
  Fill(be);
  auto w = be.StartWatch(Incremental({KeyFilter::Tokens("a.*")}));
  REQUIRE(w.ok());
  REQUIRE_FALSE((*w)->CountReady());
  be.Put("a.0", "new");      // already counted: superseded, its new value comes live
  be.Put("a.29999", "new");  // not yet counted: superseded before the count reached it
  be.Put("a.extra", "x");    // a new key: live only
  while (!(*w)->AdvanceCount(1000)) {
  }
  std::vector<Event> evs = Backend::Drain(**w);
  std::vector<Event> entries = EntriesOf(evs);
  // 29,998 unchanged initial keys, then the three live writes.
  REQUIRE(entries.size() == 29'998 + 3);
  int initial = 0;
  for (const Event& e : entries) initial += e.initial ? 1 : 0;
  CHECK(initial == 29'998);
  CHECK(entries[29'997].pending == 3);  // last initial entry: 0 left + 3 queued live
  CHECK(entries[29'998].key == "a.0");
  CHECK(entries[29'998].value == "new");
  CHECK(entries[29'999].key == "a.29999");
  CHECK(entries[30'000].key == "a.extra");
}

TEST_CASE("incremental count: no match is a zero count; small buckets count at once", "[engine]") {
  Backend be;
  Fill(be);
  auto none = be.StartWatch(Incremental({KeyFilter::Tokens("c.*")}));
  REQUIRE(none.ok());
  while (!(*none)->AdvanceCount(5000)) {
  }
  CHECK((*none)->Pending() == 0);
  std::vector<Event> evs = Backend::Drain(**none);
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].is_done());

  Backend small;
  small.Put("a.1", "v");
  small.Put("b.1", "v");
  auto w = small.StartWatch(Incremental({KeyFilter::Tokens("a.*")}));
  REQUIRE(w.ok());
  CHECK((*w)->CountReady());
  CHECK((*w)->Pending() == 1);
}

TEST_CASE("incremental count: a flush or a deleted bucket ends the count", "[engine]") {
  Backend be;
  Fill(be);
  auto w = be.StartWatch(Incremental({KeyFilter::Tokens("a.*")}));
  REQUIRE(w.ok());
  REQUIRE_FALSE((*w)->CountReady());
  be.bucket()->Flush();
  CHECK((*w)->CountReady());
  std::vector<Event> evs = Backend::Drain(**w);
  REQUIRE_FALSE(evs.empty());
  CHECK(EntriesOf(evs).empty());

  Fill(be);
  auto w3 = be.StartWatch(Incremental({KeyFilter::Tokens("a.*")}));
  REQUIRE(w3.ok());
  REQUIRE_FALSE((*w3)->CountReady());
  REQUIRE(be.DeleteBucket().ok());
  CHECK((*w3)->CountReady());
  CHECK((*w3)->State() == Errc::kBucketNotFound);
}

TEST_CASE("exact-key watches see every write whatever the order of watch and key", "[engine]") {
  Backend be;
  WatchOptions o;
  o.start = WatchStart::kNewOnly;
  be.Put("before", "0");
  o.filters = {KeyFilter::Exact("before")};
  auto w_before = be.StartWatch(o);  // the key exists when the watch starts
  o.filters = {KeyFilter::Exact("later")};
  auto w_later = be.StartWatch(o);  // the key is created afterwards
  REQUIRE(w_before.ok());
  REQUIRE(w_later.ok());
  for (int i = 0; i < 1000; ++i) be.Put("other." + std::to_string(i), "x");
  be.Put("before", "1");
  be.Put("later", "1");
  CHECK(Render(Backend::Drain(**w_before)) == "<done p1> before=1@1002(p0) ");
  CHECK(Render(Backend::Drain(**w_later)) == "<done p1> later=1@1003(p0) ");

  // Removed and re-created while watched: the new node must carry the hint again.
  REQUIRE(be.bucket()->Purge("later", {}).ok());
  (void)Backend::Drain(**w_later);  // delivered before it is removed (else it would be owed)
  REQUIRE(be.bucket()->RemoveTombstones(0) > 0);
  REQUIRE((*w_later)->State() == Errc::kOk);
  be.Put("later", "2");
  std::vector<Event> evs = EntriesOf(Backend::Drain(**w_later));
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].value == "2");

  // Two watches on one key: stopping one keeps the other; stopping both stops delivery.
  o.filters = {KeyFilter::Exact("before")};
  auto second = be.StartWatch(o);
  REQUIRE(second.ok());
  (void)Backend::Drain(**second);
  w_before->reset();
  be.Put("before", "2");
  evs = EntriesOf(Backend::Drain(**second));
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].value == "2");
  second->reset();
  be.Put("before", "3");  // nobody watches: the stale hint is cleared, nothing breaks
  be.Put("before", "4");
  o.filters = {KeyFilter::Exact("before")};
  auto third = be.StartWatch(o);
  REQUIRE(third.ok());
  (void)Backend::Drain(**third);
  be.Put("before", "5");
  evs = EntriesOf(Backend::Drain(**third));
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].value == "5");
}

}  // namespace
}  // namespace kvgate::engine::testing

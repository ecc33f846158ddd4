// File: tests/engine/watch_test.cc
// Contract cases for watches: start modes, filters, the end-of-initial mark, pending counts,
// live delivery, options (DESIGN.md "Watches").
//
//   auto w = be.StartWatch(opts);
//   std::vector<Event> evs = Backend::Drain(**w);
//   CHECK(Render(evs) == "a=1@1(p0,i) <done p0> ");
#include <catch2/catch.hpp>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

WatchOptions Opts(WatchStart start, std::vector<KeyFilter> filters = {}) {
  WatchOptions o;
  o.start = start;
  o.filters = std::move(filters);
  return o;
}

BucketConfig History(uint32_t n) {
  BucketConfig c;
  c.history = n;
  return c;
}

TEST_CASE("latest-per-key: newest entry of each key in revision order, then done", "[engine]") {
  Backend be(History(5));
  SyncBucket* b = be.bucket();
  be.Put("a", "1");                  // 1
  be.Put("b", "1");                  // 2
  be.Put("a", "2");                  // 3
  REQUIRE(b->Delete("c", {}).ok());  // 4
  auto w = be.StartWatch(Opts(WatchStart::kLatestPerKey));
  REQUIRE(w.ok());
  CHECK((*w)->Pending() == 3);
  CHECK((*w)->InInitialPart());
  std::vector<Event> evs = Backend::Drain(**w);
  CHECK(Render(evs) == "b=1@2(p2,i) a=2@3(p1,i) c!DEL@4(p0,i) <done p0> ");
  CHECK_FALSE((*w)->InInitialPart());
  CHECK((*w)->Position() == 4);

  be.Put("d", "x");
  CHECK(be.sink().notifications == 1);
  be.Put("d", "y");
  CHECK(be.sink().notifications == 1);  // edge-triggered until the next Poll
  CHECK((*w)->Pending() == 2);
  evs = Backend::Drain(**w);
  CHECK(Render(evs) == "d=x@5(p1) d=y@6(p0) ");
  CHECK((*w)->Position() == 6);
  be.Put("d", "z");
  CHECK(be.sink().notifications == 2);
}

TEST_CASE("end-of-initial mark is sent for an empty initial part too", "[engine]") {
  Backend be;
  for (WatchStart s : {WatchStart::kLatestPerKey, WatchStart::kAllHistory, WatchStart::kNewOnly,
                       WatchStart::kAfterCursor, WatchStart::kFromRevision}) {
    auto w = be.StartWatch(Opts(s));
    REQUIRE(w.ok());
    CHECK((*w)->Pending() == 0);
    std::vector<Event> evs = Backend::Drain(**w);
    REQUIRE(evs.size() == 1);
    CHECK(evs[0].is_done());
    CHECK(evs[0].pending == 0);
  }
}

TEST_CASE("all history, new only, after cursor, from revision", "[engine]") {
  Backend be(History(3));
  be.Put("a", "1");  // 1
  be.Put("b", "1");  // 2
  be.Put("a", "2");  // 3
  SECTION("all history") {
    auto w = be.StartWatch(Opts(WatchStart::kAllHistory));
    CHECK((*w)->Pending() == 3);
    CHECK(Render(Backend::Drain(**w)) == "a=1@1(p2,i) b=1@2(p1,i) a=2@3(p0,i) <done p0> ");
  }
  SECTION("new only") {
    auto w = be.StartWatch(Opts(WatchStart::kNewOnly));
    CHECK(Render(Backend::Drain(**w)) == "<done p0> ");
    be.Put("c", "1");
    CHECK(Render(Backend::Drain(**w)) == "c=1@4(p0) ");
  }
  SECTION("after cursor: exactly the delta") {
    WatchOptions o = Opts(WatchStart::kAfterCursor);
    o.revision = 1;
    auto w = be.StartWatch(o);
    CHECK((*w)->Pending() == 2);
    CHECK(Render(Backend::Drain(**w)) == "b=1@2(p1,i) a=2@3(p0,i) <done p0> ");
  }
  SECTION("from revision") {
    WatchOptions o = Opts(WatchStart::kFromRevision);
    o.revision = 3;
    auto w = be.StartWatch(o);
    CHECK(Render(Backend::Drain(**w)) == "a=2@3(p0,i) <done p0> ");
  }
  SECTION("include history with latest-per-key") {
    WatchOptions o = Opts(WatchStart::kLatestPerKey, {KeyFilter::Exact("a")});
    o.include_history = true;
    auto w = be.StartWatch(o);
    CHECK(Render(Backend::Drain(**w)) == "a=1@1(p1,i) a=2@3(p0,i) <done p0> ");
  }
}

TEST_CASE("per-key TTL expiry reaches watchers as a Purge marker with reason expired", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  WriteOptions o;
  o.expire_at_ms = be.NowMs() + 1000;
  REQUIRE(b->Put("k", "v", o).ok());
  auto w = be.StartWatch(Opts(WatchStart::kNewOnly));
  Backend::Drain(**w);
  SECTION("active expiry via Tick") {
    be.AdvanceMs(999);
    CHECK(Backend::Drain(**w).empty());
    be.AdvanceMs(1);
  }
  SECTION("lazy expiry on access") {
    be.AdvanceMsNoTick(1000);
    CHECK(b->Get("k").errc() == Errc::kNotFound);
  }
  std::vector<Event> evs = Backend::Drain(**w);
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].key == "k");
  CHECK(evs[0].op == Op::kPurge);
  CHECK(evs[0].reason == MarkerReason::kExpired);
  CHECK(b->GetLatest("k")->reason == MarkerReason::kExpired);
  CHECK(b->LiveKeyCount() == 0);
}

}  // namespace
}  // namespace kvgate::engine::testing

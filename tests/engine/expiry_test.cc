// File: tests/engine/expiry_test.cc
// Contract cases for expiry (DESIGN.md "Expiry"): per-key TTL fired actively (Tick) or lazily
// (on access), expired data never returned by any read, Redis-style expiry changes without a
// revision, bucket max_age (with and without markers) and tombstone_ttl.
//
//   WriteOptions o; o.expire_at_ms = be.NowMs() + 1000;
//   be.bucket()->Put("k", "v", o);
//   be.AdvanceMs(1000);   // Tick appends a Purge marker, reason kExpired
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

WriteOptions Ttl(Backend& be, int64_t ms) {
  WriteOptions o;
  o.expire_at_ms = be.NowMs() + ms;
  return o;
}

TEST_CASE("expired data is never returned, before or after the sweep", "[engine]") {
  BucketConfig c;
  c.history = 3;
  Backend be(c);
  SyncBucket* b = be.bucket();
  REQUIRE(b->Put("old", "v0", {}).ok());
  Result<Revision> r = b->Put("k", "v", Ttl(be, 500));
  REQUIRE(r.ok());
  be.Put("live", "x");
  // Not yet due: everything visible.
  be.AdvanceMsNoTick(499);
  CHECK(be.GetValue("k") == "v");
  be.AdvanceMsNoTick(1);  // exactly at the deadline: expired (expires_at_ms <= now)

  SECTION("Get") {
    CHECK(b->Get("k").errc() == Errc::kNotFound);
  }
  SECTION("GetLatest shows the expiry marker, never the value") {
    Result<EntryView> e = b->GetLatest("k");
    REQUIRE(e.ok());
    CHECK(e->op == Op::kPurge);
    CHECK(e->reason == MarkerReason::kExpired);
    CHECK(e->value.empty());
  }
  SECTION("GetByRevision / GetAt of the expired value") {
    CHECK(b->GetByRevision(*r).errc() == Errc::kNotFound);
    CHECK(b->GetAt("k", *r).errc() == Errc::kNotFound);
  }
  SECTION("Scan") {
    std::vector<std::string> keys = be.ScanAll(1);
    CHECK(std::find(keys.begin(), keys.end(), "k") == keys.end());
    CHECK(keys.size() == 2);
  }
  SECTION("RandomKey") {
    for (int i = 0; i < 200; ++i) {
      Result<EntryView> e = b->RandomKey();
      REQUIRE(e.ok());
      CHECK(e->key != "k");
    }
  }
  SECTION("History") {
    std::vector<EntryView> h = b->History("k");
    REQUIRE(h.size() == 1);
    CHECK(h[0].op == Op::kPurge);
  }
  SECTION("watch snapshot") {
    WatchOptions o;
    auto w = be.StartWatch(o);
    std::vector<Event> evs = EntriesOf(Backend::Drain(**w));
    for (const Event& e : evs) CHECK((e.key != "k" || e.op != Op::kPut));
  }
  SECTION("LiveKeyCount after the sweep") {
    be.RunTicks();
    CHECK(b->LiveKeyCount() == 2);
    CHECK(b->GetStatus().keys_with_ttl == 0);
  }
}

TEST_CASE("every key with a TTL expires through Tick, in bounded slices", "[engine]") {
  Engine::Limits limits;
  limits.tick_budget = 100;
  Backend be({}, limits);
  SyncBucket* b = be.bucket();
  for (int i = 0; i < 1000; ++i) {
    REQUIRE(b->Put("k" + std::to_string(i), "v", Ttl(be, 1000 + i % 10)).ok());
  }
  CHECK(b->GetStatus().keys_with_ttl == 1000);
  be.clock().AdvanceMs(2000);
  int ticks = 0;
  while (be.engine().Tick()) ++ticks;
  CHECK(ticks >= 9);  // 1000 expiries at 100 per Tick
  CHECK(b->LiveKeyCount() == 0);
  CHECK(b->GetStatus().keys_with_ttl == 0);
  CHECK(b->GetLatest("k5")->reason == MarkerReason::kExpired);
}

TEST_CASE("overwriting a key replaces its TTL; KEEPTTL carries it", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  REQUIRE(b->Put("k", "v1", Ttl(be, 1000)).ok());
  SECTION("plain overwrite clears the TTL") {
    REQUIRE(b->Put("k", "v2", {}).ok());
    be.AdvanceMs(5000);
    CHECK(be.GetValue("k") == "v2");
    CHECK(b->Get("k")->expires_at_ms == kNoExpiry);
  }
  SECTION("keep_ttl keeps the deadline") {
    WriteOptions keep;
    keep.keep_ttl = true;
    UnixMillis deadline = b->Get("k")->expires_at_ms;
    REQUIRE(b->Put("k", "v2", keep).ok());
    CHECK(b->Get("k")->expires_at_ms == deadline);
    be.AdvanceMs(1000);
    CHECK(be.GetValue("k") == "<absent>");
  }
  SECTION("a new TTL replaces the old one") {
    REQUIRE(b->Put("k", "v2", Ttl(be, 3000)).ok());
    be.AdvanceMs(1500);
    CHECK(be.GetValue("k") == "v2");
    be.AdvanceMs(1500);
    CHECK(be.GetValue("k") == "<absent>");
  }
}

TEST_CASE("SetExpiry changes expiry without a new revision", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  Revision r = be.Put("k", "v");
  REQUIRE(b->SetExpiry("k", be.NowMs() + 1000).ok());
  CHECK(b->LastRevision() == r);
  CHECK(b->Get("k")->revision == r);
  CHECK(b->Get("k")->expires_at_ms == be.NowMs() + 1000);
  CHECK(b->GetStatus().keys_with_ttl == 1);

  SECTION("PERSIST removes it") {
    REQUIRE(b->SetExpiry("k", kNoExpiry).ok());
    be.AdvanceMs(5000);
    CHECK(be.GetValue("k") == "v");
    CHECK(b->GetStatus().keys_with_ttl == 0);
  }
  SECTION("moving the deadline later keeps the key alive until then") {
    REQUIRE(b->SetExpiry("k", be.NowMs() + 3000).ok());
    be.AdvanceMs(2000);
    CHECK(be.GetValue("k") == "v");
    be.AdvanceMs(1000);
    CHECK(be.GetValue("k") == "<absent>");
  }
  SECTION("a deadline in the past expires at once") {
    REQUIRE(b->SetExpiry("k", be.NowMs()).ok());
    CHECK(b->LastRevision() == r + 1);
    CHECK(b->GetLatest("k")->reason == MarkerReason::kExpired);
  }
  SECTION("absent, deleted and expired keys are kNotFound") {
    CHECK(b->SetExpiry("none", be.NowMs() + 10).errc() == Errc::kNotFound);
    REQUIRE(b->Delete("k", {}).ok());
    CHECK(b->SetExpiry("k", be.NowMs() + 10).errc() == Errc::kNotFound);
  }
}

TEST_CASE("per-key TTL refused when the bucket disallows it", "[engine]") {
  BucketConfig c;
  c.allow_key_ttl = false;
  Backend be(c);
  SyncBucket* b = be.bucket();
  CHECK(b->Put("k", "v", Ttl(be, 100)).errc() == Errc::kTtlNotAllowed);
  CHECK(b->Create("k", "v", Ttl(be, 100)).errc() == Errc::kTtlNotAllowed);
  be.Put("k", "v");
  CHECK(b->SetExpiry("k", be.NowMs() + 10).errc() == Errc::kTtlNotAllowed);
  CHECK(b->SetExpiry("k", kNoExpiry).ok());
  CHECK(b->LastRevision() == 1);
}

TEST_CASE("bucket max_age removes old entries; the last value's removal moves the watermark",
          "[engine]") {
  BucketConfig c;
  c.history = 5;
  c.max_age_ns = 10'000'000'000;  // 10 s
  Backend be(c);
  SyncBucket* b = be.bucket();
  be.Put("a", "1");  // 1
  be.AdvanceMs(4000);
  be.Put("a", "2");    // 2
  be.Put("b", "1");    // 3
  be.AdvanceMs(6000);  // entry 1 is 10 s old
  CHECK(b->GetByRevision(1).errc() == Errc::kNotFound);
  CHECK(b->History("a").size() == 1);
  CHECK(b->Watermark() == 0);  // only superseded history went
  CHECK(b->GetStatus().first_revision == 2);

  be.AdvanceMsNoTick(4000);  // everything is 10 s old now; reads must not see it
  CHECK(be.GetValue("a") == "<absent>");
  CHECK(b->GetLatest("b").errc() == Errc::kNotFound);
  be.RunTicks();
  BucketStatus s = b->GetStatus();
  CHECK(s.entries == 0);
  CHECK(s.keys == 0);
  CHECK(s.watermark == 3);
  CHECK(s.first_revision == 4);
}

TEST_CASE("max_age with markers appends a Purge marker with reason max_age", "[engine]") {
  BucketConfig c;
  c.max_age_ns = 1'000'000'000;
  c.marker_on_max_age = true;
  Backend be(c);
  SyncBucket* b = be.bucket();
  be.Put("k", "v");
  WatchOptions o;
  o.start = WatchStart::kNewOnly;
  auto w = be.StartWatch(o);
  Backend::Drain(**w);
  be.AdvanceMs(1000);
  std::vector<Event> evs = Backend::Drain(**w);
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].op == Op::kPurge);
  CHECK(evs[0].reason == MarkerReason::kMaxAge);
  CHECK(b->Watermark() == 0);  // the marker is the key's trace: nothing lost
  be.AdvanceMs(1000);          // the marker itself ages out
  CHECK(b->GetStatus().entries == 0);
  CHECK(b->Watermark() == 2);
}

TEST_CASE("tombstone_ttl drops markers that are a key's only trace", "[engine]") {
  BucketConfig c;
  c.tombstone_ttl_ns = 5'000'000'000;
  Backend be(c);
  SyncBucket* b = be.bucket();
  be.Put("k", "v");                         // 1
  Result<Revision> d = b->Delete("k", {});  // 2
  be.Put("keep", "v");                      // 3
  REQUIRE(d.ok());
  be.AdvanceMs(4999);
  CHECK(b->GetLatest("k").ok());
  be.AdvanceMs(1);
  CHECK(b->GetLatest("k").errc() == Errc::kNotFound);
  BucketStatus s = b->GetStatus();
  CHECK(s.keys == 1);
  CHECK(s.entries == 1);
  CHECK(s.watermark == *d);
  CHECK(be.GetValue("keep") == "v");  // values are never touched by tombstone_ttl
  // A later tombstone is swept too (the sweep resumes where it stopped).
  REQUIRE(b->Purge("keep", {}).ok());
  be.AdvanceMs(5000);
  CHECK(b->GetStatus().keys == 0);
}

TEST_CASE("while expiry is paused nothing expires; reads see expired keys as missing", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  Result<Revision> r = b->Put("k", "v", Ttl(be, 100));
  REQUIRE(r.ok());
  be.Put("live", "x");
  be.store().PauseExpiry(true);
  be.AdvanceMs(200);  // Tick runs: the due deadline stays queued
  CHECK(b->Get("k").errc() == Errc::kNotFound);
  CHECK(b->GetByRevision(*r).errc() == Errc::kNotFound);
  CHECK(be.ScanAll(10) == std::vector<std::string>{"live"});
  for (int i = 0; i < 50; ++i) CHECK(b->RandomKey()->key == "live");
  // No marker was appended and the key still counts (Redis DBSIZE during CLIENT PAUSE).
  BucketStatus s = b->GetStatus();
  CHECK(s.last_revision == *r + 1);
  CHECK(s.live_keys == 2);
  // A write still replaces the expired value.
  REQUIRE(b->Put("k2", "v", Ttl(be, 100)).ok());
  be.AdvanceMs(200);
  REQUIRE(b->Create("k2", "new", {}).ok());
  CHECK(be.GetValue("k2") == "new");
  be.store().PauseExpiry(false);
  be.RunTicks();
  CHECK(b->GetLatest("k")->reason == MarkerReason::kExpired);
  CHECK(b->GetStatus().live_keys == 2);  // live and k2
}

}  // namespace
}  // namespace kvgate::engine::testing

// File: tests/engine/compaction_test.cc
// Contract cases for compaction and cursors (DESIGN.md "Compaction and cursors"): which removals
// move the watermark, CursorExpired on resume, Compact / PurgeEntries / RemoveTombstones / Flush,
// history shrink via UpdateBucket, and watches owed removed entries.
//
//   be.bucket()->RemoveTombstones(0);                   // watermark -> newest removed marker
//   WatchOptions o; o.start = WatchStart::kAfterCursor; o.revision = 1;
//   be.StartWatch(o).errc() == Errc::kCursorExpired;    // if 1 < watermark
#include <catch2/catch.hpp>

#include <map>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

BucketConfig History(uint32_t n) {
  BucketConfig c;
  c.history = n;
  return c;
}

// "k<i>". Built by appending: GCC 12 at -O3 reports a false -Wrestrict overlap in the inlined
// operator+(const char*, std::string&&) (GCC bug 105329).
std::string Key(int i) {
  std::string key = "k";
  key += std::to_string(i);
  return key;
}

WatchOptions After(Revision r) {
  WatchOptions o;
  o.start = WatchStart::kAfterCursor;
  o.revision = r;
  return o;
}

TEST_CASE("CursorExpired after a tombstone is compacted, not after history is trimmed",
          "[engine]") {
  Backend be(History(1));
  SyncBucket* b = be.bucket();
  be.Put("k", "v1");  // 1
  be.Put("k", "v2");  // 2: trims 1
  be.Put("k", "v3");  // 3: trims 2
  CHECK(b->Watermark() == 0);
  auto ok = be.StartWatch(After(1));
  REQUIRE(ok.ok());
  CHECK(Render(Backend::Drain(**ok)) == "k=v3@3(p0,i) <done p0> ");

  Result<Revision> d = b->Delete("x", {});  // 4: a tombstone
  be.Put("y", "1");                         // 5
  CHECK(b->RemoveTombstones(0) == 1);
  CHECK(b->Watermark() == *d);
  auto expired = be.StartWatch(After(3));
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.errc() == Errc::kCursorExpired);
  CHECK(expired.detail() == *d);
  CHECK(be.StartWatch(After(4)).ok());
  // kFromRevision never fails.
  WatchOptions from;
  from.start = WatchStart::kFromRevision;
  from.revision = 1;
  CHECK(be.StartWatch(from).ok());
}

TEST_CASE("resume after a cursor delivers exactly the delta", "[engine]") {
  Backend be(History(2));
  SyncBucket* b = be.bucket();
  // Consumer state built from a full watch, then resumed after a disconnect.
  std::map<std::string, std::string> state;
  auto apply = [&](const std::vector<Event>& evs) {
    for (const Event& e : evs) {
      if (!e.is_entry()) continue;
      if (e.op == Op::kPut) {
        state[e.key] = e.value;
      } else {
        state.erase(e.key);
      }
    }
  };
  for (int i = 0; i < 20; ++i) be.Put(Key(i % 7), std::to_string(i));
  Revision cursor;
  {
    auto w = be.StartWatch(WatchOptions{});
    apply(Backend::Drain(**w));
    cursor = (*w)->Position();
    CHECK(cursor == b->LastRevision());
  }
  REQUIRE(b->Delete("k1", {}).ok());
  be.Put("k2", "new");
  be.Put("k9", "nine");
  REQUIRE(b->Purge("k3", {}).ok());
  auto w = be.StartWatch(After(cursor));
  REQUIRE(w.ok());
  std::vector<Event> delta = Backend::Drain(**w);
  CHECK(Render(delta) ==
        "k1!DEL@21(p3,i) k2=new@22(p2,i) k9=nine@23(p1,i) k3!PURGE@24(p0,i) <done p0> ");
  apply(delta);
  std::map<std::string, std::string> truth;
  b->Scan(0, 1000, KeyFilter::All(),
          [&](const EntryView& e) { truth[std::string(e.key)] = std::string(e.value); });
  CHECK(state == truth);
}

TEST_CASE("Compact removes superseded entries and old tombstoned keys", "[engine]") {
  Backend be(History(10));
  SyncBucket* b = be.bucket();
  be.Put("a", "1");                  // 1
  be.Put("a", "2");                  // 2
  REQUIRE(b->Delete("b", {}).ok());  // 3
  be.Put("a", "3");                  // 4
  REQUIRE(b->Delete("c", {}).ok());  // 5
  CHECK(b->Compact(4) == 3);         // a@1, a@2 (superseded), b@3 (tombstoned key)
  CHECK(b->History("a").size() == 1);
  CHECK(b->GetLatest("b").errc() == Errc::kNotFound);
  CHECK(b->GetLatest("c").ok());  // marker newer than the compaction revision
  CHECK(b->Watermark() == 3);
}

TEST_CASE("PurgeEntries: filter, keep and below", "[engine]") {
  Backend be(History(10));
  SyncBucket* b = be.bucket();
  for (int i = 1; i <= 4; ++i) be.Put("k", std::to_string(i));  // 1..4
  be.Put("j", "1");                                             // 5
  be.Put("o.x", "1");                                           // 6
  SECTION("keep the newest N of one key") {
    CHECK(b->PurgeEntries(KeyFilter::Exact("k"), 1, 0) == 3);
    REQUIRE(b->History("k").size() == 1);
    CHECK(b->History("k")[0].value == "4");
    CHECK(b->Watermark() == 0);  // superseded history only
  }
  SECTION("everything of one key") {
    CHECK(b->PurgeEntries(KeyFilter::Exact("k"), 0, 0) == 4);
    CHECK(b->GetLatest("k").errc() == Errc::kNotFound);
    CHECK(b->Watermark() == 4);
  }
  SECTION("below a revision, all keys") {
    CHECK(b->PurgeEntries(KeyFilter::All(), 0, 5) == 4);
    CHECK(b->GetStatus().first_revision == 5);
  }
  SECTION("token filter") {
    CHECK(b->PurgeEntries(KeyFilter::Tokens("o.*"), 0, 0) == 1);
    CHECK(b->GetStatus().keys == 2);
  }
  SECTION("keep across keys") {
    CHECK(b->PurgeEntries(KeyFilter::All(), 2, 0) == 4);
    CHECK(b->GetStatus().entries == 2);
  }
}

TEST_CASE("Flush empties the bucket and moves the watermark to the last revision",
          "[engine][memory]") {
  Backend be(History(3));
  SyncBucket* b = be.bucket();
  for (int i = 0; i < 1000; ++i) be.Put(Key(i), "v");
  uint64_t mem_before = be.engine().MemoryUsed();
  CHECK(b->Flush() == 1000);
  BucketStatus s = b->GetStatus();
  CHECK(s.entries == 0);
  CHECK(s.keys == 0);
  CHECK(s.live_keys == 0);
  CHECK(s.watermark == 1000);
  CHECK(s.last_revision == 1000);
  CHECK(s.first_revision == 1001);
  CHECK(be.GetValue("k1") == "<absent>");
  CHECK(be.StartWatch(After(999)).errc() == Errc::kCursorExpired);
  CHECK(be.StartWatch(After(1000)).ok());
  be.RunTicks();  // frees the dropped keys in slices
  CHECK(be.engine().MemoryUsed() < mem_before / 4);
  CHECK(be.Put("k1", "again") == 1001);
}

TEST_CASE("history shrink via UpdateBucket trims at once", "[engine]") {
  Backend be(History(10));
  SyncBucket* b = be.bucket();
  for (int i = 0; i < 10; ++i) be.Put("k", std::to_string(i));
  BucketConfig c = History(3);
  REQUIRE(be.UpdateConfig(c).ok());
  std::vector<EntryView> h = b->History("k");
  REQUIRE(h.size() == 3);
  CHECK(h[0].value == "7");
  CHECK(b->GetStatus().entries == 3);
  CHECK(b->Watermark() == 0);
  be.Put("k", "10");
  CHECK(b->History("k").size() == 3);
}

TEST_CASE("big compactions run a bounded slice, then finish through Tick", "[engine]") {
  Backend be(History(4));
  SyncBucket* b = be.bucket();
  constexpr int kN = 60'000;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kN; ++i) be.Put(Key(i), std::to_string(round));
  }
  for (int i = 0; i < kN; i += 2) REQUIRE(b->Delete(Key(i), {}).ok());
  SECTION("RemoveTombstones") {
    b->RemoveTombstones(0);
    CHECK(b->GetStatus().keys > kN / 2);  // not everything in one call
    be.RunTicks();
    BucketStatus s = b->GetStatus();
    CHECK(s.keys == kN / 2);
    CHECK(s.entries == kN);  // two values for each surviving key
    CHECK(b->GetLatest("k0").errc() == Errc::kNotFound);
    CHECK(b->Watermark() == b->LastRevision());  // the newest tombstone was removed
  }
  SECTION("history shrink is exact for readers at once") {
    BucketConfig c;
    c.history = 1;
    REQUIRE(be.UpdateConfig(c).ok());
    CHECK(b->History("k59999").size() == 1);
    CHECK(b->GetByRevision(kN).errc() == Errc::kNotFound);  // k59999's first value
    CHECK(b->GetAt("k59999", kN).errc() == Errc::kNotFound);
    be.RunTicks();
    CHECK(b->GetStatus().entries == static_cast<uint64_t>(kN));
    CHECK(b->Watermark() == 0);
  }
  SECTION("Compact") {
    b->Compact(b->LastRevision());
    be.RunTicks();
    CHECK(b->GetStatus().entries == static_cast<uint64_t>(kN / 2));
  }
}

TEST_CASE("a watch owed a removed last trace fails with CursorExpired", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  be.Put("a", "1");
  REQUIRE(b->Delete("x", {}).ok());  // 2
  SECTION("replay watch, entry still in its initial part") {
    WatchOptions o;
    o.start = WatchStart::kAllHistory;
    auto w = be.StartWatch(o);
    b->RemoveTombstones(0);
    std::vector<Event> evs = Backend::Drain(**w);
    REQUIRE_FALSE(evs.empty());
    CHECK(evs.back().kind == WatchEvent::Kind::kFailed);
    CHECK(evs.back().error == Errc::kCursorExpired);
    CHECK((*w)->State() == Errc::kCursorExpired);
  }
  SECTION("live entry removed before delivery") {
    WatchOptions o;
    o.start = WatchStart::kNewOnly;
    auto w = be.StartWatch(o);
    Backend::Drain(**w);
    REQUIRE(b->Delete("y", {}).ok());
    b->RemoveTombstones(0);
    std::vector<Event> evs = Backend::Drain(**w);
    REQUIRE(evs.size() == 1);
    CHECK(evs[0].error == Errc::kCursorExpired);
  }
  SECTION("latest-per-key snapshot just skips a removed entry") {
    auto w = be.StartWatch(WatchOptions{});
    b->RemoveTombstones(0);
    CHECK(Render(Backend::Drain(**w)) == "a=1@1(p0,i) <done p0> ");
  }
  SECTION("kFromRevision skips (NATS by_start_sequence)") {
    WatchOptions o;
    o.start = WatchStart::kFromRevision;
    o.revision = 1;
    auto w = be.StartWatch(o);
    b->RemoveTombstones(0);
    CHECK(Render(Backend::Drain(**w)) == "a=1@1(p0,i) <done p0> ");
  }
  SECTION("already delivered: nothing owed") {
    WatchOptions o;
    o.start = WatchStart::kAllHistory;
    auto w = be.StartWatch(o);
    Backend::Drain(**w);
    b->RemoveTombstones(0);
    CHECK((*w)->State() == Errc::kOk);
    CHECK_FALSE((*w)->HasEvents());
  }
  SECTION("superseded entries are skipped, never fail the watch") {
    WatchOptions o;
    o.start = WatchStart::kNewOnly;
    auto w = be.StartWatch(o);
    Backend::Drain(**w);
    be.Put("a", "2");  // 3
    be.Put("a", "3");  // 4: history 1, so a@3 is gone before delivery
    CHECK(Render(Backend::Drain(**w)) == "a=3@4(p0) ");
    CHECK((*w)->State() == Errc::kOk);
  }
}

TEST_CASE("Flush fails only watches still owed entries", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  be.Put("a", "1");
  auto caught_up = be.StartWatch(WatchOptions{});
  Backend::Drain(**caught_up);
  auto behind = be.StartWatch(WatchOptions{});
  Backend::Drain(**behind);
  be.Put("b", "1");  // queued for both; only `caught_up` gets it before the flush
  Backend::Drain(**caught_up);
  WatchOptions replay;
  replay.start = WatchStart::kAllHistory;
  auto replaying = be.StartWatch(replay);  // nothing delivered yet: owed a and b
  b->Flush();
  CHECK((*caught_up)->State() == Errc::kOk);
  CHECK((*behind)->State() == Errc::kCursorExpired);
  CHECK((*replaying)->State() == Errc::kCursorExpired);
  std::vector<Event> evs = Backend::Drain(**behind);
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].error == Errc::kCursorExpired);
  be.Put("z", "1");
  CHECK(Render(Backend::Drain(**caught_up)) == "z=1@3(p0) ");
}

}  // namespace
}  // namespace kvgate::engine::testing

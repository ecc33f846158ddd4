// File: tests/engine/listing_test.cc
// Contract cases for listing: SCAN cursors (every key present for the whole iteration is met at
// least once, even with writes interleaved), latest-per-key watches over 100,000 keys,
// RandomKey, and filters on Scan.
//
//   std::vector<std::string> keys = be.ScanAll(100);
//   Revision next = be.bucket()->Scan(0, 10, KeyFilter::Prefix("user:"), fn);
//   Result<EntryView> any = be.bucket()->RandomKey();
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

constexpr int kKeys = 100'000;

std::string Key(int i) {
  return "key:" + std::to_string(i);
}

TEST_CASE("100,000 keys listed completely by Scan with writes interleaved", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  for (int i = 0; i < kKeys; ++i) be.Put(Key(i), "v");
  // Keys 0..49,999 stay put for the whole scan; the rest are rewritten, deleted or re-added
  // while it runs, and new keys appear.
  std::map<std::string, int> seen;
  Revision cursor = 0;
  int step = 0;
  int calls = 0;
  do {
    cursor = b->Scan(cursor, 500, KeyFilter::All(),
                     [&](const EntryView& e) { ++seen[std::string(e.key)]; });
    ++calls;
    for (int j = 0; j < 50; ++j, ++step) {
      int k = 50'000 + (step * 7919) % 50'000;
      switch (step % 3) {
        case 0:
          be.Put(Key(k), "rewritten");
          break;
        case 1:
          REQUIRE(b->Delete(Key(k), {}).ok());
          break;
        case 2:
          be.Put("new:" + std::to_string(step), "n");
          break;
      }
    }
  } while (cursor != 0);
  CHECK(calls > 100);  // really incremental
  for (int i = 0; i < 50'000; ++i) {
    INFO(Key(i));
    REQUIRE(seen.count(Key(i)) == 1);
  }
  // Nothing but live keys, never a tombstone.
  for (const auto& [key, count] : seen) {
    CHECK(count >= 1);
  }
}

TEST_CASE("100,000 keys listed by a latest-per-key watch, each exactly once", "[engine]") {
  Backend be;
  for (int i = 0; i < kKeys; ++i) be.Put(Key(i), "v");
  for (int i = 0; i < kKeys; i += 2) be.Put(Key(i), "v2");  // half have a newer revision
  WatchOptions o;
  o.meta_only = true;
  auto w = be.StartWatch(o);
  REQUIRE(w.ok());
  CHECK((*w)->Pending() == kKeys);
  std::set<std::string> keys;
  uint64_t expected_pending = kKeys;
  Revision last = 0;
  bool ordered = true;
  bool pending_ok = true;
  bool done = false;
  while ((*w)->HasEvents()) {
    (*w)->Poll(1000, [&](const WatchEvent& ev) {
      if (ev.kind == WatchEvent::Kind::kInitialDone) {
        done = true;
        return;
      }
      keys.emplace(ev.entry.key);
      ordered &= ev.entry.revision > last;
      last = ev.entry.revision;
      pending_ok &= ev.pending == --expected_pending;
    });
  }
  CHECK(done);
  CHECK(ordered);
  CHECK(pending_ok);
  CHECK(keys.size() == kKeys);
}

TEST_CASE("Scan with filters and small counts", "[engine]") {
  Backend be;
  be.Put("user:1", "a");
  be.Put("user:2", "a");
  be.Put("order:1", "a");
  be.Put("user.x.y", "a");
  REQUIRE(be.bucket()->Delete("user:3", {}).ok());
  using V = std::vector<std::string>;
  CHECK(be.ScanAll(1, KeyFilter::Prefix("user:")) == V{"user:1", "user:2"});
  CHECK(be.ScanAll(2, KeyFilter::Tokens("user.*.y")) == V{"user.x.y"});
  CHECK(be.ScanAll(1000) == V{"user:1", "user:2", "order:1", "user.x.y"});
  // The cursor is a revision: count bounds the entries examined per call.
  Revision c = be.bucket()->Scan(0, 2, KeyFilter::All(), [](const EntryView&) {});
  CHECK(c == 3);
}

TEST_CASE("RandomKey returns live keys only, spread over the keyspace", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  CHECK(b->RandomKey().errc() == Errc::kNotFound);
  for (int i = 0; i < 100; ++i) be.Put(Key(i), "v");
  for (int i = 0; i < 100; ++i) {
    if (i % 10 != 0) REQUIRE(b->Delete(Key(i), {}).ok());
  }
  std::set<std::string> seen;
  for (int i = 0; i < 500; ++i) {
    Result<EntryView> e = b->RandomKey();
    REQUIRE(e.ok());
    REQUIRE(e->op == Op::kPut);
    seen.emplace(e->key);
  }
  CHECK(seen.size() == 10);
  for (int i = 0; i < 100; i += 10) REQUIRE(b->Delete(Key(i), {}).ok());
  CHECK(b->RandomKey().errc() == Errc::kNotFound);
}

}  // namespace
}  // namespace kvgate::engine::testing

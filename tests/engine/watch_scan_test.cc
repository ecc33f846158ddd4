// File: tests/engine/watch_scan_test.cc
// ScanInitialPart: the initial part of a watch run to a callback without a sink: start modes
// and filters as for a watch, early stop, no live part, errors of StartWatch.
//
//   Status st = ScanInitialPart(be.bucket()->store_bucket(), opts, [&](const EntryView& e) { return true; });
#include <catch2/catch.hpp>
#include <string>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

// "key@rev " for every entry the scan passes, stopping after `limit` entries.
std::string Scan(SyncBucket& b, const WatchOptions& o, size_t limit = SIZE_MAX,
                 Status* st = nullptr) {
  std::string out;
  size_t seen = 0;
  Status s = ScanInitialPart(b.store_bucket(), o, [&](const EntryView& e) {
    out += std::string(e.key) + "@" + std::to_string(e.revision) + " ";
    return ++seen < limit;
  });
  if (st != nullptr) *st = s;
  return out;
}

TEST_CASE("scan initial part: latest per key and all history, filtered", "[engine][watch]") {
  BucketConfig config;
  config.history = 5;
  Backend be(config);
  SyncBucket& b = *be.bucket();
  be.Put("a.x", "1");                 // 1
  be.Put("b.x", "1");                 // 2
  be.Put("a.x", "2");                 // 3
  REQUIRE(b.Delete("a.y", {}).ok());  // 4
  WatchOptions o;
  o.start = WatchStart::kLatestPerKey;
  CHECK(Scan(b, o) == "b.x@2 a.x@3 a.y@4 ");
  o.filters = {KeyFilter::Tokens("a.*")};
  CHECK(Scan(b, o) == "a.x@3 a.y@4 ");
  o.ignore_deletes = true;
  CHECK(Scan(b, o) == "a.x@3 ");
  o.ignore_deletes = false;
  o.start = WatchStart::kAllHistory;
  CHECK(Scan(b, o) == "a.x@1 a.x@3 a.y@4 ");
  o.start = WatchStart::kNewOnly;
  CHECK(Scan(b, o).empty());
}

TEST_CASE("scan initial part: the callback stops it; the bucket is untouched", "[engine][watch]") {
  Backend be;
  SyncBucket& b = *be.bucket();
  for (int i = 0; i < 3000; ++i) be.Put("k" + std::to_string(i), "v");
  WatchOptions o;
  o.start = WatchStart::kAllHistory;
  o.filters = {KeyFilter::Prefix("k2")};  // needs a pass over the bucket, in slices
  Status st;
  CHECK(Scan(b, o, 2, &st) == "k2@3 k20@21 ");
  CHECK(st.ok());
  size_t n = 0;
  CHECK(ScanInitialPart(b.store_bucket(), o, [&](const EntryView&) { return ++n > 0; }).ok());
  CHECK(n == 1111);  // k2, k20..k29, k200..k299, k2000..k2999
  CHECK(b.LastRevision() == 3000);
}

TEST_CASE("scan initial part: StartWatch errors are returned", "[engine][watch]") {
  Backend be;
  be.Put("k", "v");
  REQUIRE(be.bucket()->Purge("k", {}).ok());
  REQUIRE(be.bucket()->RemoveTombstones(0) > 0);  // watermark moves to 2
  WatchOptions o;
  o.start = WatchStart::kAfterCursor;
  o.revision = 1;
  Status st;
  CHECK(Scan(*be.bucket(), o, SIZE_MAX, &st).empty());
  CHECK(st.errc() == Errc::kCursorExpired);
}

}  // namespace
}  // namespace kvgate::engine::testing

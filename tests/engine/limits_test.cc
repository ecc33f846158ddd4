// File: tests/engine/limits_test.cc
// Contract cases for quotas and limits: max_value_size, max_keys, max_bytes, the engine-wide
// memory limit (writes refused, deletes/purges/flushes still work), and memory accounting.
//
//   BucketConfig c; c.max_keys = 2;
//   Backend be(c);  be.Put("a","1"); be.Put("b","1");
//   be.bucket()->Put("c", "1", {}).errc() == Errc::kBucketFull;
#include <catch2/catch.hpp>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

TEST_CASE("max_value_size counts value and meta", "[engine]") {
  BucketConfig c;
  c.max_value_size = 10;
  Backend be(c);
  SyncBucket* b = be.bucket();
  CHECK(b->Put("k", std::string(10, 'x'), {}).ok());
  CHECK(b->Put("k", std::string(11, 'x'), {}).errc() == Errc::kValueTooLarge);
  WriteOptions meta;
  meta.meta = "hdr";
  CHECK(b->Put("k", std::string(8, 'x'), meta).errc() == Errc::kValueTooLarge);
  CHECK(b->Create("n", std::string(11, 'x'), {}).errc() == Errc::kValueTooLarge);
  CHECK(b->Update("k", std::string(11, 'x'), 1, {}).errc() == Errc::kValueTooLarge);
  CHECK(b->LastRevision() == 1);
}

TEST_CASE("lengths beyond the 32-bit entry fields are refused, never truncated",
          "[engine][local]") {
  Backend be;
  SyncBucket* b = be.bucket();
  char byte = 'x';
  // Views that claim more than 4 GiB: the length check comes before any byte is read. [local]:
  // a store that copies the request (one that answers later) would read them.
  std::string_view huge(&byte, (uint64_t{1} << 32) + 1);
  CHECK(b->Put("k", huge, {}).errc() == Errc::kValueTooLarge);
  CHECK(b->Put(huge, "v", {}).errc() == Errc::kInvalidArgument);
  CHECK(b->Delete(huge, {}).errc() == Errc::kInvalidArgument);
  WriteOptions o;
  o.meta = huge;
  CHECK(b->Purge("k", o).errc() == Errc::kValueTooLarge);
  CHECK(b->LastRevision() == 0);
}

TEST_CASE("max_keys limits keys with a live value", "[engine]") {
  BucketConfig c;
  c.max_keys = 2;
  Backend be(c);
  SyncBucket* b = be.bucket();
  be.Put("a", "1");
  be.Put("b", "1");
  Result<Revision> r = b->Put("c", "1", {});
  CHECK(r.errc() == Errc::kBucketFull);
  CHECK(b->Put("a", "2", {}).ok());  // overwriting is not a new key
  REQUIRE(b->Delete("a", {}).ok());  // tombstones do not count
  CHECK(b->Put("c", "1", {}).ok());
  CHECK(b->Create("a", "1", {}).errc() == Errc::kBucketFull);
}

TEST_CASE("max_bytes refuses writes that would exceed it", "[engine]") {
  BucketConfig c;
  c.max_bytes = 100;
  c.history = 1;
  Backend be(c);
  SyncBucket* b = be.bucket();
  CHECK(b->Put("k1", std::string(48, 'x'), {}).ok());  // 50 bytes
  CHECK(b->Put("k2", std::string(48, 'x'), {}).ok());  // 100 bytes
  CHECK(b->Put("k3", "x", {}).errc() == Errc::kBucketFull);
  CHECK(b->Put("k1", std::string(40, 'y'), {}).ok());  // replaces: net smaller
  CHECK(b->GetStatus().bytes == 92);
  REQUIRE(b->Delete("k2", {}).ok());
  CHECK(b->Put("k3", "x", {}).ok());
}

TEST_CASE("max_bytes counts what history trimming will free", "[engine]") {
  BucketConfig c;
  c.max_bytes = 100;
  c.history = 2;
  Backend be(c);
  SyncBucket* b = be.bucket();
  CHECK(b->Put("k", std::string(49, 'a'), {}).ok());  // 50
  CHECK(b->Put("k", std::string(49, 'b'), {}).ok());  // 100
  CHECK(b->Put("k", std::string(49, 'c'), {}).ok());  // drops the 'a' entry: still 100
  CHECK(b->Put("j", "x", {}).errc() == Errc::kBucketFull);
  CHECK(b->GetStatus().bytes == 100);
}

TEST_CASE("engine memory limit refuses writes but never deletes, purges or flushes",
          "[engine][memory]") {
  Engine::Limits limits;
  limits.max_memory_bytes = 1 << 20;
  Backend be({}, limits);
  SyncBucket* b = be.bucket();
  std::string value(1000, 'v');
  int stored = 0;
  Result<Revision> r = Revision{0};
  for (int i = 0; i < 10'000; ++i) {
    r = b->Put("k" + std::to_string(i), value, {});
    if (!r.ok()) break;
    ++stored;
  }
  CHECK(r.errc() == Errc::kOutOfMemory);
  CHECK(stored > 500);
  CHECK(be.engine().MemoryUsed() <= limits.max_memory_bytes);
  CHECK(b->Create("x", value, {}).errc() == Errc::kOutOfMemory);
  CHECK(b->Delete("k1", {}).ok());
  CHECK(b->Purge("k2", {}).ok());
  CHECK(b->Get("k3").ok());  // reads still work
  b->Flush();
  be.RunTicks();
  CHECK(b->Put("again", value, {}).ok());
}

TEST_CASE("memory accounting tracks stored bytes and returns to baseline", "[engine][memory]") {
  Backend be;
  SyncBucket* b = be.bucket();
  uint64_t base = be.engine().MemoryUsed();
  for (int i = 0; i < 10'000; ++i) be.Put("key:" + std::to_string(i), std::string(100, 'v'));
  uint64_t full = be.engine().MemoryUsed();
  CHECK(full - base > 10'000 * 100);
  CHECK(full - base < 10'000 * 250);
  for (int i = 0; i < 10'000; ++i) REQUIRE(b->Purge("key:" + std::to_string(i), {}).ok());
  b->RemoveTombstones(0);
  be.RunTicks();
  CHECK(be.engine().MemoryUsed() - base < 64 * 1024);
}

}  // namespace
}  // namespace kvgate::engine::testing

// File: tests/engine/kv_test.cc
// Contract cases for single-key writes and reads: revisions, CAS, create/update, delete and
// purge tombstones, history depth, reads by revision (DESIGN.md "Entries and revisions").
//
//   Backend be(BucketConfig{.history = 3});
//   Revision r = be.Put("k", "v");
//   REQUIRE(be.bucket()->Update("k", "w", r, {}).ok());
#include <catch2/catch.hpp>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

BucketConfig History(uint32_t n) {
  BucketConfig c;
  c.history = n;
  return c;
}

TEST_CASE("revisions start at 1 and strictly increase across keys", "[engine]") {
  Backend be;
  CHECK(be.Put("a", "1") == 1);
  CHECK(be.Put("b", "2") == 2);
  CHECK(be.Put("a", "3") == 3);
  CHECK(be.bucket()->LastRevision() == 3);
  Result<EntryView> e = be.bucket()->Get("a");
  REQUIRE(e.ok());
  CHECK(e->value == "3");
  CHECK(e->revision == 3);
  CHECK(e->op == Op::kPut);
  CHECK(e->created_ns == be.clock().NowNs());
}

TEST_CASE("empty key and empty value are ordinary", "[engine]") {
  Backend be;
  REQUIRE(be.bucket()->Put("", "", {}).ok());
  Result<EntryView> e = be.bucket()->Get("");
  REQUIRE(e.ok());
  CHECK(e->key.empty());
  CHECK(e->value.empty());
  CHECK(be.bucket()->LiveKeyCount() == 1);
}

TEST_CASE("values of changing sizes and binary bytes round-trip", "[engine]") {
  Backend be(History(3));
  std::string big(100'000, 'x');
  std::string bin("a\0b\r\n", 5);
  be.Put("k", "small");
  be.Put("k", big);
  be.Put("k", bin);
  REQUIRE(be.GetValue("k") == bin);
  std::vector<EntryView> h = be.bucket()->History("k");
  REQUIRE(h.size() == 3);
  CHECK(h[0].value == "small");
  CHECK(h[1].value == big);
  CHECK(h[2].value == bin);
  be.Put("k", "tiny");
  CHECK(be.GetValue("k") == "tiny");
  CHECK(be.bucket()->History("k").front().value == big);
}

TEST_CASE("create fails on a live key with its revision, works over tombstones", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  Result<Revision> c1 = b->Create("k", "v1", {});
  REQUIRE(c1.ok());
  Result<Revision> c2 = b->Create("k", "v2", {});
  REQUIRE_FALSE(c2.ok());
  CHECK(c2.errc() == Errc::kAlreadyExists);
  CHECK(c2.detail() == *c1);

  SECTION("over a Delete tombstone") {
    Result<Revision> d = b->Delete("k", {});
    REQUIRE(d.ok());
    Result<Revision> c3 = b->Create("k", "v3", {});
    REQUIRE(c3.ok());
    CHECK(*c3 == *d + 1);
    CHECK(be.GetValue("k") == "v3");
  }
  SECTION("over a Purge marker") {
    Result<Revision> p = b->Purge("k", {});
    REQUIRE(p.ok());
    Result<Revision> c3 = b->Create("k", "v3", {});
    REQUIRE(c3.ok());
    CHECK(be.GetValue("k") == "v3");
  }
}

TEST_CASE("update with a stale revision returns the current one", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  Revision r1 = be.Put("k", "v1");
  Result<Revision> u1 = b->Update("k", "v2", r1, {});
  REQUIRE(u1.ok());
  Result<Revision> stale = b->Update("k", "v3", r1, {});
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.errc() == Errc::kWrongRevision);
  CHECK(stale.detail() == *u1);
  CHECK(be.GetValue("k") == "v2");
  CHECK(b->LastRevision() == *u1);  // a failed write takes no revision

  SECTION("expected revision 0 means 'no entry at all'") {
    Result<Revision> z = b->Update("new", "x", 0, {});
    CHECK(z.ok());
    WriteOptions o;
    o.expected_revision = 0;
    Result<Revision> again = b->Put("new", "y", o);
    CHECK(again.errc() == Errc::kWrongRevision);
    CHECK(again.detail() == *z);
  }
  SECTION("tombstones count as the current revision for CAS") {
    Result<Revision> d = b->Delete("k", {});
    REQUIRE(d.ok());
    CHECK(b->Update("k", "v", *u1, {}).errc() == Errc::kWrongRevision);
    CHECK(b->Update("k", "v", *d, {}).ok());
  }
}

TEST_CASE("CAS delete and CAS purge", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  Revision r = be.Put("k", "v");
  WriteOptions wrong;
  wrong.expected_revision = r + 7;
  Result<Revision> d = b->Delete("k", wrong);
  CHECK(d.errc() == Errc::kWrongRevision);
  CHECK(d.detail() == r);
  CHECK(b->Purge("k", wrong).errc() == Errc::kWrongRevision);
  WriteOptions right;
  right.expected_revision = r;
  CHECK(b->Delete("k", right).ok());
  CHECK(be.GetValue("k") == "<absent>");
}

TEST_CASE("delete leaves a readable tombstone; absent keys get one too", "[engine]") {
  Backend be(History(5));
  SyncBucket* b = be.bucket();
  be.Put("k", "v");
  Result<Revision> d = b->Delete("k", {});
  REQUIRE(d.ok());
  CHECK(b->Get("k").errc() == Errc::kNotFound);
  Result<EntryView> latest = b->GetLatest("k");
  REQUIRE(latest.ok());
  CHECK(latest->op == Op::kDelete);
  CHECK(latest->value.empty());
  CHECK(latest->revision == *d);
  CHECK(b->History("k").size() == 2);
  CHECK(b->LiveKeyCount() == 0);

  Result<Revision> d2 = b->Delete("never", {});
  REQUIRE(d2.ok());
  CHECK(b->GetLatest("never")->op == Op::kDelete);
  BucketStatus s = b->GetStatus();
  CHECK(s.keys == 2);
  CHECK(s.live_keys == 0);
}

TEST_CASE("purge then history shows only the marker", "[engine]") {
  Backend be(History(10));
  SyncBucket* b = be.bucket();
  for (int i = 0; i < 5; ++i) be.Put("k", "v" + std::to_string(i));
  be.Put("other", "x");
  Result<Revision> p = b->Purge("k", {});
  REQUIRE(p.ok());
  std::vector<EntryView> h = b->History("k");
  REQUIRE(h.size() == 1);
  CHECK(h[0].op == Op::kPurge);
  CHECK(h[0].reason == MarkerReason::kNone);
  CHECK(h[0].revision == *p);
  CHECK(b->GetStatus().entries == 2);  // the marker + "other"
  for (Revision r = 1; r <= 5; ++r) CHECK(b->GetByRevision(r).errc() == Errc::kNotFound);
  CHECK(b->History("other").size() == 1);
}

TEST_CASE("history is trimmed at the configured depth", "[engine]") {
  for (uint32_t depth : {1u, 2u, 5u, 64u}) {
    Backend be(History(depth));
    SyncBucket* b = be.bucket();
    for (int i = 1; i <= 100; ++i) be.Put("k", std::to_string(i));
    std::vector<EntryView> h = b->History("k");
    REQUIRE(h.size() == depth);
    for (uint32_t i = 0; i < depth; ++i) {
      CHECK(h[i].value == std::to_string(100 - depth + 1 + i));
      CHECK(h[i].revision == 100 - depth + 1 + i);
    }
    BucketStatus s = b->GetStatus();
    CHECK(s.entries == depth);
    CHECK(s.first_revision == 100 - depth + 1);
    CHECK(b->GetByRevision(100 - depth).errc() == Errc::kNotFound);
    CHECK(b->GetByRevision(100 - depth + 1).ok());
  }
}

TEST_CASE("GetAt and GetByRevision", "[engine]") {
  Backend be(History(3));
  SyncBucket* b = be.bucket();
  Revision a1 = be.Put("a", "1");
  Revision b1 = be.Put("b", "1");
  be.Put("a", "2");
  REQUIRE(b->GetAt("a", a1).ok());
  CHECK(b->GetAt("a", a1)->value == "1");
  CHECK(b->GetAt("a", b1).errc() == Errc::kNotFound);  // revision of another key
  CHECK(b->GetByRevision(b1)->key == "b");
  CHECK(b->GetByRevision(99).errc() == Errc::kNotFound);
  CHECK(b->GetByRevision(0).errc() == Errc::kNotFound);
}

TEST_CASE("GetAsOf answers from history, CursorExpired when history is gone", "[engine]") {
  Backend be(History(2));
  SyncBucket* b = be.bucket();
  be.Put("x", "x");                 // 1
  Revision k1 = be.Put("k", "v1");  // 2
  Revision k2 = be.Put("k", "v2");  // 3
  Revision k3 = be.Put("k", "v3");  // 4: v1 trimmed
  CHECK(b->GetAsOf("k", k3)->value == "v3");
  CHECK(b->GetAsOf("k", k2)->value == "v2");
  CHECK(b->GetAsOf("k", 100)->value == "v3");
  Result<EntryView> gone = b->GetAsOf("k", k1);
  CHECK(gone.errc() == Errc::kCursorExpired);
  CHECK(b->GetAsOf("nope", 3).errc() == Errc::kNotFound);
  Result<Revision> d = b->Delete("k", {});
  CHECK(b->GetAsOf("k", *d).errc() == Errc::kNotFound);
  CHECK(b->GetAsOf("k", k3)->value == "v3");
}

TEST_CASE("GetNextMatching", "[engine]") {
  Backend be(History(5));
  SyncBucket* b = be.bucket();
  be.Put("a.1", "x");  // 1
  be.Put("b.1", "x");  // 2
  be.Put("a.2", "x");  // 3
  be.Put("a.1", "y");  // 4
  CHECK(b->GetNextMatching(1, KeyFilter::Tokens("a.*"))->revision == 1);
  CHECK(b->GetNextMatching(2, KeyFilter::Tokens("a.*"))->revision == 3);
  CHECK(b->GetNextMatching(2, KeyFilter::Exact("a.1"))->revision == 4);
  CHECK(b->GetNextMatching(0, KeyFilter::Exact("a.1"))->revision == 1);
  CHECK(b->GetNextMatching(5, KeyFilter::All()).errc() == Errc::kNotFound);
  CHECK(b->GetNextMatching(1, KeyFilter::Tokens("c.>")).errc() == Errc::kNotFound);
}

TEST_CASE("bucket status counts", "[engine]") {
  Backend be(History(3));
  SyncBucket* b = be.bucket();
  be.Put("a", "12345");
  be.Put("a", "123");
  be.Put("bb", "1");
  WriteOptions ttl;
  ttl.expire_at_ms = be.NowMs() + 10'000;
  REQUIRE(b->Put("c", "x", ttl).ok());
  REQUIRE(b->Delete("d", {}).ok());
  BucketStatus s = b->GetStatus();
  CHECK(s.name == "b");
  CHECK(s.entries == 5);
  CHECK(s.bytes == (1 + 5) + (1 + 3) + (2 + 1) + (1 + 1) + 1);
  CHECK(s.keys == 4);
  CHECK(s.live_keys == 3);
  CHECK(s.keys_with_ttl == 1);
  CHECK(s.first_revision == 1);
  CHECK(s.last_revision == 5);
  CHECK(s.watermark == 0);
  CHECK(s.first_ns == be.clock().NowNs());
  CHECK(s.last_ns == be.clock().NowNs());
}

}  // namespace
}  // namespace kvgate::engine::testing

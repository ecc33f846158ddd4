// File: tests/engine/bucket_test.cc
// Contract cases for bucket management (DESIGN.md "Buckets"): create (idempotent when
// identical), validation, update, delete, find, list, independent revision sequences, Tick
// across buckets, and the filter/validation helpers both fronts share.
//
//   Engine e(clock);
//   Bucket* b = *e.CreateBucket("cfg", BucketConfig{});
//   e.CreateBucket("cfg", other).errc() == Errc::kBucketExists;
#include <catch2/catch.hpp>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

TEST_CASE("bucket create, find, list, update, delete", "[engine]") {
  FakeClock clock;
  Engine e(clock);
  BucketConfig c;
  c.history = 5;
  c.description = "d";
  Result<Bucket*> a = e.CreateBucket("alpha", c);
  REQUIRE(a.ok());
  CHECK((*a)->name() == "alpha");
  CHECK((*a)->config().history == 5);
  Result<Bucket*> again = e.CreateBucket("alpha", c);
  REQUIRE(again.ok());
  CHECK(*again == *a);
  BucketConfig attached = c;
  attached.attachment = "front data";  // not part of the semantics
  CHECK(e.CreateBucket("alpha", attached).ok());
  BucketConfig other = c;
  other.history = 6;
  CHECK(e.CreateBucket("alpha", other).errc() == Errc::kBucketExists);
  REQUIRE(e.CreateBucket("Beta_2-x", {}).ok());
  CHECK(e.ListBuckets() == std::vector<std::string>{"Beta_2-x", "alpha"});
  CHECK(e.FindBucket("alpha") == *a);
  CHECK(e.FindBucket("nope") == nullptr);

  REQUIRE(e.UpdateBucket("alpha", other).ok());
  CHECK((*a)->config().history == 6);
  CHECK(e.UpdateBucket("nope", other).errc() == Errc::kBucketNotFound);

  uint64_t gen = e.generation();
  REQUIRE(e.DeleteBucket("alpha").ok());
  CHECK(e.generation() == gen + 1);
  CHECK(e.FindBucket("alpha") == nullptr);
  CHECK(e.DeleteBucket("alpha").errc() == Errc::kBucketNotFound);
  CHECK(e.ListBuckets() == std::vector<std::string>{"Beta_2-x"});
}

TEST_CASE("invalid bucket names and configs are rejected", "[engine]") {
  FakeClock clock;
  Engine e(clock);
  for (const char* name : {"", "a.b", "a b", "a*", "a>", "ü"}) {
    CHECK(e.CreateBucket(name, {}).errc() == Errc::kInvalidArgument);
  }
  auto bad = [&](auto mutate) {
    BucketConfig c;
    mutate(c);
    return e.CreateBucket("ok", c).errc();
  };
  CHECK(bad([](BucketConfig& c) { c.history = 0; }) == Errc::kInvalidArgument);
  CHECK(bad([](BucketConfig& c) { c.history = 65; }) == Errc::kInvalidArgument);
  CHECK(bad([](BucketConfig& c) { c.max_age_ns = -1; }) == Errc::kInvalidArgument);
  CHECK(bad([](BucketConfig& c) { c.max_bytes = -2; }) == Errc::kInvalidArgument);
  CHECK(bad([](BucketConfig& c) { c.tombstone_ttl_ns = -1; }) == Errc::kInvalidArgument);
  REQUIRE(e.CreateBucket("ok", {}).ok());
  BucketConfig c;
  c.history = 0;
  CHECK(e.UpdateBucket("ok", c).errc() == Errc::kInvalidArgument);
}

TEST_CASE("each bucket has its own revision sequence; Tick serves all buckets", "[engine]") {
  FakeClock clock;
  Engine::Limits limits;
  limits.tick_budget = 10;
  Engine e(clock, limits);
  Bucket* a = *e.CreateBucket("a", {});
  Bucket* b = *e.CreateBucket("b", {});
  CHECK(*a->Put("k", "v", {}) == 1);
  CHECK(*a->Put("k", "v", {}) == 2);
  CHECK(*b->Put("k", "v", {}) == 1);
  WriteOptions o;
  o.expire_at_ms = clock.NowMs() + 10;
  for (int i = 0; i < 50; ++i) {
    REQUIRE(a->Put("a" + std::to_string(i), "v", o).ok());
    REQUIRE(b->Put("b" + std::to_string(i), "v", o).ok());
  }
  clock.AdvanceMs(10);
  int ticks = 0;
  while (e.Tick()) ++ticks;
  CHECK(ticks >= 9);
  CHECK(a->LiveKeyCount() == 1);
  CHECK(b->LiveKeyCount() == 1);
}

TEST_CASE("validation helpers and filters", "[engine]") {
  CHECK(IsValidBucketName("KV_b-1"));
  CHECK_FALSE(IsValidBucketName("a.b"));
  CHECK(IsValidNatsKey("a.b-c/d_e=f"));
  CHECK_FALSE(IsValidNatsKey(""));
  CHECK_FALSE(IsValidNatsKey(".a"));
  CHECK_FALSE(IsValidNatsKey("a."));
  CHECK_FALSE(IsValidNatsKey("a..b"));
  CHECK_FALSE(IsValidNatsKey("a*"));
  CHECK_FALSE(IsValidNatsKey("a b"));

  CHECK(KeyFilter::Tokens(">").kind() == KeyFilter::Kind::kAll);
  CHECK(KeyFilter::Tokens("a.b").kind() == KeyFilter::Kind::kExact);
  CHECK(KeyFilter::Tokens("a.*").kind() == KeyFilter::Kind::kTokens);
  CHECK(KeyFilter::Tokens("a*.b").kind() == KeyFilter::Kind::kExact);  // '*' inside a token
  CHECK(KeyFilter::Prefix("").kind() == KeyFilter::Kind::kAll);
  CHECK(KeyFilter::Tokens("a.b.*.>").LiteralPrefix() == "a.b.");
  CHECK(KeyFilter::Prefix("user:").LiteralPrefix() == "user:");
  CHECK(KeyFilter::All().LiteralPrefix().empty());
  CHECK(KeyFilter::IsValidTokenPattern("a.*.>"));
  CHECK_FALSE(KeyFilter::IsValidTokenPattern("a.>.b"));
  CHECK_FALSE(KeyFilter::IsValidTokenPattern("a..b"));
  CHECK_FALSE(KeyFilter::IsValidTokenPattern(""));
  CHECK_FALSE(KeyFilter::IsValidTokenPattern("a b"));
  CHECK(TokenPatternMatches("*", "a"));
  CHECK_FALSE(TokenPatternMatches("*", "a.b"));
  CHECK_FALSE(TokenPatternMatches("a.>", "a"));
  CHECK(TokenPatternMatches("a.>", "a.b.c"));
  CHECK_FALSE(TokenPatternMatches("a.b", "a.b.c"));
  CHECK(KeyFilter::Prefix("ab").Matches("abc"));
  CHECK_FALSE(KeyFilter::Prefix("ab").Matches("a"));
}

TEST_CASE("a watch outliving its engine's bucket is safe to poll and destroy", "[engine]") {
  FakeClock clock;
  std::unique_ptr<Watch> w;
  {
    Engine e(clock);
    Bucket* b = *e.CreateBucket("b", {});
    REQUIRE(b->Put("k", "v", {}).ok());
    auto r = b->StartWatch(WatchOptions{}, nullptr);
    REQUIRE(r.ok());
    w = std::move(*r);
  }
  std::vector<Event> evs = Backend::Drain(*w);
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].error == Errc::kBucketNotFound);
}

}  // namespace
}  // namespace kvgate::engine::testing

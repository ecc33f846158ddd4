// Contract cases for Store::SwapBuckets (Redis SWAPDB): two buckets exchange their contents,
// revision sequences, config and TTLs under their names; refs keep their names; watches of both
// end with kBucketNotFound; listeners get one kBucketsSwapped event.
#include <catch2/catch.hpp>

#include <optional>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

Status Swap(Backend& be, std::string_view a, std::string_view b) {
  std::optional<WriteResult> r;
  be.store().SwapBuckets(a, b, [&r](WriteResult w) { r.emplace(std::move(w)); });
  be.Pump();
  if (!r) return Errc::kInvalidArgument;
  return r->ok() ? Status() : Status(r->errc(), r->detail());
}

BucketRef Create(Backend& be, std::string_view name, const BucketConfig& config) {
  std::optional<Result<BucketRef>> r;
  be.store().CreateBucket(name, config, [&r](Result<BucketRef> x) { r.emplace(std::move(x)); });
  return r && r->ok() ? **r : nullptr;
}

class SwapRecorder : public ChangeListener {
 public:
  explicit SwapRecorder(Store& store) : store_(store) {
    store.AddChangeListener(this);
  }
  ~SwapRecorder() override {
    store_.RemoveChangeListener(this);
  }
  void OnChange(const ChangeEvent& ev) override {
    if (ev.kind == ChangeKind::kBucketsSwapped) swaps.emplace_back(ev.bucket, ev.key);
  }
  std::vector<std::pair<std::string, std::string>> swaps;

 private:
  Store& store_;
};

TEST_CASE("SwapBuckets exchanges contents under the names", "[engine]") {
  Backend be;
  BucketConfig other_config;
  other_config.history = 3;
  BucketRef other = Create(be, "o", other_config);
  REQUIRE(other != nullptr);
  SyncBucket* b = be.bucket();
  be.Put("in_b", "1");
  be.Put("in_b", "2");
  WriteOptions ttl;
  ttl.expire_at_ms = be.NowMs() + 5'000;
  std::optional<WriteResult> put;
  other->Write(WriteRequest::Put("in_o", "x", ttl), [&put](WriteResult r) { put.emplace(r); });
  be.Pump();
  REQUIRE(put);
  REQUIRE(put->ok());
  SwapRecorder rec(be.store());

  REQUIRE(Swap(be, "b", "o").ok());
  // The fixture's ref still names "b" and now reads what "o" held, revisions and config too.
  CHECK(b->name() == "b");
  CHECK(be.GetValue("in_o") == "x");
  CHECK(be.GetValue("in_b") == "<absent>");
  CHECK(b->store_bucket().LastRevision() == 1);
  CHECK(b->config().history == 3);
  CHECK(b->Get("in_o")->expires_at_ms == ttl.expire_at_ms);
  Result<EntryView> moved = other->Get("in_b");
  REQUIRE(moved.ok());
  CHECK(moved->value == "2");
  CHECK(moved->revision == 2);
  CHECK(other->LastRevision() == 2);
  CHECK(be.store().FindBucket("o")->Get("in_b").ok());
  REQUIRE(rec.swaps.size() == 1);
  CHECK(rec.swaps[0] == std::pair<std::string, std::string>("b", "o"));
  // The TTL expires under the new name; new writes continue each bucket's own sequence.
  be.AdvanceMs(5'000);
  CHECK(be.GetValue("in_o") == "<absent>");
  CHECK(be.Put("next", "v") == 3);  // after "o"'s put (1) and its expiry marker (2)
}

TEST_CASE("SwapBuckets ends the watches of both buckets", "[engine]") {
  Backend be;
  BucketRef other = Create(be, "o", {});
  REQUIRE(other != nullptr);
  be.Put("k", "v");
  WatchOptions all;
  Result<std::unique_ptr<Watch>> wb = be.StartWatch(all);
  REQUIRE(wb.ok());
  RecordingSink sink;
  Result<std::unique_ptr<Watch>> wo = other->StartWatch(all, &sink);
  REQUIRE(wo.ok());
  Backend::Drain(**wb);
  Backend::Drain(**wo);
  REQUIRE(Swap(be, "b", "o").ok());
  CHECK((*wb)->State() == Errc::kBucketNotFound);
  CHECK((*wo)->State() == Errc::kBucketNotFound);
  CHECK(sink.notifications > 0);
  std::vector<Event> events = Backend::Drain(**wb);
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == WatchEvent::Kind::kFailed);
  CHECK(events[0].error == Errc::kBucketNotFound);
  // Writes after the swap reach new watches only; the failed ones can be destroyed any time.
  be.Put("after", "v");
  wb->reset();
  wo->reset();
  Result<std::unique_ptr<Watch>> fresh = other->StartWatch(all, &sink);
  REQUIRE(fresh.ok());
  std::vector<Event> now = Backend::Drain(**fresh);
  REQUIRE(now.size() == 2);
  CHECK(now[0].key == "k");
}

TEST_CASE("SwapBuckets needs both buckets; a bucket swaps with itself as a no-op", "[engine]") {
  Backend be;
  be.Put("k", "v");
  CHECK(Swap(be, "b", "nope").errc() == Errc::kBucketNotFound);
  CHECK(Swap(be, "nope", "b").errc() == Errc::kBucketNotFound);
  SwapRecorder rec(be.store());
  CHECK(Swap(be, "b", "b").ok());
  CHECK(rec.swaps.empty());
  CHECK(be.GetValue("k") == "v");
}

}  // namespace
}  // namespace kvgate::engine::testing

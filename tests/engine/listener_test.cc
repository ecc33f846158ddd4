// File: tests/engine/listener_test.cc
// Contract cases for change listeners (Redis WATCH, keyspace notifications): every kind of
// change is reported synchronously, after the mutation is visible.
//
//   Recorder rec(be);   // registers itself
//   be.Put("k", "v");
//   rec.events.back().kind == ChangeKind::kPut;
#include <catch2/catch.hpp>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

struct Seen {
  std::string bucket;
  std::string key;
  ChangeKind kind;
  Revision revision;
  bool visible;  // state already consistent when the callback ran
  bool created;
};

class Recorder : public ChangeListener {
 public:
  explicit Recorder(Backend& be) : be_(be) {
    be.engine().AddChangeListener(this);
  }
  ~Recorder() override {
    be_.engine().RemoveChangeListener(this);
  }
  void OnChange(const ChangeEvent& ev) override {
    bool visible = true;
    if (Bucket* b = be_.engine().FindBucket(ev.bucket); b != nullptr && ev.revision != 0) {
      visible = b->LastRevision() == ev.revision;
    }
    events.push_back(
        {std::string(ev.bucket), std::string(ev.key), ev.kind, ev.revision, visible, ev.created});
  }
  std::vector<ChangeKind> Kinds() const {
    std::vector<ChangeKind> out;
    for (const Seen& s : events) out.push_back(s.kind);
    return out;
  }
  std::vector<Seen> events;

 private:
  Backend& be_;
};

TEST_CASE("change listener sees every kind of change", "[engine]") {
  BucketConfig c;
  c.max_age_ns = 60'000'000'000;  // 60 s
  Backend be(c);
  SyncBucket* b = be.bucket();
  Recorder rec(be);
  be.Put("k", "v");                                    // kPut
  REQUIRE(b->SetExpiry("k", be.NowMs() + 1000).ok());  // kExpiryChanged
  be.AdvanceMs(1000);                                  // kExpired
  REQUIRE(b->Delete("d", {}).ok());                    // kDelete
  REQUIRE(b->Purge("p", {}).ok());                     // kPurge
  b->RemoveTombstones(0);                              // kRemoved x3 (k's marker, d, p)
  be.Put("old", "v");
  be.AdvanceMs(60'000);             // kMaxAge
  be.Put("f", "v");                 // kPut
  b->Flush();                       // kFlushed
  REQUIRE(be.DeleteBucket().ok());  // kBucketDeleted
  using K = ChangeKind;
  CHECK(rec.Kinds() == std::vector<K>{K::kPut, K::kExpiryChanged, K::kExpired, K::kDelete,
                                      K::kPurge, K::kRemoved, K::kRemoved, K::kRemoved, K::kPut,
                                      K::kMaxAge, K::kPut, K::kFlushed, K::kBucketDeleted});
  for (const Seen& s : rec.events) {
    CHECK(s.visible);
    CHECK(s.bucket == "b");
  }
  CHECK(rec.events[0].key == "k");
  CHECK(rec.events[0].revision == 1);
  CHECK(rec.events[1].revision == 0);  // no new revision for an expiry change
  CHECK(rec.events[2].revision == 2);  // the expiry marker's revision
  CHECK(rec.events[11].key.empty());   // flush: whole bucket
}

TEST_CASE("a put says whether it brought the key to life", "[engine]") {
  for (uint32_t history : {1u, 5u}) {
    CAPTURE(history);
    BucketConfig c;
    c.history = history;
    Backend be(c);
    SyncBucket* b = be.bucket();
    Recorder rec(be);
    be.Put("k", "1");                                          // absent -> live
    be.Put("k", "2");                                          // live -> live
    REQUIRE(b->Delete("k", {}).ok());                          //
    be.Put("k", "3");                                          // tombstone -> live
    REQUIRE(b->Purge("k", {}).ok());                           //
    REQUIRE(b->Create("k", "4", {}).ok());                     // purge marker -> live
    REQUIRE(b->Update("k", "5", b->LastRevision(), {}).ok());  // live -> live
    WriteOptions ttl;
    ttl.expire_at_ms = be.NowMs() + 1000;
    REQUIRE(b->Put("t", "1", ttl).ok());  // absent -> live
    be.AdvanceMs(1000);                   // expired (the sweep appends its marker)
    be.Put("t", "2");                     // expired -> live
    ttl.expire_at_ms = be.NowMs() + 1000;
    REQUIRE(b->Put("u", "1", ttl).ok());  // absent -> live
    be.AdvanceMsNoTick(1000);             // expired, but no sweep has run:
    be.Put("u", "2");                     // the write finds it expired: live again
    std::vector<std::pair<std::string, bool>> puts;
    for (const Seen& s : rec.events) {
      if (s.kind == ChangeKind::kPut) puts.emplace_back(s.key, s.created);
      if (s.kind != ChangeKind::kPut) CHECK_FALSE(s.created);
    }
    CHECK(puts == std::vector<std::pair<std::string, bool>>{{"k", true},
                                                            {"k", false},
                                                            {"k", true},
                                                            {"k", true},
                                                            {"k", false},
                                                            {"t", true},
                                                            {"t", true},
                                                            {"u", true},
                                                            {"u", true}});
  }
}

TEST_CASE("listeners can be removed; failed writes notify nobody", "[engine]") {
  Backend be;
  SyncBucket* b = be.bucket();
  {
    Recorder rec(be);
    be.Put("k", "v");
    CHECK(b->Create("k", "v", {}).errc() == Errc::kAlreadyExists);
    CHECK(b->Update("k", "v", 99, {}).errc() == Errc::kWrongRevision);
    CHECK(rec.events.size() == 1);
  }
  be.Put("k", "w");  // the recorder is gone: must not be called
}

}  // namespace
}  // namespace kvgate::engine::testing

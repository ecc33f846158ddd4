// File: tests/engine/support/backend.h
// The fixture every engine contract case is written against. It owns the store under test and a
// FakeClock, and offers the few helpers cases need (advance time and run expiry, drain a watch,
// collect a scan). Cases touch the store only through `bucket()` (the store interface's bucket,
// its changes answered synchronously by SyncBucket) and these helpers, so any backend runs the
// same cases. The store is the in-memory engine's LocalStore, or with KVGATE_TEST_STORE=delayed
// in the environment a store that answers every change later (tests/support/delayed_store.h);
// ctest runs the suite both ways. Engine-only checks (memory accounting) use `engine()`; cases
// tagged [local] rely on the in-memory engine itself and are left out of the delayed run.
//
//   Backend be;                                   // bucket "b", default config
//   Backend be2(BucketConfig{.history = 5});
//   be.bucket()->Put("k", "v", {});  be.AdvanceMs(1500);   // time passes, Tick runs
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/local_store.h"
#include "tests/engine/support/sync_bucket.h"
#include "tests/support/delayed_store.h"

namespace kvgate::engine::testing {

// A WatchSink that records readiness notifications.
class RecordingSink : public WatchSink {
 public:
  void OnWatchReady(Watch& w) override {
    ++notifications;
    last = &w;
  }
  int notifications = 0;
  Watch* last = nullptr;
};

// One delivered watch event, copied out of the engine's views.
struct Event {
  WatchEvent::Kind kind = WatchEvent::Kind::kEntry;
  std::string key;
  std::string value;
  Revision revision = 0;
  Op op = Op::kPut;
  MarkerReason reason = MarkerReason::kNone;
  uint64_t pending = 0;
  uint64_t value_size = 0;
  bool initial = false;
  Errc error = Errc::kOk;
  bool is_done() const {
    return kind == WatchEvent::Kind::kInitialDone;
  }
  bool is_entry() const {
    return kind == WatchEvent::Kind::kEntry;
  }
};

class Backend {
 public:
  explicit Backend(const BucketConfig& config = {}, const Engine::Limits& limits = {});
  ~Backend();

  SyncBucket* bucket() {
    return bucket_.get();
  }
  // The store under test (LocalStore, or the DelayedStore over it).
  Store& store() {
    return *store_;
  }
  // True when the suite runs against the store that answers later.
  bool delayed() const {
    return delayed_ != nullptr;
  }
  Engine& engine() {
    return *engine_;
  }
  FakeClock& clock() {
    return clock_;
  }
  UnixMillis NowMs() const {
    return clock_.NowMs();
  }

  // Moves time forward and runs active expiry until it reports no more due work.
  void AdvanceMs(int64_t ms);
  // Moves time forward without running active expiry (lazy expiry only).
  void AdvanceMsNoTick(int64_t ms) {
    clock_.AdvanceMs(ms);
  }
  void RunTicks();

  // Bucket administration through the fixture (another backend maps these to its own API).
  Status UpdateConfig(const BucketConfig& c);
  Status DeleteBucket();

  Result<std::unique_ptr<Watch>> StartWatch(const WatchOptions& o) {
    return bucket_->StartWatch(o, &sink_);
  }
  // Runs the store until every change issued so far is answered.
  void Pump() {
    if (delayed_ != nullptr) delayed_->RunAll();
  }
  RecordingSink& sink() {
    return sink_;
  }
  // Polls until the watch has nothing more to deliver (at most `max` events).
  static std::vector<Event> Drain(Watch& w, size_t max = SIZE_MAX);
  // Every live key visited by a complete SCAN with the given batch size.
  std::vector<std::string> ScanAll(size_t count, const KeyFilter& f = KeyFilter::All());

  Revision Put(const std::string& key, const std::string& value) {
    Result<Revision> r = bucket_->Put(key, value, {});
    return r.ok() ? *r : 0;
  }
  // Value of a live key, or "<absent>".
  std::string GetValue(const std::string& key) {
    Result<EntryView> e = bucket_->Get(key);
    return e.ok() ? std::string(e->value) : std::string("<absent>");
  }

 private:
  FakeClock clock_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<LocalStore> local_;
  std::unique_ptr<kvgate::testing::DelayedStore> delayed_;
  Store* store_ = nullptr;
  std::unique_ptr<SyncBucket> bucket_;
  RecordingSink sink_;
};

// Entries (not markers) of an event list, in order.
std::vector<Event> EntriesOf(const std::vector<Event>& events);
// "key=value@rev" style rendering for readable failure messages.
std::string Render(const std::vector<Event>& events);

}  // namespace kvgate::engine::testing

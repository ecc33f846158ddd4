// File: tests/support/delayed_store.h
// A store that answers later: every change (write, expiry, compaction, purge, flush) is queued
// and applied to the wrapped store, then answered, only once its delay has passed (RunDue, also
// from Tick) or when the test says so (RunAll). Reads go straight to the wrapped store, so other
// clients see a change only once it is applied, as with a remote backend's replica. Drives the
// tests of commands that complete later and runs the engine contract suite against a store
// that is not the in-memory engine's own.
//
//   LocalStore local(engine);
//   DelayedStore store(local, clock, /*delay_ms=*/20);
//   RedisFront front(store, {});       // every write now completes ~20 ms later, from Tick()
//
// Bucket administration (create, update, delete) passes through at once: the wrapped store must
// answer it before returning (LocalStore does). A swap of two buckets' contents is a change like
// a flush: it waits in the queue.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store.h"

namespace kvgate::testing {

class DelayedBucket;

class DelayedStore final : public engine::Store {
 public:
  DelayedStore(engine::Store& inner, const engine::Clock& clock, int64_t delay_ms);
  ~DelayedStore() override;

  void set_delay_ms(int64_t ms) {
    delay_ms_ = ms;
  }
  // Applies and answers the queued changes whose delay has passed, in the order they were
  // issued. Returns how many ran.
  size_t RunDue();
  // Applies and answers every queued change, including those queued while running.
  size_t RunAll();
  // Changes waiting, and answered so far. Safe to read from any thread (a test watching the
  // loop thread's store).
  size_t queued() const {
    return queued_.load();
  }
  uint64_t answered() const {
    return answered_.load();
  }
  // Safe from any thread: the next Tick answers every change queued by then, whatever its
  // delay (tests that hold writes "forever" and let them go when they choose).
  void Release() {
    release_.store(true);
  }

  engine::BucketRef FindBucket(std::string_view name) override;
  std::vector<std::string> ListBuckets() const override;
  void CreateBucket(std::string_view name, const engine::BucketConfig& config,
                    engine::BucketDone done) override;
  void UpdateBucket(std::string_view name, const engine::BucketConfig& config,
                    engine::WriteDone done) override;
  void DeleteBucket(std::string_view name, engine::WriteDone done) override;
  void SwapBuckets(std::string_view a, std::string_view b, engine::WriteDone done) override;
  void AddChangeListener(engine::ChangeListener* listener) override;
  void RemoveChangeListener(engine::ChangeListener* listener) override;
  const engine::Clock& clock() const override;
  uint64_t MemoryUsed() const override;
  uint64_t MaxMemory() const override;
  void SetMaxMemory(uint64_t bytes) override;
  bool Tick() override;
  void PauseExpiry(bool paused) override;
  void SetMeta(std::string_view name, std::string_view value, bool durable) override;
  std::string GetMeta(std::string_view name) const override;

 private:
  friend class DelayedBucket;

  // One queued change, owning copies of everything its request pointed at.
  struct Op {
    // kAnswer: a change already made (Mutate) whose answer is held.
    enum class Kind : uint8_t { kWrite, kExpiry, kCompact, kPurgeEntries, kFlush, kAnswer, kSwap };
    Kind kind = Kind::kWrite;
    int64_t due_ms = 0;
    engine::BucketRef bucket;  // the wrapped store's bucket (none for kSwap)
    engine::WriteRequest::Kind write_kind = engine::WriteRequest::Kind::kPut;
    std::string key;    // kSwap: the first bucket's name
    std::string value;  // kSwap: the second's
    std::string meta;
    engine::CollectionRef object;  // PutObject's collection, kept alive until applied
    engine::WriteOptions options;
    engine::UnixMillis expire_at_ms = 0;
    engine::Revision revision = 0;  // Compact's, PurgeEntries' below_revision
    uint64_t keep = 0;
    std::optional<engine::KeyFilter> filter;
    engine::WriteResult answer = uint64_t{0};
    engine::WriteDone done;
  };

  void Queue(Op op);
  void Apply(Op& op);
  engine::BucketRef Wrap(engine::BucketRef inner);

  engine::Store& inner_;
  const engine::Clock& clock_;
  int64_t delay_ms_;
  std::deque<Op> ops_;
  std::atomic<size_t> queued_{0};
  std::atomic<uint64_t> answered_{0};
  std::atomic<bool> release_{false};
  std::map<std::string, std::shared_ptr<DelayedBucket>, std::less<>> wrappers_;
};

}  // namespace kvgate::testing

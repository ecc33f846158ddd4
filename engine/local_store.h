// File: engine/local_store.h
// The in-memory engine behind the store interface (engine/store.h). Every operation completes
// before it returns; reads forward to the engine's buckets with one virtual call and no
// allocation. The Engine stays the owner of the data; LocalStore adds bucket refs that survive
// a bucket's deletion (they answer kBucketNotFound) so the fronts cache no raw pointers.
//
//   SystemClock clock;
//   Engine engine(clock);
//   LocalStore store(engine);
//   store.CreateBucket("b", {}, [](Result<BucketRef> r) { /* *r is the bucket */ });
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/store.h"

namespace kvgate::engine {

class LocalBucket;

// The Engine must outlive the LocalStore.
class LocalStore final : public Store, private ChangeListener {
 public:
  explicit LocalStore(Engine& engine);
  ~LocalStore() override;
  LocalStore(const LocalStore&) = delete;
  LocalStore& operator=(const LocalStore&) = delete;

  Engine& engine() {
    return engine_;
  }

  BucketRef FindBucket(std::string_view name) override;
  std::vector<std::string> ListBuckets() const override;
  void CreateBucket(std::string_view name, const BucketConfig& config, BucketDone done) override;
  void UpdateBucket(std::string_view name, const BucketConfig& config, WriteDone done) override;
  void DeleteBucket(std::string_view name, WriteDone done) override;
  void SwapBuckets(std::string_view a, std::string_view b, WriteDone done) override;
  void AddChangeListener(ChangeListener* listener) override;
  void RemoveChangeListener(ChangeListener* listener) override;
  const Clock& clock() const override;
  uint64_t MemoryUsed() const override;
  uint64_t MaxMemory() const override;
  void SetMaxMemory(uint64_t bytes) override;
  bool Tick() override;
  void PauseExpiry(bool paused) override;
  void SetMeta(std::string_view name, std::string_view value, bool durable) override;
  std::string GetMeta(std::string_view name) const override;

 private:
  // A bucket deleted on the engine directly (not through the store) detaches its ref here; a
  // swap re-points the two refs at the buckets that now have their names.
  void OnChange(const ChangeEvent& event) override;
  // The ref for an engine bucket, made on first use (also for buckets created on the engine
  // directly, e.g. by tests and benchmarks).
  BucketRef RefFor(Bucket* bucket);

  Engine& engine_;
  std::map<std::string, std::shared_ptr<LocalBucket>, std::less<>> refs_;
};

}  // namespace kvgate::engine

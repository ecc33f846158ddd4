// File: tests/engine/support/sync_bucket.h
// The bucket contract cases are written against: the store interface's bucket (StoreBucket)
// with its changes made synchronous for the test, by running the store until the change is
// answered. Cases read as before (`b->Put("k", "v", {})` returns the revision), while the
// store under them is any backend: the in-memory engine's LocalStore, or a store that answers
// later (tests/support/delayed_store.h).
//
//   SyncBucket* b = be.bucket();
//   Result<Revision> r = b->Put("k", "v", {});   // issued, the store pumped, answer returned
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/store.h"

namespace kvgate::engine::testing {

class SyncBucket {
 public:
  // `pump` runs the store until every change issued so far is answered.
  SyncBucket(BucketRef bucket, Engine& engine, std::function<void()> pump)
      : bucket_(std::move(bucket)), engine_(engine), pump_(std::move(pump)) {
  }

  StoreBucket& store_bucket() {
    return *bucket_;
  }
  const std::string& name() const {
    return bucket_->name();
  }
  const BucketConfig& config() const {
    return bucket_->config();
  }

  // ---- changes, answered before returning ----
  Result<Revision> Put(std::string_view key, std::string_view value, const WriteOptions& o);
  Result<Revision> Create(std::string_view key, std::string_view value, const WriteOptions& o);
  Result<Revision> Update(std::string_view key, std::string_view value, Revision expected,
                          const WriteOptions& o);
  Result<Revision> Delete(std::string_view key, const WriteOptions& o);
  Result<Revision> Purge(std::string_view key, const WriteOptions& o);
  Status SetExpiry(std::string_view key, UnixMillis expire_at_ms);
  Result<Revision> Mutate(std::string_view key, ValueType type, const MutateOptions& o,
                          FunctionRef<bool(Collection&)> fn);
  Result<Revision> PutObject(std::string_view key, Collection* object, const WriteOptions& o);
  uint64_t Compact(Revision revision);
  uint64_t PurgeEntries(const KeyFilter& filter, uint64_t keep, Revision below_revision);
  uint64_t Flush();
  // Not part of the store interface (the fronts never call it): the engine bucket's own.
  uint64_t RemoveTombstones(UnixNanos older_than_ns);

  // ---- reads ----
  Result<EntryView> Get(std::string_view key) {
    return bucket_->Get(key);
  }
  Result<EntryView> GetLatest(std::string_view key) {
    return bucket_->GetLatest(key);
  }
  Result<EntryView> GetAt(std::string_view key, Revision revision) {
    return bucket_->GetAt(key, revision);
  }
  Result<EntryView> GetByRevision(Revision revision) {
    return bucket_->GetByRevision(revision);
  }
  Result<EntryView> GetNextMatching(Revision from, const KeyFilter& filter) {
    return bucket_->GetNextMatching(from, filter);
  }
  Result<EntryView> GetAsOf(std::string_view key, Revision revision) {
    return bucket_->GetAsOf(key, revision);
  }
  std::vector<EntryView> History(std::string_view key) {
    return bucket_->History(key);
  }
  Revision Scan(Revision cursor, size_t count, const KeyFilter& filter,
                const std::function<void(const EntryView&)>& fn) {
    return bucket_->Scan(cursor, count, filter, fn);
  }
  Result<EntryView> RandomKey() {
    return bucket_->RandomKey();
  }
  uint64_t LiveKeyCount() const {
    return bucket_->LiveKeyCount();
  }
  Result<std::unique_ptr<Watch>> StartWatch(const WatchOptions& options, WatchSink* sink) {
    return bucket_->StartWatch(options, sink);
  }
  BucketStatus GetStatus() const {
    return bucket_->GetStatus();
  }
  Revision LastRevision() const {
    return bucket_->LastRevision();
  }
  Revision Watermark() const {
    return bucket_->Watermark();
  }

 private:
  // Issues one change through `issue(done)` and returns its answer once the store gave it.
  template <typename Issue>
  WriteResult Answer(Issue&& issue);
  Result<Revision> Write(const WriteRequest& request);

  BucketRef bucket_;
  Engine& engine_;
  std::function<void()> pump_;
};

}  // namespace kvgate::engine::testing

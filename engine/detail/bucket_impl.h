// File: engine/detail/bucket_impl.h
// BucketImpl: one bucket's state and the implementation behind the Bucket facade. Its methods
// are spread over files by responsibility:
//   bucket_write.cc   Put/Create/Update/Delete/Purge/SetExpiry, the append path, lazy expiry
//   bucket_read.cc    Get*/History/Scan/RandomKey/status
//   compaction.cc     trimming, key removal (watermark), sweeps, Compact/PurgeEntries/Flush
//   watch_impl.cc     watches (StartWatch lives there too)
//   bucket_redo.cc    redo records of its changes, images, and applying records on replay
//
//   BucketImpl b(&core, "cfg", config);
//   Result<Revision> r = b.Put("k", "v", {});
//   b.Tick(&budget);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/detail/deadline_heap.h"
#include "engine/detail/engine_core.h"
#include "engine/detail/entry.h"
#include "engine/detail/image_walk.h"
#include "engine/detail/keyspace.h"
#include "engine/detail/redo_codec.h"
#include "engine/detail/rev_log.h"
#include "engine/detail/watch_index.h"
#include "engine/engine.h"
#include "engine/function_ref.h"

namespace kvgate::engine {

class WatchImpl;

class BucketImpl {
 public:
  using KeyNode = detail::KeyNode;
  using HistEntry = detail::HistEntry;
  using EntryBase = detail::EntryBase;

  BucketImpl(Engine::Impl* core, std::string name, const BucketConfig& config);
  ~BucketImpl();
  BucketImpl(const BucketImpl&) = delete;
  BucketImpl& operator=(const BucketImpl&) = delete;

  // Validation shared by CreateBucket and UpdateBucket.
  static bool ValidConfig(const BucketConfig& c);

  // ---- writes (bucket_write.cc) ----
  Result<Revision> Put(std::string_view key, std::string_view value, const WriteOptions& o);
  Result<Revision> Create(std::string_view key, std::string_view value, const WriteOptions& o);
  Result<Revision> Update(std::string_view key, std::string_view value, Revision expected,
                          const WriteOptions& o);
  Result<Revision> Delete(std::string_view key, const WriteOptions& o);
  Result<Revision> Purge(std::string_view key, const WriteOptions& o);
  Status SetExpiry(std::string_view key, UnixMillis expire_at_ms);
  Result<Revision> PutObject(std::string_view key, Collection* object, const WriteOptions& o);
  // ---- collections in place (bucket_mutate.cc) ----
  Result<Revision> Mutate(std::string_view key, ValueType type, const MutateOptions& o,
                          FunctionRef<bool(Collection&)> fn);
  // The collection a change of the typed `node` works on: its own (*in_place), or a copy while
  // another key shares it.
  CollectionRef WritableObject(const KeyNode& node, bool* in_place);
  // A key's collection changed in place from `before` to `after` heap bytes.
  void ResizedInPlace(uint64_t before, uint64_t after);

  // ---- reads (bucket_read.cc) ----
  Result<EntryView> Get(std::string_view key);
  Result<EntryView> GetLatest(std::string_view key);
  Result<EntryView> GetAt(std::string_view key, Revision revision);
  Result<EntryView> GetByRevision(Revision revision);
  Result<EntryView> GetNextMatching(Revision from, const KeyFilter& filter);
  Result<EntryView> GetAsOf(std::string_view key, Revision revision);
  std::vector<EntryView> History(std::string_view key);
  Revision Scan(Revision cursor, size_t count, const KeyFilter& filter,
                const std::function<void(const EntryView&)>& fn);
  Result<EntryView> RandomKey();
  BucketStatus GetStatus() const;

  // ---- compaction (compaction.cc) ----
  uint64_t RemoveTombstones(UnixNanos older_than_ns);
  uint64_t Compact(Revision revision);
  uint64_t PurgeEntries(const KeyFilter& filter, uint64_t keep, Revision below_revision);
  uint64_t Flush();
  Status Reconfigure(const BucketConfig& config);
  // Active expiry and maintenance; consumes *budget. Returns true if more work is due now.
  bool Tick(size_t* budget);
  // The bucket is being deleted: fail and detach its watches.
  void OnDeleted();
  // The bucket is moving to another name (Engine::SwapBuckets): fail and unregister its watches.
  void OnReplaced();

  // ---- watches (watch_impl.cc) ----
  Result<std::unique_ptr<Watch>> StartWatch(const WatchOptions& options, WatchSink* sink);
  void Unregister(WatchImpl* w);

  // ---- redo log (bucket_redo.cc) ----
  // Whether this change is to be logged: a file bucket with a redo buffer set, and not a step
  // inside a change that is logged as a whole (an append's trimming, a key's removal).
  bool Logging() const {
    return redo_quiet_ == 0 && core_->redo != nullptr && config_.storage == Storage::kFile;
  }
  void LogAppend(const KeyNode& node, bool rollup);
  void LogRemove(Revision rev);
  void LogExpiry(const KeyNode& node);
  void LogFlush();
  // Records that rebuild this bucket as it is now (create, every retained entry, state).
  void WriteImage(RedoBuffer* out) const;
  // The kAppend record that rebuilds the retained entry `e` of bucket `bucket`.
  static void WriteEntryRecord(RedoBuffer* out, std::string_view bucket, const EntryBase& e);

  // ---- checkpoint images (image_walk.cc, detail/image_walk.h) ----
  // Called before a change removes or alters the retained entry `e` in place: while an image
  // is being written and has not reached `e`, its record as it is now is kept for the image.
  void CaptureForImage(const EntryBase& e) {
    if (image_ != nullptr) Capture(e);
  }
  void Capture(const EntryBase& e);
  // Writes about *budget more entries of this bucket's image (consuming the budget); true
  // when its part is complete (image_ is then cleared).
  bool WriteImageSlice(detail::ImageBucket& ib, size_t* budget);
  // The bucket is about to lose every entry (Flush, DeleteBucket): its image is written now.
  void FinishImageNow() {
    size_t budget = detail::RevLog::kUnbounded;
    if (image_ != nullptr) (void)WriteImageSlice(*image_, &budget);
  }
  // Applies one record of this bucket (the reader is past the bucket name); false if it does
  // not fit the state (corruption).
  bool ReplayRecord(detail::RedoType type, detail::RedoReader& r);
  // Replays a kAppendDelta record (the reader is past the bucket name).
  bool ReplayDelta(detail::RedoReader& r);
  // Applies an expiry change to a live node (SetExpiry after its checks; replay).
  void ApplyExpiry(KeyNode* node, uint64_t hash, UnixMillis expire_at_ms);
  // Removes the retained entry with this revision (a newest one takes its key along).
  void RemoveRevision(Revision rev, ChangeKind kind);

  // kStorageFailed while the log of a file bucket cannot be written (Engine::RefuseFileWrites).
  Status CheckWritable() const {
    if (core_->refuse_writes && config_.storage == Storage::kFile) return Errc::kStorageFailed;
    return {};
  }

  // ---- internals shared by the files above and WatchImpl ----
  UnixNanos NowNs() const {
    return replay_now_ != 0 ? replay_now_ : core_->clock.NowNs();
  }
  // Expired per-key TTL (newest Put only) or past max_age (any entry).
  bool IsExpired(const EntryBase& e, UnixNanos now_ns) const;
  // Finds the key and applies lazy expiry / max_age first (may append a marker or remove the
  // key). Returns the current node or nullptr. A read while expiry is paused gets nullptr for
  // an expired key and leaves it in place.
  KeyNode* Lookup(std::string_view key, uint64_t hash, bool read = false);
  bool expiry_paused() const {
    return core_->expiry_paused;
  }
  // Handles an expired/aged node found by a read or a sweep. Returns the node that remains
  // (a marker node after a TTL expiry, nullptr when the key was removed).
  KeyNode* Expire(KeyNode* node, uint64_t hash, UnixNanos now_ns);
  // The append path: every new entry goes through here. `node` is the key's current node
  // (nullptr: absent). Returns the (possibly moved) node.
  // `object`: the new entry holds this collection instead of `value` (rollup implied: a
  // collection keeps no history).
  KeyNode* Append(KeyNode* node, std::string_view key, uint64_t hash, Op op, MarkerReason reason,
                  std::string_view value, std::string_view meta, UnixMillis expires_at_ms,
                  bool rollup, Collection* object = nullptr);
  // Removes the oldest history entries of the key beyond `keep` (superseded history only).
  void TrimHistory(KeyNode* node, uint32_t keep);
  // Removes a superseded entry (never the key's newest).
  void RemoveOlder(KeyNode* node, HistEntry* prev, HistEntry* h);
  // Removes every entry of the key: its last trace goes, so the watermark rises.
  void RemoveKey(KeyNode* node, uint64_t hash, ChangeKind kind);
  // A bounded-slice sweep over the log for compaction work too big for one call: removing
  // tombstoned keys, Compact(revision), trimming history after a shrink. Started by the API
  // call (which runs a first slice synchronously) and continued by Tick.
  struct SweepJob {
    enum class Kind : uint8_t { kTombstones, kCompact, kTrim };
    Kind kind;
    Revision cursor = 1;       // next revision to examine
    Revision upto = 0;         // only entries <= upto (0: those existing at the start)
    UnixNanos older_than = 0;  // kTombstones: markers created before it (0: all)
  };
  // Runs the job for up to *budget examined entries; returns entries removed. job.cursor == 0
  // once finished.
  uint64_t RunJob(SweepJob& job, size_t* budget);
  // Runs a new job synchronously for a slice and queues the remainder for Tick.
  uint64_t StartJob(SweepJob job);
  // Watch + listener fan-out of a new entry.
  void Dispatch(KeyNode* node, uint64_t hash, ChangeKind kind, bool created);
  void Notify(std::string_view key, ChangeKind kind, Revision rev, bool created = false) {
    core_->Notify(ChangeEvent{name_, key, kind, rev, created});
  }
  // Bookkeeping of a newest entry entering or leaving the "newest" position.
  void CountNewest(const KeyNode& n, int sign);
  uint64_t NextRandom();

  Engine::Impl* core_;
  std::string name_;
  BucketConfig config_;
  UnixNanos created_ns_;
  detail::MemoryCounter* mem_;  // the engine-wide counter
  detail::Keyspace keys_;
  detail::RevLog log_;
  detail::DeadlineHeap ttl_;  // (expires_at_ms, revision) of newest Puts with a TTL
  detail::WatchIndex watches_;
  Revision last_rev_ = 0;
  Revision watermark_ = 0;
  uint64_t entries_ = 0;
  uint64_t bytes_ = 0;
  uint64_t live_keys_ = 0;
  uint64_t keys_with_ttl_ = 0;
  Revision tomb_sweep_ = 1;  // next revision the tombstone_ttl sweep examines
  std::vector<SweepJob> jobs_;
  uint64_t rng_;
  uint32_t redo_quiet_ = 0;   // > 0 inside a change logged as one record
  UnixNanos replay_now_ = 0;  // while replaying an append: its recorded creation time
  // Mutate: the operations of the change being appended, logged instead of its image.
  const std::string* pending_delta_ = nullptr;
  // The image being written of this bucket (nullptr: none, or its part is complete).
  detail::ImageBucket* image_ = nullptr;
};

}  // namespace kvgate::engine

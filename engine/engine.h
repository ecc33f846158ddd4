// File: engine/engine.h
// The versioned key-value engine: the single facade translate/ talks to. Implements the whole
// engine contract of DESIGN.md. Single-threaded: owned and called by the loop thread only.
//
//   SystemClock clock;
//   Engine engine(clock);
//   Bucket* b = *engine.CreateBucket("cfg", BucketConfig{.history = 5});
//   Revision r1 = *b->Put("color", "blue", {});
//   Result<EntryView> e = b->Get("color");                 // e->value == "blue"
//   Result<Revision> r2 = b->Update("color", "red", r1);   // CAS on revision
//   engine.Tick();                                         // active expiry, bounded work
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.h"
#include "engine/filter.h"
#include "engine/function_ref.h"
#include "engine/redo.h"
#include "engine/result.h"
#include "engine/types.h"
#include "engine/watch.h"

namespace kvgate::engine {

class Engine;
class BucketImpl;

// One bucket: a named keyspace with its own revision sequence. Obtained from the Engine; the
// pointer stays valid until the bucket is deleted (see Engine::generation()).
class Bucket {
 public:
  ~Bucket();  // public so the owning std::unique_ptr can destroy it; only the Engine does
  Bucket(const Bucket&) = delete;
  Bucket& operator=(const Bucket&) = delete;

  const std::string& name() const;
  const BucketConfig& config() const;

  // ---- writes: each appends one entry and returns its revision ----
  // Put a value. Honours options.expected_revision (CAS), expire_at_ms, keep_ttl, meta.
  Result<Revision> Put(std::string_view key, std::string_view value, const WriteOptions& options);
  // Succeeds only if the key is absent, expired, or its newest entry is Delete/Purge;
  // else kAlreadyExists with the current revision.
  Result<Revision> Create(std::string_view key, std::string_view value,
                          const WriteOptions& options);
  // Succeeds only if the newest entry has exactly `expected`; else kWrongRevision(current).
  Result<Revision> Update(std::string_view key, std::string_view value, Revision expected,
                          const WriteOptions& options);
  // Appends an empty-value Delete tombstone. kNotFound is NOT returned for an absent key: a
  // tombstone is written anyway (NATS semantics); callers wanting Redis DEL semantics check
  // Get() first. options.expected_revision makes it a CAS delete.
  Result<Revision> Delete(std::string_view key, const WriteOptions& options);
  // Rollup: drops every retained entry of the key and appends a single Purge marker.
  Result<Revision> Purge(std::string_view key, const WriteOptions& options);

  // Changes the expiry of the live value without a new revision (Redis EXPIRE/PERSIST).
  // kNoExpiry removes it. kNotFound if the key has no live value. A deadline <= now expires
  // the key at once (Purge marker, reason kExpired). Fires ChangeKind::kExpiryChanged.
  Status SetExpiry(std::string_view key, UnixMillis expire_at_ms);

  // ---- collections (engine/collection.h) ----
  // Changes the key's collection in place: `fn` runs on it (on a new, empty one of `type` when
  // the key has no live value and options.create) and returns whether it changed anything. A
  // change appends one revision; the key's older entries go (a collection keeps only its newest
  // state, and superseded history never expires a cursor); a collection left empty deletes the
  // key (Delete tombstone), as Redis removes empty collections. The TTL is kept. Returns the
  // revision appended, 0 when nothing changed; kWrongType (fn not called) if the key holds a
  // string or another type, kNotFound if it has no live value and !options.create, and
  // kOutOfMemory over the engine's memory limit unless !options.may_grow (a change that only
  // shrinks). A shared collection is copied before fn sees it (copy on write).
  Result<Revision> Mutate(std::string_view key, ValueType type, const MutateOptions& options,
                          FunctionRef<bool(Collection&)> fn);
  // Put of a collection (not empty): the key then holds `object` (a reference is taken; the
  // caller must not change it afterwards except through Mutate). Options as for Put.
  Result<Revision> PutObject(std::string_view key, Collection* object, const WriteOptions& options);

  // ---- reads (lazy expiry: an expired value found here is expired first) ----
  // Newest entry if it is a live Put; else kNotFound.
  Result<EntryView> Get(std::string_view key);
  // Newest retained entry, tombstones included (NATS direct get); kNotFound if none.
  Result<EntryView> GetLatest(std::string_view key);
  // The key's entry with exactly this revision, if retained.
  Result<EntryView> GetAt(std::string_view key, Revision revision);
  // Any key's entry with exactly this revision, if retained (NATS get by sequence).
  Result<EntryView> GetByRevision(Revision revision);
  // First retained entry with revision >= `from` whose key matches (NATS next_by_subj).
  Result<EntryView> GetNextMatching(Revision from, const KeyFilter& filter);
  // Value of the key as of `revision` (newest entry <= revision, live Put only).
  // kNotFound if the key did not exist then; kCursorExpired if history needed was removed.
  Result<EntryView> GetAsOf(std::string_view key, Revision revision);
  // Retained entries of the key, oldest first (empty vector if none).
  std::vector<EntryView> History(std::string_view key);

  // ---- listing ----
  // Visits live keys' newest entries in revision order starting at `cursor` (0 = start),
  // examining about `count` retained entries. Returns the next cursor, 0 when the iteration is
  // complete. Every key live for the whole iteration is visited at least once (Redis SCAN).
  Revision Scan(Revision cursor, size_t count, const KeyFilter& filter,
                const std::function<void(const EntryView&)>& fn);
  // A uniformly-ish random live key; kNotFound when there is none.
  Result<EntryView> RandomKey();
  uint64_t LiveKeyCount() const;

  // ---- compaction ----
  // Removes every entry of keys whose newest entry is a Delete/Purge marker created before
  // `older_than_ns` (0: all of them). Returns the number of entries removed by this call: on a
  // large bucket it does a bounded slice (~20k entries examined) and Tick finishes the rest.
  uint64_t RemoveTombstones(UnixNanos older_than_ns);
  // Explicit compaction at `revision`: removes superseded entries with revision <= it and keys
  // whose newest entry is a marker with revision <= it. Returns entries removed by this call
  // (bounded slice; Tick finishes the rest, as for RemoveTombstones).
  uint64_t Compact(Revision revision);
  // NATS stream purge: removes entries matching `filter` with revision < below_revision
  // (0: any), keeping the newest `keep` matching entries. Returns entries removed.
  uint64_t PurgeEntries(const KeyFilter& filter, uint64_t keep, Revision below_revision);
  // Removes everything; the watermark moves to the last revision (Redis FLUSHDB).
  uint64_t Flush();

  // ---- watches ----
  Result<std::unique_ptr<Watch>> StartWatch(const WatchOptions& options, WatchSink* sink);

  BucketStatus GetStatus() const;
  Revision LastRevision() const;
  Revision Watermark() const;

 private:
  friend class Engine;
  friend class BucketImpl;
  explicit Bucket(std::unique_ptr<BucketImpl> impl);
  std::unique_ptr<BucketImpl> impl_;
};

class Engine {
 public:
  struct Limits {
    uint64_t max_memory_bytes = 0;  // 0 = unlimited; above it writes fail with kOutOfMemory
    size_t watch_queue = 10'000;    // default live queue bound per watch
    size_t tick_budget = 2'000;     // entries examined per Tick by sweeps
  };

  explicit Engine(const Clock& clock);
  Engine(const Clock& clock, const Limits& limits);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // kInvalidArgument for a bad name or config; kBucketExists if it exists with a config whose
  // SameSemantics() differs (an identical create returns the existing bucket).
  Result<Bucket*> CreateBucket(std::string_view name, const BucketConfig& config);
  // Changes the config. kBucketNotFound if absent; kInvalidArgument for a bad config. A history
  // shrink is exact for every read at once (keys are trimmed when touched); the physical sweep
  // runs in Tick, so GetStatus() counts reach their final values when it ends.
  Status UpdateBucket(std::string_view name, const BucketConfig& config);
  // Deletes the bucket; its watches fail with kBucketNotFound. Pointers to it become invalid.
  Status DeleteBucket(std::string_view name);
  // Exchanges two buckets whole (entries, revision sequences, config, creation time) under their
  // names: `a` then holds what `b` held and vice versa (Redis SWAPDB). Watches of both fail with
  // kBucketNotFound, as for a deleted bucket: the sequence they followed now has another name.
  // Bucket pointers follow the data (compare generation()). Fires one kBucketsSwapped event.
  // kBucketNotFound unless both exist; swapping a bucket with itself does nothing.
  Status SwapBuckets(std::string_view a, std::string_view b);
  Bucket* FindBucket(std::string_view name);
  // Bucket names, sorted.
  std::vector<std::string> ListBuckets() const;
  // Incremented whenever a bucket is deleted or swapped: caches of Bucket* compare it before use.
  uint64_t generation() const;

  // Active expiry (per-key TTL, max_age, tombstone_ttl) with bounded work: examines at most
  // Limits::tick_budget entries. Returns true if more work is due now (call again soon).
  bool Tick();
  // While paused (Redis CLIENT PAUSE), nothing expires: Tick skips its TTL, max_age and
  // tombstone sweeps and reads treat an expired value as missing without removing it, so the
  // dataset stays static. Writes still replace expired values.
  void PauseExpiry(bool paused);
  bool expiry_paused() const;

  // ---- persistence (engine/redo.h) ----
  // Every change of a bucket with Storage::kFile is appended to `redo` as a framed record, in
  // change order, until it is reset (nullptr: no logging). The owner drains redo->bytes.
  void SetRedo(RedoBuffer* redo);
  // Applies one record payload (ScanRedo's output) from a log this engine's kind wrote.
  // kInvalidArgument when the record is malformed or does not fit the state (corruption).
  // Nothing is logged while replaying.
  Status Replay(std::string_view payload);
  // Appends records that rebuild every file bucket as it is now (a snapshot of them).
  void WriteImage(RedoBuffer* out) const;
  // Checkpoints (engine/image_walk.cc): starts an image of every file bucket as it is now,
  // written into `out` a slice at a time by ContinueImage while the engine goes on changing
  // (the image keeps showing this moment: image + the records logged from now on replay to
  // the live state). Replaces an image in progress.
  void BeginImage(RedoBuffer* out);
  // Writes about `budget` more entries of the image; true when it is complete.
  bool ContinueImage(size_t budget);
  void AbortImage();
  bool image_in_progress() const;
  // While set, a bucket that becomes a file bucket is logged as pending rather than as an
  // image written at once (a pause proportional to its size): it is durable once the next
  // checkpoint (whose image holds it) is complete, as redis-server's CONFIG SET appendonly yes
  // waits for its AOF rewrite. TakeImageRequest is true once after such a change.
  void DeferFileImages(bool defer);
  bool TakeImageRequest();
  // While set, writes to file buckets fail with kStorageFailed (the log cannot be written).
  void RefuseFileWrites(bool refuse);
  // A front's own state that is not a key (Redis FUNCTION libraries): `value` under `name`;
  // empty removes it. When `durable`, it is logged and is part of every image, and replay
  // brings it back; otherwise it is kept in memory only (and taken out of the log).
  void SetMeta(std::string_view name, std::string_view value, bool durable);
  // The value under `name`, or "".
  std::string GetMeta(std::string_view name) const;

  void AddChangeListener(ChangeListener* listener);
  void RemoveChangeListener(ChangeListener* listener);

  const Clock& clock() const;
  const Limits& limits() const;
  void SetLimits(const Limits& limits);
  // Approximate bytes held by all buckets (entries, keys, indexes).
  uint64_t MemoryUsed() const;

  struct Impl;

 private:
  // Replay of a swap where a side may be a pending bucket (kBucketPending).
  bool ReplaySwap(std::string_view a, std::string_view b);

  std::unique_ptr<Impl> impl_;
};

}  // namespace kvgate::engine

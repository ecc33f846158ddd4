// File: engine/store.h
// The store interface: the narrow surface the two fronts (translate/) use, implemented by the
// in-memory engine (engine/local_store.h) and by any other backend (a NATS JetStream cluster,
// a test store that answers later). translate/ names only this, never engine::Engine.
//
// Two rules shape it (docs/design.md "The store interface"):
// - Reads are synchronous. Every backend keeps a loop-thread-owned view it reads from (the
//   in-memory engine is that view; a remote backend keeps a local replica fed by its change
//   stream), so a read costs what an engine read costs. Views live until the next mutation of
//   the bucket, as engine::EntryView says.
// - Everything that changes state completes through a Completion: the in-memory engine calls it
//   before returning, a remote backend later, from the loop thread. A caller must not assume
//   either; the fronts hold the client's next commands while a result is outstanding.
//
//   BucketRef b = store.FindBucket("db0");
//   b->Write(WriteRequest::Put("k", "v"), [](WriteResult r) { /* r: revision or error */ });
//   Result<EntryView> e = b->Get("k");
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.h"
#include "engine/collection.h"
#include "engine/completion.h"
#include "engine/filter.h"
#include "engine/function_ref.h"
#include "engine/result.h"
#include "engine/types.h"
#include "engine/watch.h"

namespace kvgate::engine {

// What a change reports: the revision appended (writes), the entries removed (compaction,
// purges, flush), or 0 (expiry changes, bucket updates and deletes).
using WriteResult = Result<uint64_t>;
using WriteDone = Completion<WriteResult>;

// One key write. Update's expected revision is options.expected_revision (required); the other
// kinds honour it as a CAS condition when set.
struct WriteRequest {
  enum class Kind : uint8_t { kPut, kCreate, kUpdate, kDelete, kPurge };
  Kind kind = Kind::kPut;
  std::string_view key;
  std::string_view value;  // Put, Create and Update only
  WriteOptions options;
  // Put only: the key holds this collection instead of `value` (engine.h Bucket::PutObject).
  // The caller keeps a reference until the write is answered and changes it no more.
  Collection* object = nullptr;

  static WriteRequest Put(std::string_view key, std::string_view value, WriteOptions o = {}) {
    return {Kind::kPut, key, value, o};
  }
  static WriteRequest PutObject(std::string_view key, Collection* object, WriteOptions o = {}) {
    return {Kind::kPut, key, {}, o, object};
  }
  static WriteRequest Create(std::string_view key, std::string_view value, WriteOptions o = {}) {
    return {Kind::kCreate, key, value, o};
  }
  static WriteRequest Update(std::string_view key, std::string_view value, Revision expected,
                             WriteOptions o = {}) {
    o.expected_revision = expected;
    return {Kind::kUpdate, key, value, o};
  }
  static WriteRequest Delete(std::string_view key, WriteOptions o = {}) {
    return {Kind::kDelete, key, {}, o};
  }
  static WriteRequest Purge(std::string_view key, WriteOptions o = {}) {
    return {Kind::kPurge, key, {}, o};
  }
};

// One bucket as the fronts see it. Obtained from Store; a BucketRef stays safe to use after the
// bucket is deleted: alive() turns false and every operation answers kBucketNotFound.
class StoreBucket {
 public:
  virtual ~StoreBucket() = default;

  virtual const std::string& name() const = 0;
  virtual const BucketConfig& config() const = 0;
  virtual bool alive() const = 0;

  // ---- reads (engine/engine.h documents each; lazy expiry applies) ----
  virtual Result<EntryView> Get(std::string_view key) = 0;
  virtual Result<EntryView> GetLatest(std::string_view key) = 0;
  virtual Result<EntryView> GetAt(std::string_view key, Revision revision) = 0;
  virtual Result<EntryView> GetByRevision(Revision revision) = 0;
  virtual Result<EntryView> GetNextMatching(Revision from, const KeyFilter& filter) = 0;
  virtual Result<EntryView> GetAsOf(std::string_view key, Revision revision) = 0;
  virtual std::vector<EntryView> History(std::string_view key) = 0;
  virtual Revision Scan(Revision cursor, size_t count, const KeyFilter& filter,
                        const std::function<void(const EntryView&)>& fn) = 0;
  virtual Result<EntryView> RandomKey() = 0;
  virtual uint64_t LiveKeyCount() const = 0;
  virtual BucketStatus GetStatus() const = 0;
  virtual Revision LastRevision() const = 0;
  virtual Revision Watermark() const = 0;

  // ---- changes (complete through `done`, now or later) ----
  virtual void Write(const WriteRequest& request, WriteDone done) = 0;
  // A change to the key's collection in place (engine.h Bucket::Mutate documents it). `fn`
  // runs before Mutate returns, on the loop-owned state every read sees; `done` answers with the
  // revision appended (0: nothing changed) once the change is acknowledged: at once in memory,
  // later where a change must also be made durable or replicated.
  virtual void Mutate(std::string_view key, ValueType type, const MutateOptions& options,
                      FunctionRef<bool(Collection&)> fn, WriteDone done) = 0;
  // Expiry of the live value without a new revision (kNoExpiry removes it); kNotFound if none.
  virtual void SetExpiry(std::string_view key, UnixMillis expire_at_ms, WriteDone done) = 0;
  // Compaction at `revision` (0: everything superseded). Result: entries removed.
  virtual void Compact(Revision revision, WriteDone done) = 0;
  // NATS stream purge (engine Bucket::PurgeEntries). Result: entries removed.
  virtual void PurgeEntries(const KeyFilter& filter, uint64_t keep, Revision below_revision,
                            WriteDone done) = 0;
  // Removes everything; the watermark moves to the last revision. Result: entries removed.
  virtual void Flush(WriteDone done) = 0;

  // ---- watches ----
  virtual Result<std::unique_ptr<Watch>> StartWatch(const WatchOptions& options,
                                                    WatchSink* sink) = 0;
};

// Runs the initial part of a watch with these options (start mode, filters, ignore_deletes,
// meta_only, include_history) to `fn`, one entry at a time in revision order, until it ends or
// `fn` returns false; the watch is gone when this returns. For cold paths that need one pass
// over matching entries (NATS message lookups by wildcard, consumer start positions): the whole
// initial part is scanned in this call, O(entries scanned). Returns StartWatch's error, or the
// error the watch failed with during the scan. EntryView fields are valid only during the call.
Status ScanInitialPart(StoreBucket& bucket, WatchOptions options,
                       const std::function<bool(const EntryView&)>& fn);

using BucketRef = std::shared_ptr<StoreBucket>;
using BucketDone = Completion<Result<BucketRef>>;

// The whole store: buckets, change listeners, the clock it stamps entries with, memory.
class Store {
 public:
  virtual ~Store() = default;

  // The bucket, or nullptr when there is none.
  virtual BucketRef FindBucket(std::string_view name) = 0;
  // Bucket names, sorted.
  virtual std::vector<std::string> ListBuckets() const = 0;
  // kInvalidArgument for a bad name or config; kBucketExists when it exists with a different
  // config (an identical create answers the existing bucket).
  virtual void CreateBucket(std::string_view name, const BucketConfig& config, BucketDone done) = 0;
  virtual void UpdateBucket(std::string_view name, const BucketConfig& config, WriteDone done) = 0;
  // Deletes the bucket; its watches fail with kBucketNotFound and its refs stop being alive().
  virtual void DeleteBucket(std::string_view name, WriteDone done) = 0;
  // Exchanges the two buckets' contents (entries, revisions, config) under their names, as
  // Engine::SwapBuckets: a ref keeps naming its bucket and reads the other's former contents;
  // watches of both fail with kBucketNotFound. kBucketNotFound unless both exist. Listeners get
  // one kBucketsSwapped event when it is applied.
  virtual void SwapBuckets(std::string_view a, std::string_view b, WriteDone done) = 0;

  // Synchronous notification of every change (engine/types.h ChangeListener), whoever made it.
  virtual void AddChangeListener(ChangeListener* listener) = 0;
  virtual void RemoveChangeListener(ChangeListener* listener) = 0;

  virtual const Clock& clock() const = 0;
  // Approximate bytes held; the limit above which writes fail with kOutOfMemory (0: none).
  virtual uint64_t MemoryUsed() const = 0;
  virtual uint64_t MaxMemory() const = 0;
  virtual void SetMaxMemory(uint64_t bytes) = 0;

  // Housekeeping on the loop thread (active expiry, answers that arrived). Returns true if more
  // work is due now, so the caller runs it again soon instead of waiting a full period.
  virtual bool Tick() = 0;
  // Redis CLIENT PAUSE: nothing expires meanwhile (engine/engine.h Engine::PauseExpiry). A
  // backend whose expiry runs elsewhere may ignore it.
  virtual void PauseExpiry(bool paused) = 0;

  // A front's own state that is not a key (Redis FUNCTION libraries), kept with the data:
  // durable values survive a restart where the backend persists anything (Engine::SetMeta).
  virtual void SetMeta(std::string_view name, std::string_view value, bool durable) = 0;
  virtual std::string GetMeta(std::string_view name) const = 0;
};

}  // namespace kvgate::engine

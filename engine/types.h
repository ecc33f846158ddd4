// File: engine/types.h
// Value types of the engine contract (DESIGN.md "The engine contract"): revisions, operations,
// entry views, bucket configuration and status, write options, change events.
//
//   WriteOptions o; o.expected_revision = 7; o.expire_at_ms = clock.NowMs() + 10'000;
//   Result<Revision> r = bucket->Put("k", "v", o);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/clock.h"
#include "engine/collection.h"

namespace kvgate::engine {

// Per-bucket sequence number: starts at 1, strictly increasing, never reused.
using Revision = uint64_t;

enum class Op : uint8_t { kPut, kDelete, kPurge };

// Why a marker (Delete/Purge entry) was written by the engine itself.
enum class MarkerReason : uint8_t {
  kNone,     // written by a client (DEL, purge)
  kExpired,  // per-key TTL fired
  kMaxAge,   // bucket max_age removed the key's last value (only if marker_on_max_age)
};

inline constexpr UnixMillis kNoExpiry = 0;

// A read-only view of one stored entry. The views point into engine memory and stay valid only
// until the next call that mutates the same bucket (including Tick and lazy expiry on reads).
struct EntryView {
  std::string_view key;
  std::string_view value;  // empty for Delete/Purge
  std::string_view meta;   // opaque bytes stored with the entry by the writer (NATS headers)
  Revision revision = 0;
  Op op = Op::kPut;
  MarkerReason reason = MarkerReason::kNone;
  UnixNanos created_ns = 0;
  UnixMillis expires_at_ms = kNoExpiry;  // current expiry of this entry (Put only)
  // A key holding a hash, list, set or sorted set: its collection (value is empty then). Valid
  // as long as the view; change it only through StoreBucket::Mutate.
  ValueType type = ValueType::kString;
  const Collection* object = nullptr;
};

// Where a bucket's data lives: only in memory, or also in the redo log of the data directory
// (engine/redo.h; NATS "storage", Redis appendonly).
enum class Storage : uint8_t { kMemory, kFile };

struct BucketConfig {
  uint32_t history = 1;            // entries kept per key, 1..64
  int64_t max_age_ns = 0;          // bucket-wide TTL of every entry; 0 = none
  int64_t max_value_size = -1;     // bytes of value + meta; -1 = unlimited
  int64_t max_bytes = -1;          // retained bytes (keys + values + meta); -1 = unlimited
  int64_t max_keys = -1;           // keys with a live value; -1 = unlimited
  bool allow_key_ttl = true;       // per-key TTL (Redis EXPIRE, NATS Nats-TTL) permitted
  bool marker_on_max_age = false;  // max_age removal of a key's last value appends a Purge marker
  int64_t tombstone_ttl_ns = 0;    // keep Delete/Purge markers that are a key's only trace this
                                   // long; 0 = forever (NATS default)
  Storage storage = Storage::kMemory;
  std::string description;
  // Opaque bytes a front stores with the bucket and reads back unchanged (the NATS front keeps
  // the stream-config fields the engine has no opinion about). Not compared by the engine.
  std::string attachment;

  // Equality of the fields the engine interprets plus description (not attachment).
  bool SameSemantics(const BucketConfig& o) const;
};

struct BucketStatus {
  std::string name;
  BucketConfig config;
  UnixNanos created_ns = 0;
  uint64_t entries = 0;         // retained entries, history and markers included
  uint64_t bytes = 0;           // retained key + value + meta bytes
  uint64_t keys = 0;            // keys with at least one retained entry (NATS num_subjects)
  uint64_t live_keys = 0;       // keys whose newest entry is a live Put (Redis DBSIZE)
  uint64_t keys_with_ttl = 0;   // live keys with a per-key expiry (Redis INFO expires=)
  Revision first_revision = 0;  // oldest retained entry; last_revision + 1 when empty
  Revision last_revision = 0;   // newest revision ever assigned (0: none yet)
  Revision watermark = 0;       // highest revision of a removed last trace (CursorExpired bound)
  UnixNanos first_ns = 0;       // created_ns of the oldest / newest retained entries (0: none)
  UnixNanos last_ns = 0;
};

// Mutate (engine.h, store.h): whether a key without a live value gets a new, empty collection
// for the change (HSET, LPUSH) or is left alone (HDEL, LPUSHX: kNotFound), and whether the
// change may grow the collection (refused with kOutOfMemory over the memory limit, as Redis
// refuses its denyoom commands) or only shrinks it (HDEL, SPOP: allowed over the limit).
struct MutateOptions {
  bool create = true;
  bool may_grow = true;
};

struct WriteOptions {
  // Compare-and-set: the key's newest retained entry (tombstones included) must have exactly this
  // revision; 0 means "the key has no retained entry at all". Mismatch -> kWrongRevision with
  // the current revision as detail. This is NATS Nats-Expected-Last-Subject-Sequence.
  std::optional<Revision> expected_revision;
  // Absolute expiry deadline of the new value (Put only). kNoExpiry = none.
  UnixMillis expire_at_ms = kNoExpiry;
  // Carry the previous live value's expiry over (Redis KEEPTTL, APPEND, INCR, SETRANGE).
  bool keep_ttl = false;
  // Opaque bytes stored with the entry and returned in EntryView::meta.
  std::string_view meta;
};

// Synchronous notification of every change, for cross-cutting observers (Redis WATCH, keyspace
// notifications, client tracking). Listeners must not mutate the engine from the callback.
enum class ChangeKind : uint8_t {
  kPut,             // new value (any writer)
  kDelete,          // Delete tombstone appended
  kPurge,           // Purge marker appended by a client
  kExpired,         // per-key TTL fired: Purge marker with reason kExpired appended
  kMaxAge,          // bucket max_age removed the key's newest value
  kExpiryChanged,   // expiry set or removed without a new revision (Redis EXPIRE/PERSIST)
  kRemoved,         // the key's last traces were removed by compaction (no new revision)
  kFlushed,         // the whole bucket was emptied (key is empty)
  kBucketDeleted,   // the bucket is gone (key is empty)
  kBucketsSwapped,  // bucket and the bucket named by `key` exchanged their contents (SWAPDB)
};

struct ChangeEvent {
  std::string_view bucket;
  std::string_view key;
  ChangeKind kind = ChangeKind::kPut;
  Revision revision = 0;  // revision appended, 0 when none
  bool created = false;   // kPut only: the key had no live value before (Redis "new" event)
};

class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  virtual void OnChange(const ChangeEvent& event) = 0;
};

// Validation helpers shared by both fronts.
bool IsValidBucketName(std::string_view name);  // [A-Za-z0-9_-]+
bool IsValidNatsKey(std::string_view key);  // [-/_=.A-Za-z0-9]+, no leading/trailing '.', no ".."

}  // namespace kvgate::engine

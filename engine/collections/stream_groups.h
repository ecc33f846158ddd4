// File: engine/collections/stream_groups.h
// A stream's consumer groups as Redis 7.0 keeps them (stream.h: streamCG, streamConsumer,
// streamNACK): each group has a last delivered ID, a logical reads counter (entries_read, -1
// when unknown), a pending entries list (PEL) of delivered but unacknowledged IDs, and its
// consumers, each with its own view of the PEL. Groups and consumers are kept in name order
// (bytewise, as Redis's radix trees iterate), the PELs in ID order. Times are milliseconds the
// caller passes in (the command's clock), never read here.
//
// While a file bucket logs a change (collection_delta.h), every mutator below appends what it
// did as a state operation (group, consumer or NACK as it now is), so an XACK costs a record of
// a few bytes, not the stream's image. Groups reached through StreamValue::groups() record;
// the loaders (codecs, RESTORE) build new values that record nothing.
//
//   StreamGroups groups;
//   StreamGroup* g = groups.Create("workers", {0, 0}, 0);
//   StreamConsumer* c = g->LookupOrCreate("alice", now_ms).first;
//   g->Deliver({1, 0}, "alice", now_ms);  // XREADGROUP >
//   g->Ack({1, 0});                       // XACK
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "engine/collections/sorted_chunks.h"
#include "engine/collections/stream_id.h"
#include "engine/detail/codec.h"

namespace kvgate::engine {

inline constexpr int64_t kInvalidEntriesRead = -1;  // Redis's SCG_INVALID_ENTRIES_READ

// One pending entry: when it was last delivered, how often, and to whom.
struct StreamNack {
  int64_t delivery_time_ms = 0;
  uint64_t delivery_count = 1;
  std::string consumer;
};

// A pending entries list: lookups stay a few cache lines deep with millions pending.
using StreamPel = SortedChunkMap<StreamId, StreamNack>;

struct StreamConsumer {
  int64_t seen_time_ms = 0;
  SortedChunkSet<StreamId> pel;  // the IDs of the group's PEL delivered last to this consumer
};

class StreamGroup {
 public:
  StreamGroup(StreamId last_id, int64_t entries_read)
      : last_id_(last_id), entries_read_(entries_read) {
  }

  StreamId last_id() const {
    return last_id_;
  }
  int64_t entries_read() const {
    return entries_read_;
  }
  // XGROUP SETID and XREADGROUP's progress (the caller computes the counter: stream_lag.h).
  void SetLastDelivered(StreamId id, int64_t entries_read);

  // The consumer `name`, or nullptr; a lookup that counts as activity refreshes seen_time.
  StreamConsumer* Lookup(std::string_view name);
  const StreamConsumer* Lookup(std::string_view name) const;
  void Touch(std::string_view name, StreamConsumer* c, int64_t now_ms);
  // The consumer `name`, created (seen now) when missing; second is true if it was created.
  std::pair<StreamConsumer*, bool> LookupOrCreate(std::string_view name, int64_t now_ms);
  // Removes consumer `name` and its pending entries from the group's PEL; returns how many
  // entries were pending for it, or -1 if there is no such consumer (XGROUP DELCONSUMER).
  int64_t DeleteConsumer(std::string_view name);

  // XREADGROUP delivering a new entry: a NACK for `consumer` (count 1, time now). An entry
  // already pending (the group's ID was moved back by XGROUP SETID) is reassigned to it.
  void Deliver(StreamId id, std::string_view consumer, int64_t now_ms);
  // XREADGROUP reading its history again: the entry is delivered once more.
  void Redeliver(StreamId id, StreamNack* nack, int64_t now_ms) {
    SetNack(id, nack, now_ms, nack->delivery_count + 1);
  }
  // XCLAIM's IDLE/TIME/RETRYCOUNT and XAUTOCLAIM: the pending entry's time and count.
  void SetNack(StreamId id, StreamNack* nack, int64_t delivery_time_ms, uint64_t count);
  // Moves a pending entry to `consumer` (XCLAIM, XAUTOCLAIM); creates the NACK when `create`
  // (XCLAIM FORCE) and it is missing. Returns the NACK, or nullptr.
  StreamNack* Claim(StreamId id, std::string_view consumer, bool create, int64_t now_ms);
  // XACK: true if `id` was pending.
  bool Ack(StreamId id);

  StreamNack* Pending(StreamId id);
  // Iterators and NACK pointers are invalidated by any insert or erase (sorted_chunks.h).
  const StreamPel& pel() const {
    return pel_;
  }
  // For loaders filling a new group: changes made here are not recorded.
  StreamPel& pel_for_load() {
    return pel_;
  }
  const std::map<std::string, StreamConsumer, std::less<>>& consumers() const {
    return consumers_;
  }
  // Heap bytes, roughly (MEMORY USAGE).
  uint64_t MemoryBytes() const;

 private:
  friend class StreamGroups;
  void RecordNack(StreamId id, const StreamNack& nack);

  StreamId last_id_;
  int64_t entries_read_ = kInvalidEntriesRead;
  StreamPel pel_;
  std::map<std::string, StreamConsumer, std::less<>> consumers_;
  // Where changes are recorded (nullptr: nowhere) and the group's name; set by StreamGroups
  // each time the group is reached through it.
  std::string* rec_ = nullptr;
  const std::string* name_ = nullptr;
};

class StreamGroups {
 public:
  // A new group; nullptr if one with this name exists (-BUSYGROUP).
  StreamGroup* Create(std::string_view name, StreamId last_id, int64_t entries_read);
  StreamGroup* Find(std::string_view name);
  const StreamGroup* Find(std::string_view name) const;
  bool Destroy(std::string_view name);
  size_t size() const {
    return groups_.size();
  }
  bool empty() const {
    return groups_.empty();
  }
  const std::map<std::string, StreamGroup, std::less<>>& all() const {
    return groups_;
  }
  uint64_t MemoryBytes() const;
  // StreamValue::groups(): the change being made is recorded in `ops` (nullptr: not).
  void RecordInto(std::string* ops) {
    rec_ = ops;
  }
  // Replays recorded operations (collection_delta.cc): false when one is malformed.
  bool Apply(uint8_t op, detail::Reader& r);

 private:
  StreamGroup* Reached(std::map<std::string, StreamGroup, std::less<>>::iterator it);

  std::map<std::string, StreamGroup, std::less<>> groups_;
  std::string* rec_ = nullptr;
};

}  // namespace kvgate::engine

// File: engine/collections/stream_value.h
// A Redis stream: entries with IDs (ms-seq, strictly increasing) holding field/value pairs. The
// entries live in nodes as Redis keeps them in listpacks: a node takes appends until it holds
// kNodeMaxEntries entries (deleted ones included) or its listpack would reach kNodeMaxBytes
// (Redis's stream-node-max-entries 100 / stream-node-max-bytes 4096, with the listpack's byte
// size computed as Redis encodes it), so `~` trims, which remove whole nodes only, remove what
// Redis removes. An append touches the last node only (O(1)); an ID is found by a binary search
// over the nodes' first IDs, then one within the node (O(log n)). XDEL flags an entry deleted,
// and a node goes once its last live entry does, as in Redis.
//
//   StreamValue s;
//   std::string_view fv[] = {"f", "v"};
//   s.Append({1, 0}, fv);                       // 1-0
//   s.Range({0, 0}, kMaxStreamId, false, 10, [](const StreamEntry& e) { ...; return true; });
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/collection.h"
#include "engine/collection_delta.h"
#include "engine/collections/stream_groups.h"
#include "engine/collections/stream_id.h"
#include "engine/function_ref.h"

namespace kvgate::engine {

// One entry as read: its ID and its pairs (views valid until the next change).
struct StreamEntry {
  StreamId id;
  uint32_t pairs = 0;
  std::string_view packed;  // pairs * 2 strings, each a 4-byte length and its bytes
  // fn(field, value) for each pair, in order.
  void ForEach(FunctionRef<void(std::string_view, std::string_view)> fn) const;
};

// One node as DUMP, MEMORY USAGE and XINFO see it (Redis's listpack and its radix-tree key).
struct StreamNodeView {
  StreamId master;                             // the first entry's ID, deleted or not
  std::span<const std::string> master_fields;  // the first entry's fields
  uint32_t live = 0;
  uint32_t deleted = 0;
  uint64_t lp_bytes = 0;  // Redis's listpack bytes for this node
};

// How to trim (XADD / XTRIM MAXLEN|MINID [=|~] [LIMIT n]).
struct StreamTrim {
  enum class By : uint8_t { kNone, kMaxLen, kMinId };
  By by = By::kNone;
  bool approx = false;
  uint64_t maxlen = 0;
  StreamId minid;
  int64_t limit = 0;  // entries one trim may remove at most (0: no bound)
};

class StreamValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kStream;
  static constexpr uint32_t kNodeMaxBytes = 4096;
  static constexpr uint32_t kNodeMaxEntries = 100;

  StreamValue() : Collection(kType) {
  }
  StreamValue(const StreamValue& other) = default;
  StreamValue& operator=(const StreamValue&) = delete;

  // Appends an entry with `id` (> last_id(): the caller checks) and `fv` (field, value, ...);
  // `new_node` starts a node whatever the fill rule says (RESTORE keeps the payload's nodes).
  void Append(StreamId id, std::span<const std::string_view> fv, bool new_node = false);
  // Flags the entry `id` deleted; false if there is no live entry with that ID.
  bool Delete(StreamId id);
  // Loading a saved stream (collection_codec.h): flags the newest entry (there must be one)
  // deleted, keeping its node even when no live entry is left in it, as Trim leaves a node
  // (Delete would drop it). IDs are not touched: the loader restores first_id and
  // max_deleted_id as they were saved.
  void FlagLastDeleted();
  // Removes entries from the head as `t` says, as Redis's streamTrim; returns how many went.
  uint64_t Trim(const StreamTrim& t);
  // Visits live entries with start <= ID <= end, ascending (or descending with `rev`), at most
  // `count` of them (0: all); fn returns false to stop. Returns how many were visited.
  size_t Range(StreamId start, StreamId end, bool rev, size_t count,
               FunctionRef<bool(const StreamEntry&)> fn) const;
  // The live entry with the lowest / highest ID; false when there is none.
  bool First(StreamEntry* out) const;
  bool Last(StreamEntry* out) const;

  StreamId last_id() const {
    return last_id_;
  }
  StreamId first_id() const {  // the first live entry's ID (0-0 when empty)
    return first_id_;
  }
  StreamId max_deleted_id() const {
    return max_deleted_;
  }
  uint64_t entries_added() const {
    return entries_added_;
  }
  // XSETID: the caller has checked the values against the entries.
  void SetLastId(StreamId id) {
    if (delta() != nullptr) delta::Put(delta(), delta::Op::kStreamLastId, id);
    last_id_ = id;
  }
  void SetEntriesAdded(uint64_t n) {
    if (delta() != nullptr) {
      delta::Put(delta(), delta::Op::kStreamEntriesAdded);
      detail::PutVarint(delta(), n);
    }
    entries_added_ = n;
  }
  void SetMaxDeletedId(StreamId id) {
    if (delta() != nullptr) delta::Put(delta(), delta::Op::kStreamMaxDeleted, id);
    max_deleted_ = id;
  }
  // RESTORE: the recorded first ID as the payload has it.
  void SetFirstId(StreamId id) {
    if (delta() != nullptr) delta::Put(delta(), delta::Op::kStreamFirstId, id);
    first_id_ = id;
  }
  // Nodes held (Redis's radix-tree-keys), oldest first.
  size_t node_count() const {
    return nodes_.size();
  }
  StreamNodeView NodeAt(size_t i) const;
  // Every entry of node `i`, deleted ones included (fn's second argument), in ID order.
  void NodeEntries(size_t i, FunctionRef<void(const StreamEntry&, bool)> fn) const;

  size_t size() const override {
    return length_;
  }
  bool RemovedWhenEmpty() const override {
    return false;
  }
  uint64_t MemoryBytes() const override {
    return sizeof(*this) + bytes_ + groups_.MemoryBytes();
  }
  // The stream's consumer groups (XGROUP, XREADGROUP, ...); their changes are recorded as
  // operations too (stream_groups.h).
  StreamGroups& groups() {
    groups_.RecordInto(delta());
    return groups_;
  }
  const StreamGroups& groups() const {
    return groups_;
  }
  std::string_view EncodingName() const override {
    return "stream";
  }
  std::unique_ptr<Collection> Clone() const override {
    return std::make_unique<StreamValue>(*this);
  }

 private:
  struct Slot {
    StreamId id;
    uint32_t off = 0;  // where its pairs start in the node's data
    uint32_t pairs = 0;
    bool deleted = false;
  };
  struct Node {
    std::vector<Slot> slots;  // ascending IDs, deleted ones included
    std::string data;
    std::vector<std::string> master_fields;  // the first entry's fields (listpack master entry)
    uint32_t live = 0;
    uint64_t lp_bytes = 0;  // the size Redis's listpack for this node would have
  };

  StreamEntry View(const Node& n, const Slot& s) const;
  // The node that would hold `id` (the last whose first ID <= id), or nodes_.size().
  size_t NodeFor(StreamId id) const;
  void DropNode(size_t i);
  uint64_t NodeBytes(const Node& n) const;
  void RecomputeFirst();

  std::deque<Node> nodes_;
  uint64_t length_ = 0;
  StreamId last_id_;
  StreamId first_id_;
  StreamId max_deleted_;
  uint64_t entries_added_ = 0;
  uint64_t bytes_ = 0;  // nodes' heap bytes (approximate)
  StreamGroups groups_;
};

}  // namespace kvgate::engine

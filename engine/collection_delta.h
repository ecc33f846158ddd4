// File: engine/collection_delta.h
// Collection changes as operations, for the redo log (DESIGN.md "Persistence"): while the
// engine logs a change of a file bucket's collection it sets the collection's delta buffer
// (Collection::set_delta) and each mutator appends what it did; the record then costs
// O(the change), not O(the collection). Replay applies the operations to the same state
// (ApplyCollectionDelta), through the same mutators, so the result is the same collection.
// A random change (SPOP) is recorded as what it removed.
//
//   std::string ops;  list.set_delta(&ops);  list.PushBack("x");  list.set_delta(nullptr);
//   ApplyCollectionDelta(other_list, ops);   // other_list had list's old state: now equal
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/collection.h"
#include "engine/detail/codec.h"

namespace kvgate::engine {

namespace delta {

enum class Op : uint8_t {
  kHashSet = 1,         // field, value
  kHashInsert,          // field, value (only if absent)
  kHashErase,           // field
  kHashTable,           // the listpack label goes
  kSetAdd,              // member, max intset entries
  kSetRemove,           // member
  kSetClear,            //
  kListPushFront,       // value
  kListPushBack,        // value
  kListPopFront,        //
  kListPopBack,         //
  kListSet,             // index, value
  kListInsert,          // index, value
  kListRemove,          // value, count
  kListTrim,            // front, back
  kZSet,                // member, score
  kZErase,              // member
  kZListpack,           // on
  kZClearNegZeros,      //
  kStreamAppend,        // id, new node, pairs count, field, value, ...
  kStreamDelete,        // id
  kStreamTrim,          // by, approx, maxlen, minid, limit
  kStreamLastId,        // id
  kStreamEntriesAdded,  // n
  kStreamMaxDeleted,    // id
  kStreamFirstId,       // id
  kStreamFlagLastDeleted,
  // Consumer groups (stream_groups.h), each the state it now has:
  kGroupPut,        // group, last delivered id, entries read (created when missing)
  kGroupDestroy,    // group
  kConsumerPut,     // group, consumer, seen time (created when missing)
  kConsumerDelete,  // group, consumer (its pending entries go with it)
  kNackPut,         // group, id, consumer, delivery time, delivery count (created or moved)
  kNackDelete,      // group, id
};

inline void Put(std::string* d, Op op) {
  detail::PutByte(d, static_cast<uint8_t>(op));
}
inline void Put(std::string* d, Op op, std::string_view a) {
  Put(d, op);
  detail::PutString(d, a);
}
inline void Put(std::string* d, Op op, std::string_view a, std::string_view b) {
  Put(d, op, a);
  detail::PutString(d, b);
}
inline void Put(std::string* d, Op op, std::string_view a, int64_t n) {
  Put(d, op, a);
  detail::PutSigned(d, n);
}
inline void Put(std::string* d, Op op, uint64_t a, std::string_view b) {
  Put(d, op);
  detail::PutVarint(d, a);
  detail::PutString(d, b);
}
inline void Put(std::string* d, Op op, uint64_t a, uint64_t b) {
  Put(d, op);
  detail::PutVarint(d, a);
  detail::PutVarint(d, b);
}
inline void Put(std::string* d, Op op, StreamId id) {
  Put(d, op);
  detail::PutId(d, id);
}
inline void PutScore(std::string* d, std::string_view member, double score) {
  Put(d, Op::kZSet, member);
  detail::PutDouble(d, score);
}

// Stops recording for a mutator's inner calls of other mutators (LTRIM's pops): the outer
// operation is recorded alone.
class Pause {
 public:
  explicit Pause(Collection* c) : c_(c), saved_(c->delta()) {
    c_->set_delta(nullptr);
  }
  ~Pause() {
    c_->set_delta(saved_);
  }
  Pause(const Pause&) = delete;
  Pause& operator=(const Pause&) = delete;

 private:
  Collection* c_;
  std::string* saved_;
};

}  // namespace delta

// Applies recorded operations to `c`; false when they are malformed or do not fit its type
// (the record is corrupt).
bool ApplyCollectionDelta(Collection& c, std::string_view ops);

}  // namespace kvgate::engine

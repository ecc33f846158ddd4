// File: engine/bucket_mutate.cc
// Changes to a key's collection in place (engine.h Bucket::Mutate): the collection is found (or
// made), copied first if another key shares it, changed by the caller's function, and the
// change becomes one new revision of the key, or a Delete when it left the collection empty.
// Memory and byte counts follow the collection's size change.
//
//   impl.Mutate("h", ValueType::kHash, {}, [](Collection& c) {
//     return static_cast<HashValue&>(c).table().Set("f", "v"); });
#include <string>

#include "engine/collection_delta.h"
#include "engine/detail/bucket_impl.h"

namespace kvgate::engine {

using detail::KeyNode;
using detail::Keyspace;

void BucketImpl::ResizedInPlace(uint64_t before, uint64_t after) {
  // The entry's accounted bytes and the memory counter held `before`: move them to the new
  // size before the append path reads them.
  if (after >= before) {
    bytes_ += after - before;
    mem_->Add(after - before);
  } else {
    bytes_ -= before - after;
    mem_->Sub(before - after);
  }
}

CollectionRef BucketImpl::WritableObject(const KeyNode& node, bool* in_place) {
  Collection* current = node.object();
  *in_place = current->refs() == 1;
  // Another key shares it: copy on write.
  return CollectionRef(*in_place ? current : current->Clone().release());
}

Result<Revision> BucketImpl::Mutate(std::string_view key, ValueType type, const MutateOptions& o,
                                    FunctionRef<bool(Collection&)> fn) {
  if (key.size() > UINT32_MAX) return Errc::kInvalidArgument;
  if (Status w = CheckWritable(); !w.ok()) return w.errc();
  const uint64_t hash = Keyspace::Hash(key);
  KeyNode* node = Lookup(key, hash);
  const bool live = node != nullptr && node->op == Op::kPut;
  CollectionRef object;
  bool in_place = false;
  if (live) {
    if (!node->is_typed() || node->object()->type() != type) return Errc::kWrongType;
    if (o.may_grow && core_->WouldExceed(1)) return Errc::kOutOfMemory;
    object = WritableObject(*node, &in_place);
  } else {
    if (!o.create) return {Errc::kNotFound, node != nullptr ? node->revision : 0};
    if (config_.max_keys >= 0 && live_keys_ >= static_cast<uint64_t>(config_.max_keys)) {
      return Errc::kBucketFull;
    }
    if (o.may_grow && core_->WouldExceed(1)) return Errc::kOutOfMemory;
    object = CollectionRef(NewCollection(type));
    if (!object) return Errc::kInvalidArgument;
  }
  if (in_place) CaptureForImage(*node);  // changed in place: an image may still need it
  const uint64_t before = in_place ? object->MemoryBytes() : 0;
  // A file bucket logs what the change did, not the whole collection (collection_delta.h).
  std::string ops;
  const bool record = Logging();
  if (record) object->set_delta(&ops);
  const bool changed = fn(*object);
  if (record) object->set_delta(nullptr);
  if (!changed) return Revision{0};
  if (in_place) ResizedInPlace(before, object->MemoryBytes());
  if (object->size() == 0 && object->RemovedWhenEmpty()) {
    if (!live) return Revision{0};  // made and emptied in one go: nothing to record
    Append(node, key, hash, Op::kDelete, MarkerReason::kNone, {}, {}, kNoExpiry, true);
    return last_rev_;
  }
  const UnixMillis expires = live && node->has_expiry() ? node->expires_at_ms() : kNoExpiry;
  // The operations unless they outgrow the collection itself (a rebuild: SPOP's Clear, ...).
  if (record && ops.size() <= 64 + object->MemoryBytes() / 2) {
    pending_delta_ = &ops;
  }
  Append(node, key, hash, Op::kPut, MarkerReason::kNone, {}, {}, expires, true, object.get());
  pending_delta_ = nullptr;
  return last_rev_;
}

}  // namespace kvgate::engine

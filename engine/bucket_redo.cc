// File: engine/bucket_redo.cc
// A bucket's side of the redo log (engine/redo.h): the records its changes write, the image
// that rebuilds it (snapshots, a bucket turning into a file bucket), and applying records on
// replay through the same paths the changes took, with the recorded times instead of the
// clock, so the state that comes back is the state that was logged.
//
//   impl.LogAppend(*node, /*rollup=*/false);      // from the append path
//   impl.ReplayRecord(RedoType::kRemove, reader);  // from Engine::Replay
#include "engine/collection_codec.h"
#include "engine/collection_delta.h"
#include "engine/detail/bucket_impl.h"

namespace kvgate::engine {

using detail::EntryBase;
using detail::KeyNode;
using detail::Keyspace;
using detail::RedoReader;
using detail::RedoType;
using detail::RedoWriter;

namespace {

void WriteEntry(RedoWriter& w, std::string_view bucket, const EntryBase& e, uint8_t flags) {
  w.Str(bucket);
  w.Str(e.key());
  w.Uint(e.revision);
  w.Int(e.created_ns);
  w.Byte(static_cast<uint8_t>(e.op));
  w.Byte(static_cast<uint8_t>(e.reason));
  if (e.is_typed()) flags |= detail::kRedoTyped;
  w.Byte(flags);
  w.Int(e.is_node() ? e.expires_at_ms() : kNoExpiry);
  w.Str(e.meta());
  if (e.is_typed()) {
    const Collection* c = e.object();
    w.Byte(static_cast<uint8_t>(c->type()));
    EncodeCollection(*c, w.out());
  } else {
    w.Str(e.value());
  }
  w.Finish();
}

}  // namespace

void BucketImpl::WriteEntryRecord(RedoBuffer* out, std::string_view bucket, const EntryBase& e) {
  RedoWriter w(out, RedoType::kAppend);
  const uint8_t trimmed = (e.owner()->flags & detail::kFlagTrimmed) ? detail::kRedoTrimmed : 0;
  WriteEntry(w, bucket, e, trimmed);
}

void BucketImpl::LogAppend(const KeyNode& node, bool rollup) {
  if (pending_delta_ != nullptr) {
    RedoWriter w(core_->redo, RedoType::kAppendDelta);
    w.Str(name_);
    w.Str(node.key());
    w.Uint(node.revision);
    w.Int(node.created_ns);
    w.Int(node.expires_at_ms());
    w.Byte(static_cast<uint8_t>(node.object()->type()));
    w.out()->append(*pending_delta_);
    w.Finish();
    return;
  }
  RedoWriter w(core_->redo, RedoType::kAppend);
  WriteEntry(w, name_, node, rollup ? detail::kRedoRollup : 0);
}

bool BucketImpl::ReplayDelta(RedoReader& r) {
  const std::string_view key = r.Str();
  const Revision rev = r.Uint();
  const UnixNanos created = r.Int();
  const UnixMillis expires = r.Int();
  const uint8_t t = r.Byte();
  if (!r.ok() || rev <= last_rev_ || key.size() > UINT32_MAX || t == 0 ||
      t > static_cast<uint8_t>(ValueType::kStream)) {
    return false;
  }
  const auto type = static_cast<ValueType>(t);
  const uint64_t hash = Keyspace::Hash(key);
  KeyNode* node = keys_.Find(key, hash);
  const bool live = node != nullptr && node->op == Op::kPut;
  // The same steps as Mutate: the key's collection (copied if shared), or a new one.
  CollectionRef object;
  bool in_place = false;
  if (live) {
    if (!node->is_typed() || node->object()->type() != type) return false;
    object = WritableObject(*node, &in_place);
  } else {
    object = CollectionRef(NewCollection(type));
  }
  const uint64_t before = in_place ? object->MemoryBytes() : 0;
  if (!ApplyCollectionDelta(*object, r.Rest())) return false;
  // An emptied collection is logged as a Delete (a stream stays, empty).
  if (object->size() == 0 && object->RemovedWhenEmpty()) return false;
  if (in_place) ResizedInPlace(before, object->MemoryBytes());
  last_rev_ = rev - 1;
  replay_now_ = created != 0 ? created : 1;
  Append(node, key, hash, Op::kPut, MarkerReason::kNone, {}, {}, expires, true, object.get());
  replay_now_ = 0;
  return true;
}

void BucketImpl::LogRemove(Revision rev) {
  RedoWriter w(core_->redo, RedoType::kRemove);
  w.Str(name_);
  w.Uint(rev);
  w.Finish();
}

void BucketImpl::LogExpiry(const KeyNode& node) {
  RedoWriter w(core_->redo, RedoType::kSetExpiry);
  w.Str(name_);
  w.Str(node.key());
  w.Int(node.expires_at_ms());
  w.Finish();
}

void BucketImpl::LogFlush() {
  RedoWriter w(core_->redo, RedoType::kFlush);
  w.Str(name_);
  w.Finish();
}

void BucketImpl::WriteImage(RedoBuffer* out) const {
  {
    RedoWriter w(out, RedoType::kBucketCreate);
    w.Str(name_);
    w.Int(created_ns_);
    w.Config(config_);
    w.Finish();
  }
  // Revision order: each key's older entries come before its newer ones, so appending them
  // in turn rebuilds every history chain.
  log_.Visit(1, detail::RevLog::kUnbounded, [&](Revision, const EntryBase* e) {
    WriteEntryRecord(out, name_, *e);
    return true;
  });
  RedoWriter w(out, RedoType::kBucketState);
  w.Str(name_);
  w.Uint(last_rev_);
  w.Uint(watermark_);
  w.Finish();
}

bool BucketImpl::ReplayRecord(RedoType type, RedoReader& r) {
  switch (type) {
    case RedoType::kAppend: {
      const std::string_view key = r.Str();
      const Revision rev = r.Uint();
      const UnixNanos created = r.Int();
      const uint8_t op = r.Byte();
      const uint8_t reason = r.Byte();
      const uint8_t flags = r.Byte();
      const UnixMillis expires = r.Int();
      const std::string_view meta = r.Str();
      if (!r.ok() || rev <= last_rev_ || op > static_cast<uint8_t>(Op::kPurge) ||
          reason > static_cast<uint8_t>(MarkerReason::kMaxAge) || key.size() > UINT32_MAX) {
        return false;
      }
      CollectionRef object;
      std::string_view value;
      if (flags & detail::kRedoTyped) {
        const uint8_t t = r.Byte();
        if (!r.ok()) return false;
        object = CollectionRef(DecodeCollection(static_cast<ValueType>(t), r.Rest()));
        if (!object) return false;
      } else {
        value = r.Str();
        if (!r.done()) return false;
      }
      const uint64_t hash = Keyspace::Hash(key);
      KeyNode* node = keys_.Find(key, hash);
      last_rev_ = rev - 1;
      replay_now_ = created != 0 ? created : 1;
      node = Append(node, key, hash, static_cast<Op>(op), static_cast<MarkerReason>(reason), value,
                    meta, static_cast<Op>(op) == Op::kPut ? expires : kNoExpiry,
                    (flags & detail::kRedoRollup) != 0, object.get());
      replay_now_ = 0;
      if (flags & detail::kRedoTrimmed) node->flags |= detail::kFlagTrimmed;
      return true;
    }
    case RedoType::kAppendDelta:
      return ReplayDelta(r);
    case RedoType::kSetExpiry: {
      const std::string_view key = r.Str();
      const UnixMillis expires = r.Int();
      if (!r.done()) return false;
      const uint64_t hash = Keyspace::Hash(key);
      KeyNode* node = keys_.Find(key, hash);
      if (node == nullptr || node->is_marker()) return false;
      ApplyExpiry(node, hash, expires);
      return true;
    }
    case RedoType::kRemove: {
      // Removing what is already gone is a no-op: an image holds a history shrink's result
      // before the sweep that logs each removal has reached it.
      const Revision rev = r.Uint();
      if (!r.done() || rev > last_rev_) return false;
      RemoveRevision(rev, ChangeKind::kRemoved);
      return true;
    }
    case RedoType::kFlush:
      if (!r.done()) return false;
      Flush();
      return true;
    case RedoType::kBucketState: {
      const Revision last = r.Uint();
      const Revision watermark = r.Uint();
      if (!r.done() || last < last_rev_ || watermark > last) return false;
      last_rev_ = last;
      watermark_ = watermark;
      tomb_sweep_ = 1;
      return true;
    }
    default:
      return false;
  }
}

}  // namespace kvgate::engine

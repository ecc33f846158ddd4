// File: engine/bucket_write.cc
// The write side of a bucket: client writes (Put/Create/Update/Delete/Purge/SetExpiry), the
// single append path every new entry goes through, and lazy expiry (a read that finds an expired
// value expires it first, appending the Purge marker the active sweep would have appended).
//
//   Result<Revision> r = impl.Put("k", "v", {});
//   Result<Revision> c = impl.Create("k", "v2", {});   // kAlreadyExists, detail == *r
//   Result<Revision> d = impl.Delete("k", {});          // tombstone; Create works again
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "engine/detail/bucket_impl.h"
#include "engine/detail/watch_impl.h"

namespace kvgate::engine {

using detail::EntryBase;
using detail::HistEntry;
using detail::KeyNode;
using detail::Keyspace;
using detail::kFlagTrimmed;

namespace {

ChangeKind KindOf(Op op, MarkerReason reason) {
  switch (op) {
    case Op::kPut:
      return ChangeKind::kPut;
    case Op::kDelete:
      return ChangeKind::kDelete;
    case Op::kPurge:
      break;
  }
  switch (reason) {
    case MarkerReason::kExpired:
      return ChangeKind::kExpired;
    case MarkerReason::kMaxAge:
      return ChangeKind::kMaxAge;
    case MarkerReason::kNone:
      break;
  }
  return ChangeKind::kPurge;
}

}  // namespace

BucketImpl::BucketImpl(Engine::Impl* core, std::string name, const BucketConfig& config)
    : core_(core),
      name_(std::move(name)),
      config_(config),
      created_ns_(core->clock.NowNs()),
      mem_(&core->memory),
      keys_(mem_),
      log_(mem_),
      ttl_(mem_),
      rng_(static_cast<uint64_t>(created_ns_) ^ 0x9E3779B97F4A7C15ull) {
}

BucketImpl::~BucketImpl() {
  if (keys_.size() != 0) core_->graveyard.push_back(keys_.Detach());
}

bool BucketImpl::ValidConfig(const BucketConfig& c) {
  return c.history >= 1 && c.history <= 64 && c.max_age_ns >= 0 && c.max_value_size >= -1 &&
         c.max_bytes >= -1 && c.max_keys >= -1 && c.tombstone_ttl_ns >= 0;
}

uint64_t BucketImpl::NextRandom() {
  // xorshift64*: RandomKey only needs cheap, well-spread numbers.
  rng_ ^= rng_ >> 12;
  rng_ ^= rng_ << 25;
  rng_ ^= rng_ >> 27;
  return rng_ * 0x2545F4914F6CDD1Dull;
}

bool BucketImpl::IsExpired(const EntryBase& e, UnixNanos now_ns) const {
  if (config_.max_age_ns > 0 && e.created_ns + config_.max_age_ns <= now_ns) return true;
  if (e.is_node() && e.op == Op::kPut && e.has_expiry()) {
    UnixMillis at = e.expires_at_ms();
    return at != kNoExpiry && at <= now_ns / 1'000'000;
  }
  return false;
}

void BucketImpl::CountNewest(const KeyNode& n, int sign) {
  if (n.op != Op::kPut) return;
  live_keys_ += static_cast<uint64_t>(sign);
  if (n.has_expiry() && n.expires_at_ms() != kNoExpiry)
    keys_with_ttl_ += static_cast<uint64_t>(sign);
}

KeyNode* BucketImpl::Lookup(std::string_view key, uint64_t hash, bool read) {
  KeyNode* n = keys_.Find(key, hash);
  if (n == nullptr) return nullptr;
  if (n->hist_count > config_.history) TrimHistory(n, config_.history);  // shrink in progress
  UnixNanos now = NowNs();
  if (IsExpired(*n, now)) {
    if (read && expiry_paused()) return nullptr;
    n = Expire(n, hash, now);
  }
  return n;
}

KeyNode* BucketImpl::Expire(KeyNode* node, uint64_t hash, UnixNanos now_ns) {
  bool aged = config_.max_age_ns > 0 && node->created_ns + config_.max_age_ns <= now_ns;
  if (aged) {
    // Every retained entry of the key is at least as old as its newest: all of them go.
    if (config_.marker_on_max_age && node->op == Op::kPut) {
      return Append(node, {}, hash, Op::kPurge, MarkerReason::kMaxAge, {}, {}, kNoExpiry, true);
    }
    RemoveKey(node, hash, node->op == Op::kPut ? ChangeKind::kMaxAge : ChangeKind::kRemoved);
    return nullptr;
  }
  return Append(node, {}, hash, Op::kPurge, MarkerReason::kExpired, {}, {}, kNoExpiry, true);
}

KeyNode* BucketImpl::Append(KeyNode* node, std::string_view key, uint64_t hash, Op op,
                            MarkerReason reason, std::string_view value, std::string_view meta,
                            UnixMillis expires_at_ms, bool rollup, Collection* object) {
  UnixNanos now = NowNs();
  Collection* old_object = node != nullptr && node->is_typed() ? node->object() : nullptr;
  char object_bytes[sizeof(Collection*)];
  if (object != nullptr) {
    std::memcpy(object_bytes, &object, sizeof object);
    value = {object_bytes, sizeof object_bytes};
    rollup = true;
  }
  Revision rev = ++last_rev_;
  ++redo_quiet_;  // the trimming and rollup below follow from this record on replay
  bool expiry = op == Op::kPut && expires_at_ms != kNoExpiry;
  // An expired value was already replaced by its marker on lookup, so this covers expiry too.
  bool created = op == Op::kPut && (node == nullptr || node->op != Op::kPut);
  if (node == nullptr) {
    node = detail::NewKeyNode(key, value, meta, expiry, mem_);
    keys_.Insert(node, hash);
    node->hist_count = 0;
    if (watches_.MayWatchExact(hash)) node->flags |= detail::kFlagWatched;
  } else {
    CaptureForImage(*node);  // it goes, or becomes history without its expiry
    CountNewest(*node, -1);
    if (node->op == Op::kPut && node->has_expiry()) ttl_.MarkStale();
    if (!rollup && config_.history > 1 && old_object == nullptr) {
      // The old newest entry becomes history: copy it out so the node can take the new one.
      HistEntry* h = detail::NewHistFrom(node, mem_);
      h->older = node->older;
      node->older = h;
      log_.Set(h->revision, h);
    } else {
      // Superseded (history 1) or rolled up: the old newest entry goes.
      log_.Remove(node->revision);
      --entries_;
      bytes_ -= node->AccountedBytes();
      --node->hist_count;
      node->flags |= kFlagTrimmed;
      if (rollup) {
        while (node->older != nullptr) RemoveOlder(node, nullptr, node->older);
      }
    }
    KeyNode* moved = detail::RewriteKeyNode(node, value, meta, expiry, mem_);
    if (moved != node) {
      keys_.Replace(node, moved, hash);
      for (HistEntry* h = moved->older; h != nullptr; h = h->older) h->node = moved;
      node = moved;
    }
  }
  if (object != nullptr) {
    node->flags |= detail::kFlagTyped;
  } else {
    node->flags &= static_cast<uint8_t>(~detail::kFlagTyped);
  }
  if (old_object != object) {
    if (old_object != nullptr) detail::DetachObject(old_object, mem_);
    if (object != nullptr) detail::AttachObject(object, mem_);
  }
  node->revision = rev;
  node->created_ns = now;
  node->op = op;
  node->reason = reason;
  ++node->hist_count;
  if (expiry) node->set_expires_at_ms(expires_at_ms);
  log_.Append(rev, node);
  ++entries_;
  bytes_ += node->AccountedBytes();
  CountNewest(*node, +1);
  if (expiry) ttl_.Push(expires_at_ms, rev);
  if (node->hist_count > config_.history) TrimHistory(node, config_.history);
  --redo_quiet_;
  if (Logging()) LogAppend(*node, rollup);
  Dispatch(node, hash, KindOf(op, reason), created);
  return node;
}

void BucketImpl::Dispatch(KeyNode* node, uint64_t hash, ChangeKind kind, bool created) {
  Revision rev = node->revision;
  bool hinted = (node->flags & detail::kFlagWatched) != 0;
  bool exact = watches_.ForEachMatching(node->key(), hash, hinted, [&](WatchImpl* w) {
    if (w->stamp_ == rev) return;  // several of its filters matched: deliver once
    w->stamp_ = rev;
    w->OnAppend(*node);
  });
  if (!exact) node->flags &= static_cast<uint8_t>(~detail::kFlagWatched);
  Notify(node->key(), kind, rev, created);
}

// ---- client writes ----

namespace {

// Lengths are stored in 32-bit fields (detail/entry.h).
constexpr uint64_t kMaxLen = UINT32_MAX;

// Shared precondition of every write: the key and meta fit the entry layout.
Status CheckKey(std::string_view key, const WriteOptions& o) {
  if (key.size() > kMaxLen) return Errc::kInvalidArgument;
  if (o.meta.size() > kMaxLen) return Errc::kValueTooLarge;
  return {};
}

// Shared precondition of every value write.
Status CheckValue(const BucketConfig& c, std::string_view key, std::string_view value,
                  const WriteOptions& o) {
  if (Status s = CheckKey(key, o); !s.ok()) return s;
  if (value.size() > kMaxLen || value.size() + o.meta.size() > kMaxLen) {
    return Errc::kValueTooLarge;
  }
  if (o.expire_at_ms != kNoExpiry && !o.keep_ttl && !c.allow_key_ttl) {
    return Errc::kTtlNotAllowed;
  }
  if (c.max_value_size >= 0 &&
      value.size() + o.meta.size() > static_cast<uint64_t>(c.max_value_size)) {
    return Errc::kValueTooLarge;
  }
  return {};
}

}  // namespace

// Stores a new value over `node` (nullptr: absent key) after the quota checks.
static Result<Revision> PutChecked(BucketImpl* b, BucketImpl::KeyNode* node, std::string_view key,
                                   uint64_t hash, std::string_view value, const WriteOptions& o,
                                   Collection* object = nullptr) {
  const BucketConfig& c = b->config_;
  bool new_live = node == nullptr || node->is_marker();
  if (new_live && c.max_keys >= 0 && b->live_keys_ >= static_cast<uint64_t>(c.max_keys)) {
    return Errc::kBucketFull;
  }
  const uint64_t object_bytes = object != nullptr ? object->MemoryBytes() : 0;
  uint64_t add = key.size() + value.size() + o.meta.size() + object_bytes;
  // Bytes the write frees: the entry that history trimming will drop, if any.
  uint64_t freed = 0;
  if (node != nullptr && node->hist_count >= c.history) {
    const detail::EntryBase* oldest = node;
    while (oldest->older != nullptr) oldest = oldest->older;
    freed = oldest->AccountedBytes();
  }
  if (c.max_bytes >= 0 && b->bytes_ + add > static_cast<uint64_t>(c.max_bytes) + freed) {
    return Errc::kBucketFull;
  }
  bool expiry = o.expire_at_ms != kNoExpiry;
  UnixMillis expires = o.expire_at_ms;
  if (o.keep_ttl) {
    bool live = node != nullptr && node->op == Op::kPut;
    expires = live && node->has_expiry() ? node->expires_at_ms() : kNoExpiry;
    expiry = expires != kNoExpiry;
  }
  size_t need =
      detail::KeyNodeSize(key.size(), value.size(), o.meta.size(), expiry) + 16 + object_bytes;
  if (node != nullptr && c.history > 1) need += sizeof(detail::HistEntry) + node->value_len;
  if (b->core_->WouldExceed(need)) return Errc::kOutOfMemory;
  b->Append(node, key, hash, Op::kPut, MarkerReason::kNone, value, o.meta, expires, false, object);
  return b->last_rev_;
}

Result<Revision> BucketImpl::PutObject(std::string_view key, Collection* object,
                                       const WriteOptions& o) {
  if (Status w = CheckWritable(); !w.ok()) return w.errc();
  if (Status s = CheckValue(config_, key, {}, o); !s.ok()) return s.errc();
  if (object == nullptr || (object->size() == 0 && object->RemovedWhenEmpty())) {
    return Errc::kInvalidArgument;
  }
  uint64_t hash = Keyspace::Hash(key);
  KeyNode* node = Lookup(key, hash);
  Revision cur = node != nullptr ? node->revision : 0;
  if (o.expected_revision && *o.expected_revision != cur) return {Errc::kWrongRevision, cur};
  return PutChecked(this, node, key, hash, {}, o, object);
}

Result<Revision> BucketImpl::Put(std::string_view key, std::string_view value,
                                 const WriteOptions& o) {
  if (Status w = CheckWritable(); !w.ok()) return w.errc();
  if (Status s = CheckValue(config_, key, value, o); !s.ok()) return s.errc();
  uint64_t hash = Keyspace::Hash(key);
  KeyNode* node = Lookup(key, hash);
  Revision cur = node != nullptr ? node->revision : 0;
  if (o.expected_revision && *o.expected_revision != cur) return {Errc::kWrongRevision, cur};
  return PutChecked(this, node, key, hash, value, o);
}

Result<Revision> BucketImpl::Create(std::string_view key, std::string_view value,
                                    const WriteOptions& o) {
  if (Status w = CheckWritable(); !w.ok()) return w.errc();
  if (Status s = CheckValue(config_, key, value, o); !s.ok()) return s.errc();
  uint64_t hash = Keyspace::Hash(key);
  KeyNode* node = Lookup(key, hash);
  Revision cur = node != nullptr ? node->revision : 0;
  if (node != nullptr && node->op == Op::kPut) return {Errc::kAlreadyExists, cur};
  if (o.expected_revision && *o.expected_revision != cur) return {Errc::kWrongRevision, cur};
  return PutChecked(this, node, key, hash, value, o);
}

Result<Revision> BucketImpl::Update(std::string_view key, std::string_view value, Revision expected,
                                    const WriteOptions& o) {
  if (Status w = CheckWritable(); !w.ok()) return w.errc();
  if (Status s = CheckValue(config_, key, value, o); !s.ok()) return s.errc();
  uint64_t hash = Keyspace::Hash(key);
  KeyNode* node = Lookup(key, hash);
  Revision cur = node != nullptr ? node->revision : 0;
  if (expected != cur) return {Errc::kWrongRevision, cur};
  return PutChecked(this, node, key, hash, value, o);
}

Result<Revision> BucketImpl::Delete(std::string_view key, const WriteOptions& o) {
  if (Status w = CheckWritable(); !w.ok()) return w.errc();
  if (Status s = CheckKey(key, o); !s.ok()) return s.errc();
  uint64_t hash = Keyspace::Hash(key);
  KeyNode* node = Lookup(key, hash);
  Revision cur = node != nullptr ? node->revision : 0;
  if (o.expected_revision && *o.expected_revision != cur) return {Errc::kWrongRevision, cur};
  Append(node, key, hash, Op::kDelete, MarkerReason::kNone, {}, o.meta, kNoExpiry, false);
  return last_rev_;
}

Result<Revision> BucketImpl::Purge(std::string_view key, const WriteOptions& o) {
  if (Status w = CheckWritable(); !w.ok()) return w.errc();
  if (Status s = CheckKey(key, o); !s.ok()) return s.errc();
  uint64_t hash = Keyspace::Hash(key);
  KeyNode* node = Lookup(key, hash);
  Revision cur = node != nullptr ? node->revision : 0;
  if (o.expected_revision && *o.expected_revision != cur) return {Errc::kWrongRevision, cur};
  Append(node, key, hash, Op::kPurge, MarkerReason::kNone, {}, o.meta, kNoExpiry, true);
  return last_rev_;
}

Status BucketImpl::SetExpiry(std::string_view key, UnixMillis expire_at_ms) {
  if (Status w = CheckWritable(); !w.ok()) return w.errc();
  if (expire_at_ms != kNoExpiry && !config_.allow_key_ttl) return Errc::kTtlNotAllowed;
  uint64_t hash = Keyspace::Hash(key);
  KeyNode* node = Lookup(key, hash);
  if (node == nullptr || node->is_marker()) return Errc::kNotFound;
  UnixNanos now = NowNs();
  if (expire_at_ms != kNoExpiry && expire_at_ms <= now / 1'000'000) {
    Append(node, {}, hash, Op::kPurge, MarkerReason::kExpired, {}, {}, kNoExpiry, true);
    return {};
  }
  ApplyExpiry(node, hash, expire_at_ms);
  return {};
}

void BucketImpl::ApplyExpiry(KeyNode* node, uint64_t hash, UnixMillis expire_at_ms) {
  CaptureForImage(*node);
  bool had = node->has_expiry() && node->expires_at_ms() != kNoExpiry;
  bool want = expire_at_ms != kNoExpiry;
  if (had) {
    ttl_.MarkStale();
    --keys_with_ttl_;
  }
  if (want != node->has_expiry()) {
    // The expiry word is part of the node layout: re-lay it out (same value, same revision).
    KeyNode* moved = detail::RewriteKeyNode(node, node->value(), node->meta(), want, mem_);
    if (moved != node) {
      keys_.Replace(node, moved, hash);
      log_.Set(moved->revision, moved);
      for (HistEntry* h = moved->older; h != nullptr; h = h->older) h->node = moved;
      node = moved;
    }
  }
  if (want) {
    node->set_expires_at_ms(expire_at_ms);
    ttl_.Push(expire_at_ms, node->revision);
    ++keys_with_ttl_;
  }
  if (Logging()) LogExpiry(*node);
  Notify(node->key(), ChangeKind::kExpiryChanged, 0);
}

}  // namespace kvgate::engine

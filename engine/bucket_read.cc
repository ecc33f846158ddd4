// File: engine/bucket_read.cc
// The read side of a bucket. Reads never return expired data: the key being read is expired
// first (lazy expiry, which may append a Purge marker), and entries met while iterating are
// checked against the clock.
//
//   Result<EntryView> e = impl.Get("k");             // live Put only
//   Result<EntryView> t = impl.GetLatest("k");       // tombstones too (NATS direct get)
//   Revision next = impl.Scan(0, 100, KeyFilter::All(), fn);   // 0 when complete
#include <algorithm>

#include "engine/detail/bucket_impl.h"

namespace kvgate::engine {

using detail::EntryBase;
using detail::KeyNode;
using detail::Keyspace;

Result<EntryView> BucketImpl::Get(std::string_view key) {
  KeyNode* n = Lookup(key, Keyspace::Hash(key), /*read=*/true);
  if (n == nullptr || n->is_marker()) return Errc::kNotFound;
  return n->View();
}

Result<EntryView> BucketImpl::GetLatest(std::string_view key) {
  KeyNode* n = Lookup(key, Keyspace::Hash(key), /*read=*/true);
  if (n == nullptr) return Errc::kNotFound;
  return n->View();
}

Result<EntryView> BucketImpl::GetAt(std::string_view key, Revision revision) {
  KeyNode* n = Lookup(key, Keyspace::Hash(key), /*read=*/true);
  if (n == nullptr) return Errc::kNotFound;
  const EntryBase* e = log_.Find(revision);
  if (e == nullptr || e->owner() != n || IsExpired(*e, NowNs())) return Errc::kNotFound;
  return e->View();
}

Result<EntryView> BucketImpl::GetByRevision(Revision revision) {
  EntryBase* e = log_.Find(revision);
  if (e == nullptr) return Errc::kNotFound;
  if (KeyNode* owner = e->owner(); owner->hist_count > config_.history) {
    TrimHistory(owner, config_.history);  // a history shrink is still sweeping
    e = log_.Find(revision);
    if (e == nullptr) return Errc::kNotFound;
  }
  UnixNanos now = NowNs();
  if (IsExpired(*e, now)) {
    if (e->is_node() && !expiry_paused()) {
      auto* n = static_cast<KeyNode*>(e);
      Expire(n, Keyspace::Hash(n->key()), now);
    }
    return Errc::kNotFound;
  }
  return e->View();
}

Result<EntryView> BucketImpl::GetNextMatching(Revision from, const KeyFilter& filter) {
  from = std::max<Revision>(from, 1);
  UnixNanos now = NowNs();
  if (filter.kind() == KeyFilter::Kind::kExact) {
    KeyNode* n = Lookup(filter.text(), Keyspace::Hash(filter.text()), /*read=*/true);
    const EntryBase* best = nullptr;
    for (const EntryBase* e = n; e != nullptr; e = e->older) {
      if (e->revision >= from && !IsExpired(*e, now)) best = e;  // chain is newest first
    }
    if (best == nullptr) return Errc::kNotFound;
    return best->View();
  }
  const EntryBase* found = nullptr;
  log_.Visit(from, detail::RevLog::kUnbounded, [&](Revision, const EntryBase* e) {
    if (!filter.Matches(e->key()) || IsExpired(*e, now)) return true;
    found = e;
    return false;
  });
  if (found == nullptr) return Errc::kNotFound;
  return found->View();
}

Result<EntryView> BucketImpl::GetAsOf(std::string_view key, Revision revision) {
  KeyNode* n = Lookup(key, Keyspace::Hash(key), /*read=*/true);
  // Newest retained entry <= revision. Removal always takes a key's oldest entries first, so
  // if one exists, every newer entry <= revision is retained too and it is the answer.
  for (const EntryBase* e = n; e != nullptr; e = e->older) {
    if (e->revision <= revision) {
      // Past max_age: as good as removed (the sweep will), so the answer is gone.
      if (IsExpired(*e, NowNs())) return {Errc::kCursorExpired, watermark_};
      if (e->is_marker()) return Errc::kNotFound;
      return e->View();
    }
  }
  bool trimmed = n != nullptr && (n->flags & detail::kFlagTrimmed) != 0;
  if (trimmed || revision < watermark_) return {Errc::kCursorExpired, watermark_};
  return Errc::kNotFound;
}

std::vector<EntryView> BucketImpl::History(std::string_view key) {
  std::vector<EntryView> out;
  KeyNode* n = Lookup(key, Keyspace::Hash(key), /*read=*/true);
  UnixNanos now = NowNs();
  for (const EntryBase* e = n; e != nullptr; e = e->older) {
    if (!IsExpired(*e, now)) out.push_back(e->View());
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Revision BucketImpl::Scan(Revision cursor, size_t count, const KeyFilter& filter,
                          const std::function<void(const EntryView&)>& fn) {
  UnixNanos now = NowNs();
  std::vector<KeyNode*> expired;
  Revision next = log_.Visit(std::max<Revision>(cursor, 1), std::max<size_t>(count, 1),
                             [&](Revision, EntryBase* e) {
                               if (!e->is_node() || e->is_marker()) return true;
                               if (IsExpired(*e, now)) {
                                 expired.push_back(static_cast<KeyNode*>(e));
                               } else if (filter.Matches(e->key())) {
                                 fn(e->View());
                               }
                               return true;
                             });
  // Expire after the walk: the log must not change under Visit.
  if (!expiry_paused()) {
    for (KeyNode* n : expired) Expire(n, Keyspace::Hash(n->key()), now);
  }
  return next;
}

Result<EntryView> BucketImpl::RandomKey() {
  UnixNanos now = NowNs();
  for (int attempt = 0; attempt < 64 && live_keys_ > 0; ++attempt) {
    KeyNode* n = keys_.Random(NextRandom());
    if (n == nullptr) break;
    if (n->is_marker()) continue;
    if (IsExpired(*n, now)) {
      if (!expiry_paused()) Expire(n, Keyspace::Hash(n->key()), now);
      continue;
    }
    return n->View();
  }
  // Mostly tombstones or expired keys: fall back to the first live key in revision order,
  // expiring the expired values met on the way (after the walk: Visit forbids mutation).
  std::vector<KeyNode*> stale;
  KeyNode* found = nullptr;
  if (live_keys_ > 0) {
    log_.Visit(1, detail::RevLog::kUnbounded, [&](Revision, EntryBase* e) {
      if (!e->is_node() || e->is_marker()) return true;
      if (IsExpired(*e, now)) {
        stale.push_back(static_cast<KeyNode*>(e));
        return true;
      }
      found = static_cast<KeyNode*>(e);
      return false;
    });
  }
  if (!expiry_paused()) {
    for (KeyNode* n : stale) Expire(n, Keyspace::Hash(n->key()), now);
  }
  if (found == nullptr) return Errc::kNotFound;
  return found->View();
}

BucketStatus BucketImpl::GetStatus() const {
  BucketStatus s;
  s.name = name_;
  s.config = config_;
  s.created_ns = created_ns_;
  s.entries = entries_;
  s.bytes = bytes_;
  s.keys = keys_.size();
  s.live_keys = live_keys_;
  s.keys_with_ttl = keys_with_ttl_;
  s.last_revision = last_rev_;
  s.watermark = watermark_;
  Revision first = log_.First();
  s.first_revision = first != 0 ? first : last_rev_ + 1;
  if (first != 0) {
    s.first_ns = log_.Find(first)->created_ns;
    s.last_ns = log_.Find(log_.Last())->created_ns;
  }
  return s;
}

}  // namespace kvgate::engine

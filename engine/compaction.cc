// File: engine/compaction.cc
// Removing entries. Two kinds, and the difference is the whole cursor contract (DESIGN.md
// "Compaction and cursors"): removing SUPERSEDED history (trimming, rollup, Compact of old
// revisions) never breaks a consumer's convergence; removing a key's LAST TRACE (its newest value
// or tombstone: tombstone_ttl, max_age, PurgeEntries, Flush) does, so it raises the bucket
// watermark and fails watches that were still owed that entry.
//
//   impl.TrimHistory(node, 1);                 // superseded only, watermark unchanged
//   impl.RemoveKey(node, hash, ChangeKind::kRemoved);  // watermark >= node's revision
//   size_t budget = 2000; impl.Tick(&budget);  // TTL, max_age and tombstone sweeps
#include <algorithm>
#include <utility>

#include "engine/detail/bucket_impl.h"
#include "engine/detail/watch_impl.h"

namespace kvgate::engine {

using detail::EntryBase;
using detail::HistEntry;
using detail::KeyNode;
using detail::Keyspace;

void BucketImpl::RemoveOlder(KeyNode* node, HistEntry* prev, HistEntry* h) {
  CaptureForImage(*h);
  if (Logging()) LogRemove(h->revision);
  (prev != nullptr ? prev->older : node->older) = h->older;
  log_.Remove(h->revision);
  --entries_;
  bytes_ -= h->AccountedBytes();
  --node->hist_count;
  node->flags |= detail::kFlagTrimmed;
  detail::FreeEntry(h, mem_);
}

void BucketImpl::TrimHistory(KeyNode* node, uint32_t keep) {
  if (node->hist_count <= keep) return;
  // Walk to the last entry to keep; everything older goes.
  EntryBase* cut = node;
  for (uint32_t i = 1; i < keep && cut->older != nullptr; ++i) cut = cut->older;
  HistEntry* prev = cut == node ? nullptr : static_cast<HistEntry*>(cut);
  while (cut->older != nullptr) RemoveOlder(node, prev, cut->older);
}

void BucketImpl::RemoveKey(KeyNode* node, uint64_t hash, ChangeKind kind) {
  CaptureForImage(*node);
  if (Logging()) LogRemove(node->revision);
  ++redo_quiet_;  // the record above removes the older entries too
  while (node->older != nullptr) RemoveOlder(node, nullptr, node->older);
  --redo_quiet_;
  Revision rev = node->revision;
  CountNewest(*node, -1);
  if (node->op == Op::kPut && node->has_expiry()) ttl_.MarkStale();
  log_.Remove(rev);
  --entries_;
  bytes_ -= node->AccountedBytes();
  keys_.Erase(node, hash);
  watermark_ = std::max(watermark_, rev);
  Op op = node->op;
  watches_.ForEachMatching(node->key(), hash, (node->flags & detail::kFlagWatched) != 0,
                           [&](WatchImpl* w) { w->OnLastTraceRemoved(rev, op); });
  Notify(node->key(), kind, 0);
  detail::DetachObjectOf(node, mem_);
  detail::FreeEntry(node, mem_);
}

namespace {

// Finds the chain predecessor of a history entry (nullptr: it hangs off the node).
HistEntry* PrevOf(KeyNode* node, const HistEntry* h) {
  HistEntry* prev = nullptr;
  for (HistEntry* p = node->older; p != nullptr && p != h; p = p->older) prev = p;
  return prev;
}

}  // namespace

// Superseded history is simply dropped; a key's newest entry takes the whole key with it (its
// older entries precede it in every caller's revision-ordered walk, so in practice there are
// none left).
void BucketImpl::RemoveRevision(Revision rev, ChangeKind kind) {
  EntryBase* e = log_.Find(rev);
  if (e == nullptr) return;
  if (e->is_node()) {
    auto* n = static_cast<KeyNode*>(e);
    RemoveKey(n, Keyspace::Hash(n->key()), kind);
    return;
  }
  auto* h = static_cast<HistEntry*>(e);
  RemoveOlder(h->node, PrevOf(h->node, h), h);
}

namespace {
// Entries an API call examines synchronously before leaving the rest to Tick (~a few ms).
constexpr size_t kSyncSweepBudget = 20'000;
}  // namespace

uint64_t BucketImpl::StartJob(SweepJob job) {
  job.upto = job.upto == 0 ? last_rev_ : std::min(job.upto, last_rev_);
  size_t budget = kSyncSweepBudget;
  uint64_t removed = RunJob(job, &budget);
  if (job.cursor != 0) jobs_.push_back(job);
  return removed;
}

uint64_t BucketImpl::RunJob(SweepJob& job, size_t* budget) {
  uint64_t before = entries_;
  std::vector<Revision> batch;
  while (job.cursor != 0 && *budget > 0) {
    size_t slice = std::min<size_t>(*budget, 1024);
    size_t examined = 0;
    bool past = false;
    batch.clear();
    Revision next = log_.Visit(job.cursor, slice, [&](Revision r, const EntryBase* e) {
      if (r > job.upto) {
        past = true;
        return false;
      }
      ++examined;
      bool pick = false;
      switch (job.kind) {
        case SweepJob::Kind::kTombstones:
          pick = e->is_node() && e->is_marker() &&
                 (job.older_than == 0 || e->created_ns < job.older_than);
          break;
        case SweepJob::Kind::kCompact:
          pick = !e->is_node() || e->is_marker();
          break;
        case SweepJob::Kind::kTrim:
          pick = e->is_node() && e->hist_count > config_.history;
          break;
      }
      if (pick) batch.push_back(r);
      return true;
    });
    *budget -= std::min(*budget, std::max<size_t>(examined, 1));
    job.cursor = past ? 0 : next;
    for (Revision r : batch) {
      if (job.kind == SweepJob::Kind::kTrim) {
        EntryBase* e = log_.Find(r);
        if (e != nullptr && e->is_node()) {
          TrimHistory(static_cast<KeyNode*>(e), config_.history);
        }
      } else {
        RemoveRevision(r, ChangeKind::kRemoved);
      }
    }
  }
  return before - entries_;
}

uint64_t BucketImpl::RemoveTombstones(UnixNanos older_than_ns) {
  SweepJob job{SweepJob::Kind::kTombstones};
  job.older_than = older_than_ns;
  return StartJob(job);
}

uint64_t BucketImpl::Compact(Revision revision) {
  if (revision == 0) return 0;
  SweepJob job{SweepJob::Kind::kCompact};
  job.upto = revision;
  return StartJob(job);
}

uint64_t BucketImpl::PurgeEntries(const KeyFilter& filter, uint64_t keep, Revision below) {
  uint64_t before = entries_;
  auto eligible = [&](Revision r, const EntryBase* e) {
    return (below == 0 || r < below) && filter.Matches(e->key());
  };
  std::vector<Revision> revs;
  if (filter.kind() == KeyFilter::Kind::kExact) {
    // One key: its own chain, no log walk.
    KeyNode* n = keys_.Find(filter.text(), Keyspace::Hash(filter.text()));
    for (const EntryBase* e = n; e != nullptr; e = e->older) {
      if (eligible(e->revision, e)) revs.push_back(e->revision);
    }
    std::reverse(revs.begin(), revs.end());
  } else {
    log_.Visit(1, detail::RevLog::kUnbounded, [&](Revision r, const EntryBase* e) {
      if (below != 0 && r >= below) return false;
      if (eligible(r, e)) revs.push_back(r);
      return true;
    });
  }
  size_t remove = revs.size();
  if (keep > 0) remove = keep >= revs.size() ? 0 : revs.size() - keep;
  for (size_t i = 0; i < remove; ++i) RemoveRevision(revs[i], ChangeKind::kRemoved);
  return before - entries_;
}

uint64_t BucketImpl::Flush() {
  FinishImageNow();  // everything goes: an image still writing this bucket takes it first
  if (Logging()) LogFlush();
  uint64_t removed = entries_;
  if (keys_.size() != 0) core_->graveyard.push_back(keys_.Detach());  // freed by Tick
  log_.Clear();
  ttl_.Clear();
  jobs_.clear();
  entries_ = bytes_ = live_keys_ = keys_with_ttl_ = 0;
  watermark_ = last_rev_;
  tomb_sweep_ = last_rev_ + 1;
  std::vector<WatchImpl*> watches = watches_.watches();
  for (WatchImpl* w : watches) w->OnFlush(watermark_);
  Notify({}, ChangeKind::kFlushed, 0);
  return removed;
}

Status BucketImpl::Reconfigure(const BucketConfig& config) {
  BucketConfig old = std::exchange(config_, config);
  // Keys read in the meantime are trimmed on access (Lookup), so the shrink is exact at once.
  // The first slice follows from the config record on replay; later slices (Tick) are logged.
  ++redo_quiet_;
  if (config.history < old.history) StartJob(SweepJob{SweepJob::Kind::kTrim});
  --redo_quiet_;
  if (config.tombstone_ttl_ns != old.tombstone_ttl_ns) tomb_sweep_ = 1;
  return {};
}

void BucketImpl::OnDeleted() {
  std::vector<WatchImpl*> watches = watches_.watches();
  for (WatchImpl* w : watches) w->OnBucketDeleted();
}

void BucketImpl::OnReplaced() {
  std::vector<WatchImpl*> watches = watches_.watches();
  for (WatchImpl* w : watches) {
    Unregister(w);
    w->OnBucketDeleted();
  }
}

bool BucketImpl::Tick(size_t* budget) {
  UnixNanos now = NowNs();
  UnixMillis now_ms = now / 1'000'000;
  // Nothing expires while paused (Engine::PauseExpiry); deadlines stay queued for later.
  const bool expire = !expiry_paused();
  // Per-key TTL: pop due deadlines; stale items (value replaced, expiry changed) are dropped.
  while (expire && *budget > 0 && !ttl_.empty() && ttl_.top().deadline <= now_ms) {
    --*budget;
    detail::DeadlineHeap::Item it = ttl_.Pop();
    EntryBase* e = log_.Find(it.revision);
    if (e == nullptr || !e->is_node() || e->op != Op::kPut || !e->has_expiry() ||
        e->expires_at_ms() != it.deadline) {
      ttl_.PoppedStale();
      continue;
    }
    auto* n = static_cast<KeyNode*>(e);
    Expire(n, Keyspace::Hash(n->key()), now);
  }
  if (ttl_.WantsRebuild()) ttl_.StartRebuild();
  if (ttl_.rebuilding() && *budget > 0) {
    size_t step = std::min<size_t>(*budget, 1024);
    *budget -= step;
    ttl_.RebuildStep(step, [&](const detail::DeadlineHeap::Item& it) {
      const EntryBase* e = log_.Find(it.revision);
      return e != nullptr && e->is_node() && e->op == Op::kPut && e->has_expiry() &&
             e->expires_at_ms() == it.deadline;
    });
  }
  // max_age: the log is in creation order, so aged entries are at its front.
  if (expire && config_.max_age_ns > 0) {
    while (*budget > 0) {
      Revision r = log_.First();
      if (r == 0) break;
      EntryBase* e = log_.Find(r);
      if (e->created_ns + config_.max_age_ns > now) break;
      --*budget;
      if (e->is_node()) {
        auto* n = static_cast<KeyNode*>(e);
        Expire(n, Keyspace::Hash(n->key()), now);
      } else {
        RemoveRevision(r, ChangeKind::kRemoved);
      }
    }
  }
  // tombstone_ttl: one forward pass over the log; it stops at the first entry too young to
  // matter, since everything after it is younger still.
  if (expire && config_.tombstone_ttl_ns > 0 && *budget > 0) {
    std::vector<Revision> doomed;
    bool young = false;
    size_t examined = 0;
    Revision next = log_.Visit(tomb_sweep_, *budget, [&](Revision r, const EntryBase* e) {
      ++examined;
      if (e->created_ns + config_.tombstone_ttl_ns > now) {
        young = true;
        tomb_sweep_ = r;
        return false;
      }
      if (e->is_node() && e->is_marker()) doomed.push_back(r);
      return true;
    });
    *budget -= std::min(examined, *budget);
    if (!young) tomb_sweep_ = next == 0 ? last_rev_ + 1 : next;
    for (Revision r : doomed) RemoveRevision(r, ChangeKind::kRemoved);
  }
  while (!jobs_.empty() && *budget > 0) {
    RunJob(jobs_.front(), budget);
    if (jobs_.front().cursor == 0) jobs_.erase(jobs_.begin());
  }
  if (*budget > 0) {
    size_t step = std::min<size_t>(*budget, 256);
    if (keys_.Step(step)) *budget -= step;
  }
  return *budget == 0 || !jobs_.empty() || ttl_.rebuilding() ||
         (expire && !ttl_.empty() && ttl_.top().deadline <= now_ms);
}

}  // namespace kvgate::engine

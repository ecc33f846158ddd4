// File: engine/watch_impl.cc
// Watches: StartWatch, the lazy initial part with one entry of lookahead (so the last initial
// entry carries pending 0, which NATS clients use to detect "caught up"), the bounded live queue,
// and failure on slow consumption, removed owed entries, flush and bucket deletion.
//
//   Result<std::unique_ptr<Watch>> w = impl.StartWatch(opts, &sink);
//   (*w)->Poll(128, fn);      // initial entries, kInitialDone, then live entries
//   impl.Put("k", "v", {});   // -> sink.OnWatchReady(**w) once until the next Poll
#include "engine/detail/watch_impl.h"

#include <algorithm>
#include <cstdlib>
#include <new>

#include "engine/detail/bucket_impl.h"

namespace kvgate::engine {

using detail::EntryBase;
using detail::KeyNode;

namespace {
// Retained entries a single Poll may examine while looking for initial entries.
constexpr size_t kPollScanBudget = 4096;
// Above this many exact-key filters the initial part scans the log instead of a list.
constexpr size_t kMaxListKeys = 1024;
// Retained entries an incremental_count StartWatch counts before returning (~1-2 ms).
constexpr size_t kInitCountSlice = 16384;
}  // namespace

// ---- RevRing ----

void detail::RevRing::Push(Revision r) {
  if (size_ == cap_) {
    size_t cap = cap_ == 0 ? 8 : cap_ * 2;
    auto* buf = static_cast<Revision*>(std::malloc(cap * sizeof(Revision)));
    if (buf == nullptr) throw std::bad_alloc();
    for (size_t i = 0; i < size_; ++i) buf[i] = buf_[(head_ + i) & (cap_ - 1)];
    std::free(buf_);
    if (mem_ != nullptr) mem_->Add((cap - cap_) * sizeof(Revision));
    buf_ = buf;
    cap_ = cap;
    head_ = 0;
  }
  buf_[(head_ + size_) & (cap_ - 1)] = r;
  ++size_;
}

Revision detail::RevRing::Pop() {
  Revision r = buf_[head_];
  head_ = (head_ + 1) & (cap_ - 1);
  --size_;
  if (size_ == 0 && cap_ > 64) Clear();  // give a drained burst's memory back
  return r;
}

void detail::RevRing::Clear() {
  if (mem_ != nullptr && cap_ != 0) mem_->Sub(cap_ * sizeof(Revision));
  std::free(buf_);
  buf_ = nullptr;
  cap_ = 0;
  head_ = 0;
  size_ = 0;
}

// ---- BucketImpl side ----

Result<std::unique_ptr<Watch>> BucketImpl::StartWatch(const WatchOptions& options,
                                                      WatchSink* sink) {
  for (const KeyFilter& f : options.filters) {
    if (f.kind() == KeyFilter::Kind::kTokens && f.text().empty()) return Errc::kInvalidArgument;
  }
  size_t max_queue = options.max_queue != 0 ? options.max_queue : core_->limits.watch_queue;
  auto w = std::make_unique<WatchImpl>(this, options, sink, std::max<size_t>(max_queue, 1));
  if (Status s = w->Init(); !s.ok()) return {s.errc(), s.detail()};
  return std::unique_ptr<Watch>(std::move(w));
}

void BucketImpl::Unregister(WatchImpl* w) {
  watches_.Remove(w, w->Options().filters);
}

// ---- WatchImpl ----

WatchImpl::WatchImpl(BucketImpl* bucket, WatchOptions options, WatchSink* sink, size_t max_queue)
    : bucket_(bucket),
      opts_(std::move(options)),
      sink_(sink),
      max_queue_(max_queue),
      mem_(bucket->mem_),
      queue_(bucket->mem_) {
  mem_->Add(sizeof(WatchImpl) + opts_.filters.size() * (sizeof(KeyFilter) + 16));
}

WatchImpl::~WatchImpl() {
  if (registered_ && bucket_ != nullptr) bucket_->Unregister(this);
  if (mem_ != nullptr)
    mem_->Sub(sizeof(WatchImpl) + opts_.filters.size() * (sizeof(KeyFilter) + 16));
}

bool WatchImpl::MatchesKey(std::string_view key) const {
  if (opts_.filters.empty()) return true;
  for (const KeyFilter& f : opts_.filters) {
    if (f.Matches(key)) return true;
  }
  return false;
}

bool WatchImpl::AllKeys() const {
  if (opts_.filters.empty()) return true;
  for (const KeyFilter& f : opts_.filters) {
    if (f.kind() == KeyFilter::Kind::kAll) return true;
  }
  return false;
}

Status WatchImpl::Init() {
  BucketImpl& b = *bucket_;
  snap_last_ = b.last_rev_;
  Revision from = 1;
  switch (opts_.start) {
    case WatchStart::kLatestPerKey:
      latest_only_ = !opts_.include_history;
      strict_initial_ = opts_.include_history;
      break;
    case WatchStart::kAllHistory:
      strict_initial_ = true;
      break;
    case WatchStart::kNewOnly:
      position_ = snap_last_;
      phase_ = Phase::kDoneDue;
      scan_done_ = true;
      break;
    case WatchStart::kAfterCursor:
      if (opts_.revision < b.watermark_) return {Errc::kCursorExpired, b.watermark_};
      strict_initial_ = true;
      from = opts_.revision + 1;
      position_ = opts_.revision;
      break;
    case WatchStart::kFromRevision:
      strict_live_ = false;
      from = std::max<Revision>(opts_.revision, 1);
      position_ = from - 1;
      break;
  }
  if (phase_ == Phase::kInitial) {
    scan_next_ = from;
    bool all_exact = !opts_.filters.empty() && opts_.filters.size() <= kMaxListKeys;
    for (const KeyFilter& f : opts_.filters) all_exact &= f.kind() == KeyFilter::Kind::kExact;
    UnixNanos now = b.NowNs();
    if (all_exact) {
      use_list_ = true;
      for (const KeyFilter& f : opts_.filters) {
        KeyNode* n = b.keys_.Find(f.text(), detail::Keyspace::Hash(f.text()));
        for (const EntryBase* e = n; e != nullptr; e = latest_only_ ? nullptr : e->older) {
          if (e->revision >= from && InitialEligible(e, now)) list_.push_back(e->revision);
        }
      }
      std::sort(list_.begin(), list_.end());
      list_.erase(std::unique(list_.begin(), list_.end()), list_.end());
      initial_left_ = list_.size();
    } else if (from > snap_last_) {
      initial_left_ = 0;
    } else if (opts_.incremental_count && CountNeedsScan()) {
      counting_ = true;
      count_next_ = from;
      count_acc_ = 0;
      AdvanceCount(kInitCountSlice);
    } else {
      initial_left_ = CountInitial(from);
    }
    if (initial_left_ == 0 && !counting_) scan_done_ = true;
  }
  b.watches_.Add(this, opts_.filters);
  for (const KeyFilter& f : opts_.filters) {
    if (f.kind() != KeyFilter::Kind::kExact) continue;
    KeyNode* n = b.keys_.Find(f.text(), detail::Keyspace::Hash(f.text()));
    if (n != nullptr) n->flags |= detail::kFlagWatched;  // see detail::kFlagWatched
  }
  registered_ = true;
  return {};
}

bool WatchImpl::CountNeedsScan() const {
  if (!AllKeys()) return true;
  return !latest_only_ && opts_.ignore_deletes;
}

bool WatchImpl::Countable(const EntryBase* e) const {
  if (latest_only_ && !e->is_node()) return false;  // superseded: not in the snapshot
  if (opts_.ignore_deletes && e->is_marker()) return false;
  return MatchesKey(e->key());
}

bool WatchImpl::AdvanceCount(size_t budget) {
  if (!counting_) return true;
  bool past = false;
  Revision next = bucket_->log_.Visit(count_next_, budget, [&](Revision r, const EntryBase* e) {
    if (r > snap_last_) {
      past = true;
      return false;
    }
    if (Countable(e)) ++count_acc_;
    return true;
  });
  if (!past && next != 0) {
    count_next_ = next;
    return false;
  }
  counting_ = false;
  initial_left_ = count_acc_;
  if (initial_left_ == 0) scan_done_ = true;
  return true;
}

uint64_t WatchImpl::CountInitial(Revision from) {
  BucketImpl& b = *bucket_;
  bool skip_markers = opts_.ignore_deletes;
  if (AllKeys()) {
    if (latest_only_) return skip_markers ? b.live_keys_ : b.keys_.size();
    if (!skip_markers) return b.log_.CountFrom(from);
  }
  uint64_t n = 0;
  if (latest_only_) {
    b.keys_.ForEach([&](const KeyNode* k) {
      if ((!skip_markers || !k->is_marker()) && MatchesKey(k->key())) ++n;
    });
    return n;
  }
  b.log_.Visit(from, detail::RevLog::kUnbounded, [&](Revision, const EntryBase* e) {
    if ((!skip_markers || !e->is_marker()) && MatchesKey(e->key())) ++n;
    return true;
  });
  return n;
}

bool WatchImpl::InitialEligible(const EntryBase* e, UnixNanos now) const {
  if (e == nullptr || e->revision > snap_last_) return false;
  if (latest_only_ && !e->is_node()) return false;  // superseded since the snapshot
  if (opts_.ignore_deletes && e->is_marker()) return false;
  if (bucket_->IsExpired(*e, now)) return false;
  return use_list_ || MatchesKey(e->key());
}

WatchImpl::Found WatchImpl::FindNextInitial(Revision* out, size_t* budget, UnixNanos now) {
  if (use_list_) {
    while (list_pos_ < list_.size()) {
      Revision r = list_[list_pos_++];
      if (InitialEligible(bucket_->log_.Find(r), now)) {
        *out = r;
        return Found::kEntry;
      }
    }
    return Found::kDone;
  }
  if (scan_next_ > snap_last_) return Found::kDone;
  Revision found = 0;
  bool past = false;
  size_t examined = 0;
  Revision next = bucket_->log_.Visit(scan_next_, *budget, [&](Revision r, const EntryBase* e) {
    ++examined;
    if (r > snap_last_) {
      past = true;
      return false;
    }
    if (InitialEligible(e, now)) {
      found = r;
      return false;
    }
    return true;
  });
  *budget -= std::min(examined, *budget);
  if (found != 0) {
    scan_next_ = found + 1;
    *out = found;
    return Found::kEntry;
  }
  if (past || next == 0) {
    scan_next_ = snap_last_ + 1;
    return Found::kDone;
  }
  scan_next_ = next;
  return Found::kBudget;
}

void WatchImpl::Emit(const std::function<void(const WatchEvent&)>& fn, const EntryBase& e,
                     bool initial, uint64_t pending) {
  WatchEvent ev;
  ev.kind = WatchEvent::Kind::kEntry;
  ev.entry = e.View();
  if (opts_.meta_only) ev.entry.value = {};
  ev.value_size = e.value_len;
  ev.pending = pending;
  ev.initial = initial;
  fn(ev);
}

size_t WatchImpl::Poll(size_t max_events, const std::function<void(const WatchEvent&)>& fn) {
  notified_ = false;
  size_t n = 0;
  size_t budget = kPollScanBudget;
  UnixNanos now = state_ == Errc::kOk ? bucket_->NowNs() : 0;
  if (counting_ && state_ == Errc::kOk && !AdvanceCount(kPollScanBudget)) return 0;
  while (n < max_events) {
    if (state_ != Errc::kOk) {
      if (!failed_sent_) {
        failed_sent_ = true;
        WatchEvent ev;
        ev.kind = WatchEvent::Kind::kFailed;
        ev.error = state_;
        fn(ev);
        ++n;
      }
      break;
    }
    if (phase_ == Phase::kInitial) {
      bool stalled = false;
      while (ahead_n_ < 2 && !scan_done_) {
        Revision r = 0;
        Found f = FindNextInitial(&r, &budget, now);
        if (f == Found::kEntry) {
          ahead_[ahead_n_++] = r;
        } else if (f == Found::kDone) {
          scan_done_ = true;
        } else {
          stalled = true;
          break;
        }
      }
      // Without the lookahead the pending count of the next entry is unknown: resume later.
      if (stalled && ahead_n_ < 2) break;
      if (ahead_n_ == 0) {
        phase_ = Phase::kDoneDue;
        initial_left_ = 0;
        position_ = std::max(position_, snap_last_);
        continue;
      }
      Revision r = ahead_[0];
      ahead_[0] = ahead_[1];
      --ahead_n_;
      if (initial_left_ > 0) --initial_left_;
      const EntryBase* e = bucket_->log_.Find(r);
      if (!InitialEligible(e, now)) continue;  // changed since it was found
      if (ahead_n_ == 0) {
        initial_left_ = 0;
      } else if (initial_left_ == 0) {
        initial_left_ = 1;
      }
      if (!latest_only_) position_ = r;
      Emit(fn, *e, true, initial_left_ + queue_.size());
      ++n;
      continue;
    }
    if (phase_ == Phase::kDoneDue) {
      phase_ = Phase::kLive;
      WatchEvent ev;
      ev.kind = WatchEvent::Kind::kInitialDone;
      ev.pending = queue_.size();
      fn(ev);
      ++n;
      continue;
    }
    if (queue_.empty()) break;
    Revision r = queue_.Pop();
    position_ = r;
    const EntryBase* e = bucket_->log_.Find(r);
    if (e == nullptr || bucket_->IsExpired(*e, now)) continue;
    Emit(fn, *e, false, queue_.size());
    ++n;
  }
  return n;
}

bool WatchImpl::HasEvents() const {
  if (state_ != Errc::kOk) return !failed_sent_;
  return phase_ != Phase::kLive || !queue_.empty();
}

uint64_t WatchImpl::Pending() const {
  if (state_ != Errc::kOk) return 0;
  return initial_left_ + queue_.size();
}

void WatchImpl::Ready() {
  if (notified_ || sink_ == nullptr) return;
  notified_ = true;
  sink_->OnWatchReady(*this);
}

void WatchImpl::Fail(Errc e, uint64_t detail) {
  if (state_ != Errc::kOk) return;
  state_ = e;
  fail_detail_ = detail;
  counting_ = false;
  queue_.Clear();
  list_.clear();
  list_.shrink_to_fit();
  Ready();
}

void WatchImpl::OnAppend(const EntryBase& e) {
  if (state_ != Errc::kOk) return;
  if (opts_.ignore_deletes && e.is_marker()) return;
  if (queue_.size() >= max_queue_) {
    Fail(Errc::kSlowConsumer, position_);
    return;
  }
  queue_.Push(e.revision);
  Ready();
}

void WatchImpl::OnLastTraceRemoved(Revision rev, Op op) {
  if (state_ != Errc::kOk || rev <= position_) return;
  if (opts_.ignore_deletes && op != Op::kPut) return;  // never owed to this watch
  bool owed = rev <= snap_last_ ? (phase_ == Phase::kInitial && strict_initial_) : strict_live_;
  if (owed) Fail(Errc::kCursorExpired, bucket_->watermark_);
}

void WatchImpl::OnFlush(Revision watermark) {
  if (state_ != Errc::kOk) return;
  // DESIGN.md: fail only watches that still need removed data (queued live entries, or the
  // rest of a replay). A caught-up watch carries on, as nats-server consumers do after a
  // stream purge; its consumer learns of the flush through the change listener if it cares.
  bool owed_initial = phase_ == Phase::kInitial && strict_initial_ && initial_left_ > 0;
  if (strict_live_ && (!queue_.empty() || owed_initial)) {
    Fail(Errc::kCursorExpired, watermark);
    return;
  }
  queue_.Clear();
  ahead_n_ = 0;
  list_.clear();
  if (phase_ == Phase::kInitial) {
    scan_done_ = true;
    initial_left_ = 0;
    counting_ = false;
  }
  position_ = std::max(position_, watermark);
}

void WatchImpl::OnBucketDeleted() {
  Fail(Errc::kBucketNotFound, 0);
  queue_.Detach();
  if (mem_ != nullptr)
    mem_->Sub(sizeof(WatchImpl) + opts_.filters.size() * (sizeof(KeyFilter) + 16));
  mem_ = nullptr;
  registered_ = false;
  bucket_ = nullptr;
}

}  // namespace kvgate::engine

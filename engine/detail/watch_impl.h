// File: engine/detail/watch_impl.h
// WatchImpl: one watch of a bucket. The initial part is produced lazily (bounded work per Poll)
// from the revision log, or from a precomputed revision list when every filter is an exact key;
// the live part is a bounded ring of revisions pushed by the bucket's dispatcher. Entries that
// vanished between enqueue and delivery are skipped; if a vanished entry was a key's last trace
// that the consumer was owed, the watch fails with kCursorExpired instead (see OnLastTraceRemoved).
//
//   auto w = std::make_unique<WatchImpl>(bucket, options, sink, max_queue);
//   Status s = w->Init();                       // snapshot bounds, pending count, registration
//   w->Poll(64, [](const WatchEvent& ev) {...});
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/detail/entry.h"
#include "engine/watch.h"

namespace kvgate::engine {

class BucketImpl;

namespace detail {

// FIFO of revisions that grows on demand up to the watch's bound (an idle watch costs nothing).
class RevRing {
 public:
  explicit RevRing(MemoryCounter* mem) : mem_(mem) {
  }
  ~RevRing() {
    Clear();
  }
  RevRing(const RevRing&) = delete;
  RevRing& operator=(const RevRing&) = delete;
  bool empty() const {
    return size_ == 0;
  }
  size_t size() const {
    return size_;
  }
  Revision front() const {
    return buf_[head_];
  }
  Revision back() const {
    return buf_[(head_ + size_ - 1) & (cap_ - 1)];
  }
  void Push(Revision r);
  Revision Pop();
  void Clear();
  // Stops accounting (the bucket's counter is going away).
  void Detach() {
    if (mem_ != nullptr && cap_ != 0) mem_->Sub(cap_ * sizeof(Revision));
    mem_ = nullptr;
  }

 private:
  MemoryCounter* mem_;
  Revision* buf_ = nullptr;
  size_t cap_ = 0;  // power of two
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace detail

class WatchImpl final : public Watch {
 public:
  WatchImpl(BucketImpl* bucket, WatchOptions options, WatchSink* sink, size_t max_queue);
  ~WatchImpl() override;

  // Takes the snapshot bounds and the initial pending count, then registers for live entries.
  // kCursorExpired (detail = watermark) for kAfterCursor below the watermark.
  Status Init();

  size_t Poll(size_t max_events, const std::function<void(const WatchEvent&)>& fn) override;
  bool HasEvents() const override;
  uint64_t Pending() const override;
  Revision Position() const override {
    return position_;
  }
  Errc State() const override {
    return state_;
  }
  bool InInitialPart() const override {
    return phase_ != Phase::kLive;
  }
  bool CountReady() const override {
    return !counting_;
  }
  bool AdvanceCount(size_t budget) override;
  const WatchOptions& Options() const override {
    return opts_;
  }

  // ---- called by the bucket ----
  // A new entry whose key matches one of the filters (deduped by the caller via stamp_).
  void OnAppend(const detail::EntryBase& e);
  // A matching key's last trace (revision rev, op) was removed by compaction.
  void OnLastTraceRemoved(Revision rev, Op op);
  void OnFlush(Revision watermark);
  void OnBucketDeleted();

  Revision stamp_ = 0;  // last revision dispatched to this watch (multi-filter dedupe)

 private:
  enum class Phase : uint8_t { kInitial, kDoneDue, kLive };
  enum class Found : uint8_t { kEntry, kDone, kBudget };

  bool MatchesKey(std::string_view key) const;
  bool AllKeys() const;
  // Whether the initial part should deliver this retained entry now.
  bool InitialEligible(const detail::EntryBase* e, UnixNanos now) const;
  Found FindNextInitial(Revision* out, size_t* budget, UnixNanos now);
  uint64_t CountInitial(Revision from);
  // Whether CountInitial needs a pass over the bucket (not O(1)).
  bool CountNeedsScan() const;
  // The predicate CountInitial counts by.
  bool Countable(const detail::EntryBase* e) const;
  void Fail(Errc e, uint64_t detail);
  void Ready();
  void Emit(const std::function<void(const WatchEvent&)>& fn, const detail::EntryBase& e,
            bool initial, uint64_t pending);

  BucketImpl* bucket_;
  WatchOptions opts_;
  WatchSink* sink_;
  size_t max_queue_;
  detail::MemoryCounter* mem_;  // the bucket's counter (nullptr once detached)
  detail::RevRing queue_;

  Phase phase_ = Phase::kInitial;
  Errc state_ = Errc::kOk;
  uint64_t fail_detail_ = 0;
  bool failed_sent_ = false;
  bool notified_ = false;
  bool registered_ = false;

  bool latest_only_ = false;     // snapshot = newest entry per key
  bool strict_initial_ = false;  // initial entries are owed (replay from a cursor / all)
  bool strict_live_ = true;      // live entries are owed (all modes but kFromRevision)
  Revision snap_last_ = 0;       // the initial part covers revisions <= snap_last_
  Revision scan_next_ = 0;       // next revision the initial log scan examines
  bool scan_done_ = false;
  bool use_list_ = false;  // exact-key filters: initial revisions precomputed
  std::vector<Revision> list_;
  size_t list_pos_ = 0;
  Revision ahead_[2] = {0, 0};  // found, not yet delivered initial entries
  int ahead_n_ = 0;
  uint64_t initial_left_ = 0;
  Revision position_ = 0;
  bool counting_ = false;    // incremental_count: the initial count is still running
  Revision count_next_ = 0;  // next revision the count examines
  uint64_t count_acc_ = 0;   // matching entries counted so far
};

}  // namespace kvgate::engine

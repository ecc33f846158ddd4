// File: engine/detail/deadline_heap.h
// Min-heap of (deadline, revision) with lazy invalidation: items are never searched for or
// removed early; the consumer re-checks an item when it pops and drops it if stale. Callers count
// stale items (MarkStale); when they dominate, the heap is cleaned incrementally: the old heap
// becomes a "draining" heap whose items move (if still valid) into the new one a few per
// RebuildStep, while top()/Pop() look at both. No call touches more than its budget of items.
//
//   DeadlineHeap h(&mem);  h.Push(now_ms + 1000, rev);
//   while (!h.empty() && h.top().deadline <= now_ms) { auto it = h.Pop(); ... }
//   if (h.WantsRebuild()) h.StartRebuild();   h.RebuildStep(256, is_valid);
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/detail/entry.h"

namespace kvgate::engine::detail {

class DeadlineHeap {
 public:
  struct Item {
    int64_t deadline;
    Revision revision;
  };

  explicit DeadlineHeap(MemoryCounter* mem) : mem_(mem) {
  }
  ~DeadlineHeap() {
    mem_->Sub(accounted_);
  }
  DeadlineHeap(const DeadlineHeap&) = delete;
  DeadlineHeap& operator=(const DeadlineHeap&) = delete;

  bool empty() const {
    return items_.empty() && draining_.empty();
  }
  size_t size() const {
    return items_.size() + draining_.size();
  }
  const Item& top() const {
    if (draining_.empty()) return items_.front();
    if (items_.empty()) return draining_.front();
    return Later(items_.front(), draining_.front()) ? draining_.front() : items_.front();
  }
  void Push(int64_t deadline, Revision rev) {
    items_.push_back({deadline, rev});
    std::push_heap(items_.begin(), items_.end(), Later);
    Account();
  }
  Item Pop() {
    bool from_items =
        draining_.empty() || (!items_.empty() && !Later(items_.front(), draining_.front()));
    std::vector<Item>& h = from_items ? items_ : draining_;
    std::pop_heap(h.begin(), h.end(), Later);
    Item it = h.back();
    h.pop_back();
    stale_ = std::min<uint64_t>(stale_, size());  // the count is an estimate: keep it sane
    return it;
  }
  // One more item no longer matches its entry (superseded, expiry changed, removed).
  void MarkStale() {
    ++stale_;
  }
  // A popped item turned out stale.
  void PoppedStale() {
    if (stale_ > 0) --stale_;
  }
  bool WantsRebuild() const {
    return draining_.empty() && stale_ > 1024 && stale_ * 2 > items_.size();
  }
  bool rebuilding() const {
    return !draining_.empty();
  }
  void StartRebuild() {
    if (!draining_.empty()) return;
    draining_.swap(items_);
    Account();
  }
  // Moves up to `budget` items out of the draining heap, keeping those keep(item) accepts.
  template <typename Keep>
  void RebuildStep(size_t budget, Keep&& keep) {
    while (budget-- > 0 && !draining_.empty()) {
      std::pop_heap(draining_.begin(), draining_.end(), Later);
      Item it = draining_.back();
      draining_.pop_back();
      if (keep(it)) {
        items_.push_back(it);
        std::push_heap(items_.begin(), items_.end(), Later);
      } else {
        PoppedStale();
      }
    }
    if (draining_.empty()) {
      draining_.shrink_to_fit();
      stale_ = 0;  // every stale item went through keep()
    }
    Account();
  }
  void Clear() {
    items_.clear();
    items_.shrink_to_fit();
    draining_.clear();
    draining_.shrink_to_fit();
    stale_ = 0;
    Account();
  }

 private:
  static bool Later(const Item& a, const Item& b) {
    return a.deadline > b.deadline || (a.deadline == b.deadline && a.revision > b.revision);
  }
  void Account() {
    uint64_t now = (items_.capacity() + draining_.capacity()) * sizeof(Item);
    if (now > accounted_) {
      mem_->Add(now - accounted_);
    } else {
      mem_->Sub(accounted_ - now);
    }
    accounted_ = now;
  }

  MemoryCounter* mem_;
  std::vector<Item> items_;
  std::vector<Item> draining_;
  uint64_t stale_ = 0;
  uint64_t accounted_ = 0;
};

}  // namespace kvgate::engine::detail

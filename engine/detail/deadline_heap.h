// File: engine/detail/deadline_heap.h
// Min-heap of (deadline, revision) with lazy invalidation: items are never searched for or
// removed early; the consumer re-checks an item when it pops and drops it if stale. Callers count
// stale items (MarkStale) so the heap is rebuilt only when they dominate.
//
//   DeadlineHeap h;  h.Push(now_ms + 1000, rev);
//   while (!h.empty() && h.top().deadline <= now_ms) { auto it = h.Pop(); ... }
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

  explicit DeadlineHeap(MemoryCounter* mem) : mem_(mem) {}
  ~DeadlineHeap() {
    mem_->Sub(accounted_);
  }
  DeadlineHeap(const DeadlineHeap&) = delete;
  DeadlineHeap& operator=(const DeadlineHeap&) = delete;

  bool empty() const {
    return items_.empty();
  }
  size_t size() const {
    return items_.size();
  }
  const Item& top() const {
    return items_.front();
  }
  void Push(int64_t deadline, Revision rev) {
    items_.push_back({deadline, rev});
    std::push_heap(items_.begin(), items_.end(), Later);
    Account();
  }
  Item Pop() {
    std::pop_heap(items_.begin(), items_.end(), Later);
    Item it = items_.back();
    items_.pop_back();
    if (stale_ > 0 && stale_ > items_.size()) stale_ = items_.size();
    return it;
  }
  // One more item no longer matches its entry (superseded, expiry changed, removed).
  void MarkStale() {
    ++stale_;
  }
  // The popped item was stale (so it no longer counts).
  void PoppedStale() {
    if (stale_ > 0) --stale_;
  }
  // True when stale items dominate and a Rebuild would pay off.
  bool WantsRebuild() const {
    return stale_ > 1024 && stale_ * 2 > items_.size();
  }
  // Keeps the items for which keep(item) is true.
  template <typename Keep>
  void Rebuild(Keep&& keep) {
    items_.erase(std::remove_if(items_.begin(), items_.end(),
                                [&](const Item& it) { return !keep(it); }),
                 items_.end());
    std::make_heap(items_.begin(), items_.end(), Later);
    items_.shrink_to_fit();
    stale_ = 0;
    Account();
  }
  void Clear() {
    items_.clear();
    items_.shrink_to_fit();
    stale_ = 0;
    Account();
  }

 private:
  static bool Later(const Item& a, const Item& b) {
    return a.deadline > b.deadline || (a.deadline == b.deadline && a.revision > b.revision);
  }
  void Account() {
    uint64_t now = items_.capacity() * sizeof(Item);
    if (now > accounted_) {
      mem_->Add(now - accounted_);
    } else {
      mem_->Sub(accounted_ - now);
    }
    accounted_ = now;
  }

  MemoryCounter* mem_;
  std::vector<Item> items_;
  uint64_t stale_ = 0;
  uint64_t accounted_ = 0;
};

}  // namespace kvgate::engine::detail

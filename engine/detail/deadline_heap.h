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
//
// Items live in fixed-size chunks, not one std::vector: a vector doubling at a million items
// copies 16 MB in one Push (measured ~7 ms at 2^19 items, which breaks the 10 ms loop-stall
// bound at 2^20). Chunks never move, and indexing stays a shift and a mask.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
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
    if (draining_.empty()) return items_[0];
    if (items_.empty()) return draining_[0];
    return Later(items_[0], draining_[0]) ? draining_[0] : items_[0];
  }
  void Push(int64_t deadline, Revision rev) {
    HeapPush(items_, {deadline, rev});
    Account();
  }
  Item Pop() {
    bool from_items = draining_.empty() || (!items_.empty() && !Later(items_[0], draining_[0]));
    Item it = HeapPop(from_items ? items_ : draining_);
    stale_ = std::min<uint64_t>(stale_, size());  // the count is an estimate: keep it sane
    Account();
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
    std::swap(draining_, items_);
    Account();
  }
  // Moves up to `budget` items out of the draining heap, keeping those keep(item) accepts.
  template <typename Keep>
  void RebuildStep(size_t budget, Keep&& keep) {
    while (budget-- > 0 && !draining_.empty()) {
      Item it = HeapPop(draining_);
      if (keep(it)) {
        HeapPush(items_, it);
      } else {
        PoppedStale();
      }
    }
    if (draining_.empty()) {
      draining_.Clear();
      stale_ = 0;  // every stale item went through keep()
    }
    Account();
  }
  void Clear() {
    items_.Clear();
    draining_.Clear();
    stale_ = 0;
    Account();
  }

 private:
  // Random-access storage growing and shrinking a chunk at a time; items never move.
  class Chunked {
   public:
    bool empty() const {
      return size_ == 0;
    }
    size_t size() const {
      return size_;
    }
    Item& operator[](size_t i) {
      return chunks_[i >> kShift][i & kMask];
    }
    const Item& operator[](size_t i) const {
      return chunks_[i >> kShift][i & kMask];
    }
    void PushBack(const Item& it) {
      if ((size_ >> kShift) == chunks_.size()) chunks_.push_back(std::make_unique<Item[]>(kChunk));
      (*this)[size_++] = it;
    }
    void PopBack() {
      --size_;
      // Keep one spare chunk so a Push/Pop pair at a chunk boundary does not allocate each time.
      if (chunks_.size() > (size_ >> kShift) + 2) chunks_.pop_back();
    }
    void Clear() {
      chunks_.clear();
      chunks_.shrink_to_fit();
      size_ = 0;
    }
    uint64_t bytes() const {
      return chunks_.size() * kChunk * sizeof(Item) + chunks_.capacity() * sizeof(void*);
    }

   private:
    static constexpr size_t kShift = 12;  // 4096 items (64 KiB) per chunk
    static constexpr size_t kChunk = size_t{1} << kShift;
    static constexpr size_t kMask = kChunk - 1;
    std::vector<std::unique_ptr<Item[]>> chunks_;
    size_t size_ = 0;
  };

  // "a comes out after b": the heap's root is the item no other is earlier than.
  static bool Later(const Item& a, const Item& b) {
    return a.deadline > b.deadline || (a.deadline == b.deadline && a.revision > b.revision);
  }
  static void HeapPush(Chunked& h, const Item& it) {
    size_t i = h.size();
    h.PushBack(it);
    while (i > 0) {
      size_t parent = (i - 1) / 2;
      if (!Later(h[parent], it)) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = it;
  }
  static Item HeapPop(Chunked& h) {
    Item root = h[0];
    Item last = h[h.size() - 1];
    h.PopBack();
    size_t n = h.size();
    if (n == 0) return root;
    size_t i = 0;
    for (;;) {
      size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && Later(h[child], h[child + 1])) ++child;
      if (!Later(last, h[child])) break;
      h[i] = h[child];
      i = child;
    }
    h[i] = last;
    return root;
  }
  void Account() {
    uint64_t now = items_.bytes() + draining_.bytes();
    if (now > accounted_) {
      mem_->Add(now - accounted_);
    } else {
      mem_->Sub(accounted_ - now);
    }
    accounted_ = now;
  }

  MemoryCounter* mem_;
  Chunked items_;
  Chunked draining_;
  uint64_t stale_ = 0;
  uint64_t accounted_ = 0;
};

}  // namespace kvgate::engine::detail

// File: engine/detail/rev_log.h
// Per-bucket revision-ordered index of retained entries: replay from a revision, SCAN cursors,
// get-by-revision, max_age removal from the oldest end, first_revision.
//
// A sequence of chunks (<= 4096 slots) of entry pointers. A chunk starts "dense": slot i holds
// revision base + i, so lookups are O(1) and a slot costs 8 bytes. Removing an entry nulls its
// slot (a hole); a chunk that becomes half holes is compacted into "sparse" form (32-bit
// revision offsets beside the pointers, binary-searched) and merged with a small neighbour, so
// memory stays proportional to live entries and no operation moves more than one chunk.
//
//   RevLog log(&mem);
//   log.Append(7, node);   log.Find(7) == node;   log.Remove(7);
//   log.Visit(1, 100, [](Revision r, EntryBase* e) { return true; });  // oldest first
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/detail/entry.h"

namespace kvgate::engine::detail {

class RevLog {
 public:
  // A Visit budget meaning "no limit".
  static constexpr size_t kUnbounded = SIZE_MAX / 64;

  explicit RevLog(MemoryCounter* mem);
  ~RevLog();
  RevLog(const RevLog&) = delete;
  RevLog& operator=(const RevLog&) = delete;

  // `rev` must be greater than every revision appended before.
  void Append(Revision rev, EntryBase* e);
  EntryBase* Find(Revision rev) const;
  // Re-points a retained revision to its entry's new address.
  void Set(Revision rev, EntryBase* e);
  void Remove(Revision rev);
  void Clear();

  size_t live() const {
    return live_;
  }
  // Oldest / newest retained revision (0 when empty).
  Revision First() const;
  Revision Last() const;
  // Retained entries with revision >= rev.
  uint64_t CountFrom(Revision rev) const;

  // Calls fn(rev, entry) for retained entries with revision >= from, oldest first, until fn
  // returns false or about `budget` slots were examined (holes count 1/16). Returns the next
  // revision to examine, or 0 when the end of the log was reached. fn must not mutate the log.
  template <typename Fn>
  Revision Visit(Revision from, size_t budget, Fn&& fn) const {
    size_t ci = LowerChunk(from);
    size_t work = 0;
    for (; ci < chunks_.size(); ++ci) {
      const Chunk& c = chunks_[ci];
      for (uint32_t i = LowerSlot(c, from); i < c.size; ++i) {
        EntryBase* e = c.slots[i];
        Revision rev = c.RevAt(i);
        if (work >= budget * 16) return rev;
        if (e == nullptr) {
          work += 1;
        } else {
          work += 16;
          if (!fn(rev, e)) return rev + 1;
        }
      }
    }
    return 0;
  }

 private:
  struct Chunk {
    Revision base = 0;
    uint32_t size = 0;
    uint32_t cap = 0;
    uint32_t live = 0;
    uint32_t head = 0;         // slots before it are all holes
    uint32_t* offs = nullptr;  // sparse chunks only: revision - base per slot
    EntryBase** slots = nullptr;
    Revision RevAt(uint32_t i) const {
      return base + (offs != nullptr ? offs[i] : i);
    }
    Revision LastRev() const {
      return RevAt(size - 1);
    }
  };

  // Index of the first chunk whose last revision is >= rev (chunks_.size() if none).
  size_t LowerChunk(Revision rev) const;
  // First slot of c with revision >= rev.
  static uint32_t LowerSlot(const Chunk& c, Revision rev);
  // First index of the sorted offs[0..n) whose value is >= off (n if none).
  static uint32_t SparseLower(const uint32_t* offs, uint32_t n, Revision off);
  // Slot of exactly rev, or false.
  bool Locate(Revision rev, size_t* ci, uint32_t* si) const;
  void Grow(Chunk* c, uint32_t cap);
  void MakeSparse(Chunk* c);
  void CompactChunk(size_t ci);
  void FreeChunk(Chunk* c);

  MemoryCounter* mem_;
  std::vector<Chunk> chunks_;
  size_t live_ = 0;
};

}  // namespace kvgate::engine::detail

// File: engine/detail/rev_log.cc
// Chunked revision index (see rev_log.h for the dense/sparse chunk scheme).
//
//   log.Append(r, e);   log.Set(r, moved_e);   log.Remove(r);   // holes, then per-chunk compaction
//   Revision first = log.First();
//   uint64_t n = log.CountFrom(first);   // == log.live()
#include "engine/detail/rev_log.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <new>

namespace kvgate::engine::detail {
namespace {

constexpr uint32_t kMaxChunk = 4096;
constexpr uint32_t kFirstCap = 8;
constexpr uint32_t kCompactMin = 64;  // chunks smaller than this are never compacted

void* Realloc(void* p, size_t n) {
  void* q = std::realloc(p, n);
  if (q == nullptr) throw std::bad_alloc();
  return q;
}

}  // namespace

RevLog::RevLog(MemoryCounter* mem) : mem_(mem) {
}

RevLog::~RevLog() {
  Clear();
}

void RevLog::FreeChunk(Chunk* c) {
  if (c->slots != nullptr) {
    mem_->Sub(AllocCost(c->slots));
    std::free(c->slots);
  }
  if (c->offs != nullptr) {
    mem_->Sub(AllocCost(c->offs));
    std::free(c->offs);
  }
  *c = Chunk{};
}

void RevLog::Clear() {
  for (Chunk& c : chunks_) FreeChunk(&c);
  chunks_.clear();
  chunks_.shrink_to_fit();
  live_ = 0;
}

void RevLog::Grow(Chunk* c, uint32_t cap) {
  if (c->slots != nullptr) mem_->Sub(AllocCost(c->slots));
  c->slots = static_cast<EntryBase**>(Realloc(c->slots, size_t{cap} * sizeof(EntryBase*)));
  mem_->Add(AllocCost(c->slots));
  if (c->offs != nullptr) {
    mem_->Sub(AllocCost(c->offs));
    c->offs = static_cast<uint32_t*>(Realloc(c->offs, size_t{cap} * sizeof(uint32_t)));
    mem_->Add(AllocCost(c->offs));
  }
  c->cap = cap;
}

void RevLog::MakeSparse(Chunk* c) {
  if (c->offs != nullptr) return;
  c->offs = static_cast<uint32_t*>(Realloc(nullptr, size_t{c->cap} * sizeof(uint32_t)));
  mem_->Add(AllocCost(c->offs));
  for (uint32_t i = 0; i < c->size; ++i) c->offs[i] = i;
}

void RevLog::Append(Revision rev, EntryBase* e) {
  if (!chunks_.empty()) {
    Chunk& c = chunks_.back();
    if (c.size < kMaxChunk && rev - c.base <= std::numeric_limits<uint32_t>::max()) {
      if (c.offs == nullptr && rev != c.base + c.size) MakeSparse(&c);
      if (c.size == c.cap) Grow(&c, std::min(c.cap * 2, kMaxChunk));
      if (c.offs != nullptr) c.offs[c.size] = static_cast<uint32_t>(rev - c.base);
      c.slots[c.size++] = e;
      ++c.live;
      ++live_;
      return;
    }
  }
  Chunk c;
  c.base = rev;
  Grow(&c, chunks_.empty() ? kFirstCap : kMaxChunk);
  c.slots[0] = e;
  c.size = 1;
  c.live = 1;
  chunks_.push_back(c);
  ++live_;
}

size_t RevLog::LowerChunk(Revision rev) const {
  auto it = std::lower_bound(chunks_.begin(), chunks_.end(), rev,
                             [](const Chunk& c, Revision r) { return c.LastRev() < r; });
  return static_cast<size_t>(it - chunks_.begin());
}

uint32_t RevLog::LowerSlot(const Chunk& c, Revision rev) {
  uint32_t i;
  if (rev <= c.base) {
    i = 0;
  } else if (c.offs == nullptr) {
    i = static_cast<uint32_t>(std::min<Revision>(rev - c.base, c.size));
  } else {
    i = SparseLower(c.offs, c.size, rev - c.base);
  }
  return std::max(i, c.head);
}

uint32_t RevLog::SparseLower(const uint32_t* offs, uint32_t n, Revision off) {
  if (offs[n - 1] < off) return n;
  // Offsets of a compacted chunk are spread fairly evenly: guess by interpolation, gallop to
  // bracket the answer, binary-search the bracket. A few cache lines instead of ~12 probes.
  // Invariant: the answer is in [lo, hi] and offs[hi] >= off.
  uint32_t g = static_cast<uint32_t>(off * (n - 1) / offs[n - 1]);
  uint32_t lo = 0;
  uint32_t hi = n - 1;
  if (offs[g] >= off) {
    hi = g;
    for (uint32_t step = 1;; step *= 2) {
      if (hi < step) break;  // lo stays 0
      uint32_t p = hi - step;
      if (offs[p] < off) {
        lo = p + 1;
        break;
      }
      hi = p;
    }
  } else {
    lo = g + 1;
    for (uint32_t step = 1;; step *= 2) {
      uint32_t p = lo + step - 1;
      if (p >= n - 1) break;  // hi stays n - 1
      if (offs[p] >= off) {
        hi = p;
        break;
      }
      lo = p + 1;
    }
  }
  return static_cast<uint32_t>(
      std::lower_bound(offs + lo, offs + hi, off, [](uint32_t o, Revision r) { return o < r; }) -
      offs);
}

bool RevLog::Locate(Revision rev, size_t* ci, uint32_t* si) const {
  size_t i = LowerChunk(rev);
  if (i == chunks_.size()) return false;
  const Chunk& c = chunks_[i];
  if (rev < c.base) return false;
  uint32_t s = LowerSlot(c, rev);
  if (s >= c.size || c.RevAt(s) != rev) return false;
  *ci = i;
  *si = s;
  return true;
}

EntryBase* RevLog::Find(Revision rev) const {
  size_t ci;
  uint32_t si;
  if (!Locate(rev, &ci, &si)) return nullptr;
  return chunks_[ci].slots[si];
}

void RevLog::Set(Revision rev, EntryBase* e) {
  size_t ci;
  uint32_t si;
  if (Locate(rev, &ci, &si)) chunks_[ci].slots[si] = e;
}

void RevLog::Remove(Revision rev) {
  size_t ci;
  uint32_t si;
  if (!Locate(rev, &ci, &si)) return;
  Chunk& c = chunks_[ci];
  if (c.slots[si] == nullptr) return;
  c.slots[si] = nullptr;
  --c.live;
  --live_;
  if (c.live == 0) {
    FreeChunk(&c);
    chunks_.erase(chunks_.begin() + static_cast<ptrdiff_t>(ci));
    return;
  }
  while (c.slots[c.head] == nullptr) ++c.head;
  if (c.size >= kCompactMin && c.live * 2 < c.size) CompactChunk(ci);
}

void RevLog::CompactChunk(size_t ci) {
  Chunk& c = chunks_[ci];
  MakeSparse(&c);
  uint32_t n = 0;
  for (uint32_t i = c.head; i < c.size; ++i) {
    if (c.slots[i] == nullptr) continue;
    c.slots[n] = c.slots[i];
    c.offs[n] = c.offs[i];
    ++n;
  }
  c.size = n;
  c.head = 0;
  // Rebase so offsets start at 0 (keeps room for later appends to the last chunk).
  Revision shift = c.offs[0];
  for (uint32_t i = 0; i < n; ++i) c.offs[i] -= static_cast<uint32_t>(shift);
  c.base += shift;
  bool last = ci + 1 == chunks_.size();
  if (ci > 0) {
    Chunk& p = chunks_[ci - 1];
    if (p.size + c.size <= kMaxChunk &&
        c.LastRev() - p.base <= std::numeric_limits<uint32_t>::max()) {
      MakeSparse(&p);
      uint32_t want = p.size + c.size;
      if (want > p.cap) Grow(&p, last ? kMaxChunk : want);
      for (uint32_t i = 0; i < c.size; ++i) {
        p.slots[p.size + i] = c.slots[i];
        p.offs[p.size + i] = static_cast<uint32_t>(c.RevAt(i) - p.base);
      }
      p.size += c.size;
      p.live += c.live;
      FreeChunk(&c);
      chunks_.erase(chunks_.begin() + static_cast<ptrdiff_t>(ci));
      return;
    }
  }
  if (!last && c.cap > 2 * c.size) Grow(&c, c.size);
}

Revision RevLog::First() const {
  if (chunks_.empty()) return 0;
  const Chunk& c = chunks_.front();
  return c.RevAt(c.head);
}

Revision RevLog::Last() const {
  if (chunks_.empty()) return 0;
  const Chunk& c = chunks_.back();
  for (uint32_t i = c.size; i-- > 0;) {
    if (c.slots[i] != nullptr) return c.RevAt(i);
  }
  return 0;
}

uint64_t RevLog::CountFrom(Revision rev) const {
  size_t ci = LowerChunk(rev);
  if (ci == chunks_.size()) return 0;
  uint64_t n = 0;
  const Chunk& c = chunks_[ci];
  for (uint32_t i = LowerSlot(c, rev); i < c.size; ++i) n += c.slots[i] != nullptr;
  for (size_t j = ci + 1; j < chunks_.size(); ++j) n += chunks_[j].live;
  return n;
}

}  // namespace kvgate::engine::detail

// File: engine/collections/list_value.cc
// The chunked list (list_value.h). An entry is [varint length][bytes][back length], the back
// length being the size of the first two parts written so that it reads from its last byte
// backwards (each byte but the farthest flags 0x80): a chunk walks in both directions.
#include "engine/collections/list_value.h"

#include "engine/collection_delta.h"

#include <cstring>
#include <vector>

namespace kvgate::engine {
namespace {

uint32_t VarintSize(uint64_t v) {
  uint32_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

uint32_t EntrySize(size_t len) {
  const uint64_t head = VarintSize(len) + len;
  return static_cast<uint32_t>(head + VarintSize(head));
}

// Writes the entry for `v` at p (EntrySize(v.size()) bytes).
void PutEntry(char* p, std::string_view v) {
  uint64_t len = v.size();
  while (len >= 0x80) {
    *p++ = static_cast<char>((len & 0x7f) | 0x80);
    len >>= 7;
  }
  *p++ = static_cast<char>(len);
  std::memcpy(p, v.data(), v.size());
  p += v.size();
  const uint64_t head = VarintSize(v.size()) + v.size();
  const uint32_t n = VarintSize(head);
  for (uint32_t j = 0; j < n; ++j) {  // group j sits j bytes before the last byte
    const auto group = static_cast<uint8_t>((head >> (7 * j)) & 0x7f);
    p[n - 1 - j] = static_cast<char>(group | (j + 1 < n ? 0x80 : 0));
  }
}

// The element of the entry at p, and the entry's size.
uint32_t Decode(const char* p, std::string_view* v) {
  uint64_t len = 0;
  uint32_t shift = 0;
  const char* q = p;
  while (true) {
    const auto b = static_cast<uint8_t>(*q++);
    len |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
  }
  *v = std::string_view(q, len);
  const uint64_t head = static_cast<uint64_t>(q - p) + len;
  return static_cast<uint32_t>(head + VarintSize(head));
}

// The offset of the entry that ends at `end` (> the chunk's begin).
uint32_t PrevStart(const char* buf, uint32_t end) {
  uint64_t head = 0;
  uint32_t j = 0;
  uint32_t at = end - 1;
  while (true) {
    const auto b = static_cast<uint8_t>(buf[at]);
    head |= static_cast<uint64_t>(b & 0x7f) << (7 * j);
    if ((b & 0x80) == 0) break;
    --at;
    ++j;
  }
  return at - static_cast<uint32_t>(head);
}

// A chunk's capacity to hold `want` bytes: half as much again (room for the next pushes), at
// most kChunkBytes unless one element needs more.
uint32_t GrowCap(uint32_t want) {
  if (want >= ListValue::kChunkBytes) return want;
  const uint32_t cap = want + want / 2 + 16;
  return cap < ListValue::kChunkBytes ? cap : ListValue::kChunkBytes;
}

}  // namespace

ListValue::ListValue(const ListValue& other) : Collection(other), count_(other.count_) {
  for (const Chunk& c : other.chunks_) {
    Chunk copy;
    copy.cap = c.used();
    copy.buf = new char[copy.cap];
    std::memcpy(copy.buf, c.buf + c.begin, copy.cap);
    copy.end = copy.cap;
    copy.count = c.count;
    alloc_bytes_ += copy.cap;
    chunks_.push_back(copy);
  }
}

ListValue::~ListValue() {
  for (Chunk& c : chunks_) delete[] c.buf;
}

void ListValue::Resize(Chunk& c, uint32_t cap, uint32_t at) {
  const uint32_t used = c.used();
  char* nb = new char[cap];
  if (used > 0) std::memcpy(nb + at, c.buf + c.begin, used);
  delete[] c.buf;
  alloc_bytes_ = alloc_bytes_ + cap - c.cap;
  c.buf = nb;
  c.cap = cap;
  c.begin = at;
  c.end = at + used;
}

void ListValue::Reserve(Chunk& c, uint32_t need, bool front) {
  if (front ? c.begin >= need : c.cap - c.end >= need) return;
  const uint32_t used = c.used();
  const uint32_t cap = GrowCap(used + need);
  const uint32_t spare = cap - used;
  // The only chunk takes pushes at both ends: split its room between them.
  const uint32_t at = chunks_.size() == 1 ? spare / 2 : (front ? spare : 0);
  if ((front && at < need) || (!front && spare - at < need)) {
    Resize(c, cap, front ? spare : 0);
  } else {
    Resize(c, cap, at);
  }
}

void ListValue::Shrink(Chunk& c) {
  if (c.cap != c.used()) Resize(c, c.used(), 0);
}

void ListValue::FreeChunk(Chunk& c) {
  alloc_bytes_ -= c.cap;
  delete[] c.buf;
  c = Chunk{};
}

void ListValue::PushFront(std::string_view v) {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kListPushFront, v);
  const uint32_t sz = EntrySize(v.size());
  if (chunks_.empty() || chunks_.front().used() + sz > kChunkBytes) {
    if (!chunks_.empty()) Shrink(chunks_.front());  // left behind by this end
    chunks_.emplace_front();
  }
  Chunk& c = chunks_.front();
  Reserve(c, sz, true);
  c.begin -= sz;
  PutEntry(c.buf + c.begin, v);
  ++c.count;
  ++count_;
}

void ListValue::PushBack(std::string_view v) {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kListPushBack, v);
  const uint32_t sz = EntrySize(v.size());
  if (chunks_.empty() || chunks_.back().used() + sz > kChunkBytes) {
    if (!chunks_.empty()) Shrink(chunks_.back());
    chunks_.emplace_back();
  }
  Chunk& c = chunks_.back();
  Reserve(c, sz, false);
  PutEntry(c.buf + c.end, v);
  c.end += sz;
  ++c.count;
  ++count_;
}

bool ListValue::PopFront(std::string* out) {
  if (count_ == 0) return false;
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kListPopFront);
  Chunk& c = chunks_.front();
  std::string_view v;
  const uint32_t sz = Decode(c.buf + c.begin, &v);
  if (out != nullptr) out->assign(v);
  c.begin += sz;
  --c.count;
  --count_;
  if (c.count == 0) {
    FreeChunk(c);
    chunks_.pop_front();
  }
  return true;
}

bool ListValue::PopBack(std::string* out) {
  if (count_ == 0) return false;
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kListPopBack);
  Chunk& c = chunks_.back();
  const uint32_t start = PrevStart(c.buf, c.end);
  std::string_view v;
  Decode(c.buf + start, &v);
  if (out != nullptr) out->assign(v);
  c.end = start;
  --c.count;
  --count_;
  if (c.count == 0) {
    FreeChunk(c);
    chunks_.pop_back();
  }
  return true;
}

ListValue::Pos ListValue::Locate(size_t i) const {
  size_t ci = 0;
  if (i < count_ / 2) {
    while (i >= chunks_[ci].count) i -= chunks_[ci++].count;
  } else {
    size_t r = count_ - 1 - i;  // from the tail
    ci = chunks_.size() - 1;
    while (r >= chunks_[ci].count) r -= chunks_[ci--].count;
    i = chunks_[ci].count - 1 - r;
  }
  const Chunk& c = chunks_[ci];
  uint32_t off = 0;
  if (i < c.count / 2) {
    off = c.begin;
    std::string_view v;
    for (size_t k = 0; k < i; ++k) off += Decode(c.buf + off, &v);
  } else {
    off = c.end;
    for (size_t k = c.count; k > i; --k) off = PrevStart(c.buf, off);
  }
  return {ci, off};
}

std::string_view ListValue::At(size_t i) const {
  const Pos p = Locate(i);
  std::string_view v;
  Decode(chunks_[p.chunk].buf + p.off, &v);
  return v;
}

template <typename Parts>
void ListValue::Repack(size_t ci, const Parts& parts) {
  uint64_t total = 0;
  for (std::string_view p : parts) total += EntrySize(p.size());
  const uint64_t pieces = (total + kChunkBytes - 1) / kChunkBytes;
  const uint64_t target = pieces > 1 ? (total + pieces - 1) / pieces : kChunkBytes;
  std::vector<Chunk> made;
  size_t i = 0;
  while (i < parts.size()) {
    uint64_t bytes = 0;
    size_t j = i;
    while (j < parts.size()) {
      const uint32_t sz = EntrySize(parts[j].size());
      if (j > i && bytes + sz > target) break;
      bytes += sz;
      ++j;
    }
    Chunk c;
    c.cap = static_cast<uint32_t>(bytes);
    c.buf = new char[c.cap];
    for (size_t k = i; k < j; ++k) {
      PutEntry(c.buf + c.end, parts[k]);
      c.end += EntrySize(parts[k].size());
    }
    c.count = static_cast<uint32_t>(j - i);
    alloc_bytes_ += c.cap;
    made.push_back(c);
    i = j;
  }
  count_ = count_ + parts.size() - chunks_[ci].count;
  FreeChunk(chunks_[ci]);  // the parts' views are no longer read
  if (made.empty()) {
    chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(ci));
    return;
  }
  chunks_[ci] = made[0];
  chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(ci) + 1, made.begin() + 1,
                 made.end());
}

void ListValue::Set(size_t i, std::string_view v) {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kListSet, i, v);
  const Pos p = Locate(i);
  Chunk& c = chunks_[p.chunk];
  std::string_view old;
  const uint32_t sz = Decode(c.buf + p.off, &old);
  if (sz == EntrySize(v.size())) {  // same length: in place
    PutEntry(c.buf + p.off, v);
    return;
  }
  std::vector<std::string_view> parts;
  parts.reserve(c.count);
  for (uint32_t off = c.begin; off < c.end;) {
    std::string_view e;
    const uint32_t n = Decode(c.buf + off, &e);
    parts.push_back(off == p.off ? v : e);
    off += n;
  }
  Repack(p.chunk, parts);
}

void ListValue::Insert(size_t i, std::string_view v) {
  if (i == 0) return PushFront(v);
  if (i >= count_) return PushBack(v);
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kListInsert, i, v);
  const Pos p = Locate(i);
  const Chunk& c = chunks_[p.chunk];
  std::vector<std::string_view> parts;
  parts.reserve(c.count + 1);
  for (uint32_t off = c.begin; off < c.end;) {
    std::string_view e;
    const uint32_t n = Decode(c.buf + off, &e);
    if (off == p.off) parts.push_back(v);
    parts.push_back(e);
    off += n;
  }
  Repack(p.chunk, parts);
}

size_t ListValue::Remove(std::string_view v, int64_t count) {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kListRemove, v, count);
  delta::Pause inner(this);
  const bool from_tail = count < 0;
  uint64_t quota = count == 0  ? UINT64_MAX
                   : from_tail ? static_cast<uint64_t>(-(count + 1)) + 1
                               : static_cast<uint64_t>(count);
  size_t removed = 0;
  std::vector<std::string_view> entries;
  std::vector<std::string_view> kept;
  std::vector<bool> drop;
  // Removes the matches of chunk `ci` within the quota; how many chunks now stand in its place.
  auto one_chunk = [&](size_t ci) -> size_t {
    const Chunk& c = chunks_[ci];
    entries.clear();
    for (uint32_t off = c.begin; off < c.end;) {
      std::string_view e;
      off += Decode(c.buf + off, &e);
      entries.push_back(e);
    }
    drop.assign(entries.size(), false);
    size_t here = 0;
    for (size_t k = 0; k < entries.size() && quota > 0; ++k) {
      const size_t at = from_tail ? entries.size() - 1 - k : k;
      if (entries[at] == v) {
        drop[at] = true;
        ++here;
        --quota;
      }
    }
    if (here == 0) return 1;
    kept.clear();
    for (size_t k = 0; k < entries.size(); ++k) {
      if (!drop[k]) kept.push_back(entries[k]);
    }
    const size_t before = chunks_.size();
    Repack(ci, kept);
    removed += here;
    return chunks_.size() + 1 - before;
  };
  if (from_tail) {
    for (size_t ci = chunks_.size(); ci > 0 && quota > 0; --ci) one_chunk(ci - 1);
  } else {
    for (size_t ci = 0; ci < chunks_.size() && quota > 0;) ci += one_chunk(ci);
  }
  return removed;
}

void ListValue::Trim(size_t front, size_t back) {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kListTrim, front, back);
  delta::Pause inner(this);  // its pops are part of the trim
  if (front + back >= count_) {
    for (Chunk& c : chunks_) FreeChunk(c);
    chunks_.clear();
    count_ = 0;
    return;
  }
  while (front > 0 && front >= chunks_.front().count) {
    front -= chunks_.front().count;
    count_ -= chunks_.front().count;
    FreeChunk(chunks_.front());
    chunks_.pop_front();
  }
  while (back > 0 && back >= chunks_.back().count) {
    back -= chunks_.back().count;
    count_ -= chunks_.back().count;
    FreeChunk(chunks_.back());
    chunks_.pop_back();
  }
  for (; front > 0; --front) PopFront(nullptr);
  for (; back > 0; --back) PopBack(nullptr);
}

void ListValue::Walk(size_t start, bool forward, FunctionRef<bool(std::string_view)> fn) const {
  if (start >= count_) return;
  Pos p = Locate(start);
  size_t ci = p.chunk;
  uint32_t off = p.off;
  while (true) {
    const Chunk& c = chunks_[ci];
    std::string_view v;
    const uint32_t sz = Decode(c.buf + off, &v);
    if (!fn(v)) return;
    if (forward) {
      off += sz;
      if (off == c.end) {
        if (++ci == chunks_.size()) return;
        off = chunks_[ci].begin;
      }
    } else if (off == c.begin) {
      if (ci == 0) return;
      --ci;
      off = PrevStart(chunks_[ci].buf, chunks_[ci].end);
    } else {
      off = PrevStart(c.buf, off);
    }
  }
}

}  // namespace kvgate::engine

// File: engine/collections/stream_value.cc
// Stream entries in listpack-shaped nodes (stream_value.h). The node fill rule and the trim
// rule follow Redis 7.0's t_stream.c (streamAppendItem, streamTrim); the listpack's byte size is
// computed with listpack.c's encodings (integers stored as integers, string headers, back
// lengths) so a node closes exactly where Redis's does.
#include "engine/collections/stream_value.h"

#include <algorithm>
#include <cstring>

namespace kvgate::engine {
namespace {

// ---- listpack sizes (listpack.c) ----

uint64_t BacklenSize(uint64_t l) {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

uint64_t IntEntrySize(int64_t v) {
  uint64_t enc = 9;
  if (v >= 0 && v <= 127) {
    enc = 1;
  } else if (v >= -4096 && v <= 4095) {
    enc = 2;
  } else if (v >= -32768 && v <= 32767) {
    enc = 3;
  } else if (v >= -8388608 && v <= 8388607) {
    enc = 4;
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    enc = 5;
  }
  return enc + BacklenSize(enc);
}

// lpStringToInt64: a string listpack stores as an integer.
bool LpInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() >= 21) return false;
  if (s == "0") {
    *out = 0;
    return true;
  }
  size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative && ++i == s.size()) return false;
  if (s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const auto d = static_cast<uint64_t>(s[i] - '0');
    if (v > UINT64_MAX / 10 || v * 10 > UINT64_MAX - d) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > uint64_t{1} << 63) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

uint64_t StrEntrySize(std::string_view s) {
  int64_t v = 0;
  if (LpInt(s, &v)) return IntEntrySize(v);
  const uint64_t n = s.size();
  const uint64_t enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return enc + BacklenSize(enc);
}

constexpr uint64_t kEmptyListpack = 7;  // header (total bytes, count) and the end byte

void PutString(std::string* data, std::string_view s) {
  const auto len = static_cast<uint32_t>(s.size());
  char b[4];
  std::memcpy(b, &len, 4);
  data->append(b, 4);
  data->append(s);
}

std::string_view GetString(std::string_view packed, size_t* off) {
  uint32_t len = 0;
  std::memcpy(&len, packed.data() + *off, 4);
  std::string_view s = packed.substr(*off + 4, len);
  *off += 4 + len;
  return s;
}

}  // namespace

bool StreamId::Incr() {
  if (seq != UINT64_MAX) {
    ++seq;
    return true;
  }
  if (ms == UINT64_MAX) return false;
  ++ms;
  seq = 0;
  return true;
}

bool StreamId::Decr() {
  if (seq != 0) {
    --seq;
    return true;
  }
  if (ms == 0) return false;
  --ms;
  seq = UINT64_MAX;
  return true;
}

void StreamEntry::ForEach(FunctionRef<void(std::string_view, std::string_view)> fn) const {
  size_t off = 0;
  for (uint32_t i = 0; i < pairs; ++i) {
    std::string_view f = GetString(packed, &off);
    std::string_view v = GetString(packed, &off);
    fn(f, v);
  }
}

// Sizes, not capacities: a clone's capacities differ, and its count must stay exact.
uint64_t StreamValue::NodeBytes(const Node& n) const {
  uint64_t b = sizeof(Node) + n.slots.size() * sizeof(Slot) + n.data.size() +
               n.master_fields.size() * sizeof(std::string);
  for (const std::string& f : n.master_fields) b += f.size();
  return b;
}

void StreamValue::Append(StreamId id, std::span<const std::string_view> fv, bool new_node) {
  if (delta() != nullptr) {
    delta::Put(delta(), delta::Op::kStreamAppend, id);
    detail::PutByte(delta(), new_node ? 1 : 0);
    detail::PutVarint(delta(), fv.size());
    for (std::string_view s : fv) detail::PutString(delta(), s);
  }
  const size_t pairs = fv.size() / 2;
  uint64_t total = 0;
  for (std::string_view s : fv) total += s.size();
  bool fresh = nodes_.empty() || new_node;
  if (!fresh) {
    const Node& tail = nodes_.back();
    fresh = tail.lp_bytes + total >= kNodeMaxBytes || tail.slots.size() >= kNodeMaxEntries;
  }
  if (fresh) {
    Node n;
    n.lp_bytes = kEmptyListpack + IntEntrySize(1) + IntEntrySize(0) +
                 IntEntrySize(static_cast<int64_t>(pairs)) + IntEntrySize(0);
    for (size_t i = 0; i < pairs; ++i) {
      n.master_fields.emplace_back(fv[2 * i]);
      n.lp_bytes += StrEntrySize(fv[2 * i]);
    }
    nodes_.push_back(std::move(n));
  } else {
    bytes_ -= NodeBytes(nodes_.back());
  }
  Node& n = nodes_.back();
  const StreamId master = n.slots.empty() ? id : n.slots.front().id;
  bool same = n.master_fields.size() == pairs;
  for (size_t i = 0; same && i < pairs; ++i) same = n.master_fields[i] == fv[2 * i];
  // flags, ms delta, seq delta, [num-fields, fields], values, lp-count
  uint64_t lp = IntEntrySize(same ? 2 : 0) + IntEntrySize(static_cast<int64_t>(id.ms - master.ms)) +
                IntEntrySize(static_cast<int64_t>(id.seq - master.seq));
  int64_t lp_count = static_cast<int64_t>(pairs) + 3;
  if (!same) {
    lp += IntEntrySize(static_cast<int64_t>(pairs));
    lp_count += static_cast<int64_t>(pairs) + 1;
  }
  for (size_t i = 0; i < pairs; ++i) {
    if (!same) lp += StrEntrySize(fv[2 * i]);
    lp += StrEntrySize(fv[2 * i + 1]);
  }
  n.lp_bytes += lp + IntEntrySize(lp_count);
  n.slots.push_back(
      Slot{id, static_cast<uint32_t>(n.data.size()), static_cast<uint32_t>(pairs), false});
  for (std::string_view s : fv.first(pairs * 2)) PutString(&n.data, s);
  ++n.live;
  bytes_ += NodeBytes(n);
  ++length_;
  ++entries_added_;
  last_id_ = id;
  if (length_ == 1) first_id_ = id;
}

size_t StreamValue::NodeFor(StreamId id) const {
  auto it = std::upper_bound(nodes_.begin(), nodes_.end(), id,
                             [](StreamId v, const Node& n) { return v < n.slots.front().id; });
  if (it == nodes_.begin()) return SIZE_MAX;
  return static_cast<size_t>(it - nodes_.begin()) - 1;
}

void StreamValue::DropNode(size_t i) {
  bytes_ -= NodeBytes(nodes_[i]);
  nodes_.erase(nodes_.begin() + static_cast<std::ptrdiff_t>(i));
}

void StreamValue::RecomputeFirst() {
  StreamEntry e;
  first_id_ = First(&e) ? e.id : StreamId{};
}

bool StreamValue::Delete(StreamId id) {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kStreamDelete, id);
  const size_t ni = NodeFor(id);
  if (ni == SIZE_MAX) return false;
  Node& n = nodes_[ni];
  auto it = std::lower_bound(n.slots.begin(), n.slots.end(), id,
                             [](const Slot& s, StreamId v) { return s.id < v; });
  if (it == n.slots.end() || it->id != id || it->deleted) return false;
  it->deleted = true;
  if (--n.live == 0) DropNode(ni);
  --length_;
  if (id > max_deleted_) max_deleted_ = id;
  if (length_ == 0) {
    first_id_ = {};
  } else if (id == first_id_) {
    RecomputeFirst();
  }
  return true;
}

void StreamValue::FlagLastDeleted() {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kStreamFlagLastDeleted);
  Slot& s = nodes_.back().slots.back();
  if (s.deleted) return;
  s.deleted = true;
  --nodes_.back().live;
  --length_;
}

uint64_t StreamValue::Trim(const StreamTrim& t) {
  if (t.by == StreamTrim::By::kNone) return 0;
  if (delta() != nullptr) {
    delta::Put(delta(), delta::Op::kStreamTrim);
    detail::PutByte(delta(), static_cast<uint8_t>(t.by));
    detail::PutByte(delta(), t.approx ? 1 : 0);
    detail::PutVarint(delta(), t.maxlen);
    detail::PutId(delta(), t.minid);
    detail::PutSigned(delta(), t.limit);
  }
  delta::Pause inner(this);  // what it removes follows from the trim
  const bool by_len = t.by == StreamTrim::By::kMaxLen;
  uint64_t deleted = 0;
  while (!nodes_.empty()) {
    if (by_len && length_ <= t.maxlen) break;
    Node& n = nodes_.front();
    if (t.limit != 0 && deleted + n.live > static_cast<uint64_t>(t.limit)) break;
    const bool whole = by_len ? length_ - n.live >= t.maxlen : n.slots.back().id < t.minid;
    if (whole) {
      length_ -= n.live;
      deleted += n.live;
      DropNode(0);
      continue;
    }
    if (t.approx) break;
    // Flag entries within this node; the next ones are past the bound.
    for (Slot& s : n.slots) {
      if (by_len ? length_ <= t.maxlen : s.id >= t.minid) break;
      if (s.deleted) continue;
      s.deleted = true;
      --n.live;
      --length_;
      ++deleted;
    }
    break;
  }
  if (length_ == 0) {
    first_id_ = {};
  } else if (deleted != 0) {
    RecomputeFirst();
  }
  return deleted;
}

StreamEntry StreamValue::View(const Node& n, const Slot& s) const {
  return StreamEntry{s.id, s.pairs, std::string_view(n.data).substr(s.off)};
}

size_t StreamValue::Range(StreamId start, StreamId end, bool rev, size_t count,
                          FunctionRef<bool(const StreamEntry&)> fn) const {
  if (nodes_.empty() || start > end) return 0;
  size_t seen = 0;
  if (!rev) {
    size_t ni = NodeFor(start);
    if (ni == SIZE_MAX) ni = 0;
    for (; ni < nodes_.size(); ++ni) {
      const Node& n = nodes_[ni];
      auto it = std::lower_bound(n.slots.begin(), n.slots.end(), start,
                                 [](const Slot& s, StreamId v) { return s.id < v; });
      for (; it != n.slots.end(); ++it) {
        if (it->id > end) return seen;
        if (it->deleted) continue;
        ++seen;
        if (!fn(View(n, *it)) || seen == count) return seen;
      }
    }
    return seen;
  }
  size_t ni = NodeFor(end);
  if (ni == SIZE_MAX) return 0;
  for (size_t k = ni + 1; k-- > 0;) {
    const Node& n = nodes_[k];
    auto it = std::upper_bound(n.slots.begin(), n.slots.end(), end,
                               [](StreamId v, const Slot& s) { return v < s.id; });
    while (it != n.slots.begin()) {
      --it;
      if (it->id < start) return seen;
      if (it->deleted) continue;
      ++seen;
      if (!fn(View(n, *it)) || seen == count) return seen;
    }
  }
  return seen;
}

StreamNodeView StreamValue::NodeAt(size_t i) const {
  const Node& n = nodes_[i];
  return StreamNodeView{n.slots.front().id, n.master_fields, n.live,
                        static_cast<uint32_t>(n.slots.size()) - n.live, n.lp_bytes};
}

void StreamValue::NodeEntries(size_t i, FunctionRef<void(const StreamEntry&, bool)> fn) const {
  const Node& n = nodes_[i];
  for (const Slot& s : n.slots) fn(View(n, s), s.deleted);
}

bool StreamValue::First(StreamEntry* out) const {
  return Range({}, kMaxStreamId, false, 1, [&](const StreamEntry& e) {
           *out = e;
           return false;
         }) == 1;
}

bool StreamValue::Last(StreamEntry* out) const {
  return Range({}, kMaxStreamId, true, 1, [&](const StreamEntry& e) {
           *out = e;
           return false;
         }) == 1;
}

}  // namespace kvgate::engine

// File: translate/redis/rdb/memory_usage.cc
// Redis's MEMORY USAGE model over kvgate values (memory_usage.h). Sizes are 7.0's on 64 bit.
#include "translate/redis/rdb/memory_usage.h"

#include <bit>
#include <string_view>

#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/zset_value.h"
#include "protocols/rdb/rdb_format.h"
#include "translate/redis/rdb/dump_codec.h"
#include "translate/redis/rdb/stream_codec.h"

namespace kvgate::redis {
namespace {

constexpr uint64_t kRobj = 16;
constexpr uint64_t kDictEntry = 24;
constexpr uint64_t kDict = 56;
constexpr uint64_t kZSet = 16;         // struct zset {dict*, zskiplist*}
constexpr uint64_t kSkiplist = 32;     // header, tail, length, level
constexpr uint64_t kSkipHeader = 640;  // a 32-level node of 24 + 32 * 16 bytes
// A skiplist node of 24 + 16 * level bytes at Redis's random levels (p = 1/4), averaged.
constexpr uint64_t kSkipNodeAvg = 53;

// sdsZmallocSize: header by length (sdshdr5 below 32 bytes), bytes, NUL.
uint64_t SdsSize(uint64_t len) {
  const uint64_t hdr = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < (1ull << 32) ? 9 : 17;
  return JemallocSize(hdr + len + 1);
}

// dictSlots: a table doubles when it is full, from 4.
uint64_t DictSlots(uint64_t n) {
  return n <= 4 ? 4 : std::bit_ceil(n);
}

uint64_t StringSize(std::string_view v) {
  int64_t n = 0;
  if (v.size() <= 20 && rdb::ParseCanonicalInt64(v, &n)) return kRobj;  // OBJ_ENCODING_INT
  if (v.size() <= 44) return JemallocSize(kRobj + 3 + v.size() + 1);    // embstr
  return kRobj + SdsSize(v.size());
}

uint64_t Average(uint64_t total, uint64_t samples, uint64_t size) {
  return samples == 0
             ? 0
             : static_cast<uint64_t>(static_cast<double>(total) / static_cast<double>(samples) *
                                     static_cast<double>(size));
}

uint64_t HashSize(const engine::HashValue& h, uint64_t samples) {
  if (h.listpack()) return kRobj + JemallocSize(HashListpack(h).size());
  uint64_t total = 0;
  uint64_t seen = 0;
  h.table().ForEach([&](std::string_view f, std::string_view v) {
    if (seen >= samples) return;
    total += SdsSize(f.size()) + SdsSize(v.size()) + kDictEntry;
    ++seen;
  });
  return kRobj + kDict + 8 * DictSlots(h.size()) + Average(total, seen, h.size());
}

uint64_t SetSize(const engine::SetValue& s, uint64_t samples) {
  if (s.intset()) {
    return kRobj + JemallocSize(8 + s.size() * static_cast<uint64_t>(s.intset_width()));
  }
  uint64_t total = 0;
  uint64_t seen = 0;
  s.ForEach([&](std::string_view m) {
    if (seen >= samples) return;
    total += SdsSize(m.size()) + kDictEntry;
    ++seen;
  });
  return kRobj + kDict + 8 * DictSlots(s.size()) + Average(total, seen, s.size());
}

uint64_t ZSetSize(const engine::ZSetValue& z, uint64_t samples) {
  using engine::ZSetValue;
  if (z.listpack()) return kRobj + JemallocSize(ZSetListpack(z).size());
  uint64_t total = 0;
  uint64_t seen = 0;
  for (const auto* n = z.First(); n != nullptr && seen < samples; n = ZSetValue::Next(n)) {
    total += SdsSize(ZSetValue::MemberOf(n).size()) + kDictEntry + kSkipNodeAvg;
    ++seen;
  }
  return kRobj + kZSet + kSkiplist + kDict + 8 * DictSlots(z.size()) + kSkipHeader +
         Average(total, seen, z.size());
}

// Redis 7.0 objectComputeSize of a quicklist: the robj and the quicklist struct (40 bytes),
// then per node its 40-byte quicklistNode and its listpack's allocation, averaged over the
// first `samples` nodes (as Redis holds a list built by RPUSH: dump_codec.h ListNodes).
uint64_t ListSize(const engine::ListValue& l, uint64_t samples) {
  constexpr uint64_t kQuicklist = 40;
  constexpr uint64_t kQuicklistNode = 40;
  const std::vector<std::string> nodes = ListNodes(l);
  uint64_t total = 0;
  uint64_t seen = 0;
  for (const std::string& node : nodes) {
    if (seen >= samples) break;
    total += kQuicklistNode + JemallocSize(node.size());
    ++seen;
  }
  return kRobj + kQuicklist + Average(total, seen, nodes.size());
}

// objectComputeSize's stream: the struct, the radix tree (streamRadixTreeMemoryUsage), the
// first `samples` listpacks averaged over all but the last, and the last one. Closed nodes
// were shrunk to fit; the tail keeps its 4 KiB preallocation (a stream built by XADD).
uint64_t StreamSize(const engine::StreamValue& s, uint64_t samples) {
  constexpr uint64_t kStream = 80;
  constexpr uint64_t kRaxNode = 4 + 8 * 30;
  const uint64_t n = s.node_count();
  uint64_t size = kRobj + kStream + n * 16 + StreamRaxNodes(s) * kRaxNode;
  auto alloc = [&](size_t i) {
    const uint64_t bytes = s.NodeAt(i).lp_bytes;
    return i + 1 == n && bytes < 4096 ? uint64_t{4096} : JemallocSize(bytes);
  };
  uint64_t lp = 0, seen = 0;
  for (size_t i = 0; i < n && seen < samples; ++i, ++seen) lp += alloc(i);
  if (n <= seen) return size + lp;
  if (seen > 0) lp /= seen;
  return size + lp * (n - 1) + alloc(n - 1);
}

}  // namespace

uint64_t JemallocSize(uint64_t n) {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) / 16 * 16;
  const int k = 63 - std::countl_zero(n - 1);  // 2^k < n <= 2^(k+1)
  const uint64_t step = uint64_t{1} << (k - 2);
  return (n + step - 1) / step * step;
}

uint64_t RedisMemoryUsage(const engine::EntryView& e, uint64_t samples) {
  uint64_t value = 0;
  switch (e.type) {
    case engine::ValueType::kString:
      value = StringSize(e.value);
      break;
    case engine::ValueType::kHash:
      value = HashSize(static_cast<const engine::HashValue&>(*e.object), samples);
      break;
    case engine::ValueType::kSet:
      value = SetSize(static_cast<const engine::SetValue&>(*e.object), samples);
      break;
    case engine::ValueType::kZSet:
      value = ZSetSize(static_cast<const engine::ZSetValue&>(*e.object), samples);
      break;
    case engine::ValueType::kList:
      value = ListSize(static_cast<const engine::ListValue&>(*e.object), samples);
      break;
    case engine::ValueType::kStream:
      value = StreamSize(static_cast<const engine::StreamValue&>(*e.object), samples);
      break;
  }
  return value + SdsSize(e.key.size()) + kDictEntry;
}

}  // namespace kvgate::redis

// File: translate/redis/rdb/memory_usage.h
// MEMORY USAGE: what redis-server 7.0 (with jemalloc) would report for the same key and value
// in the same encoding, so numbers stay comparable for users moving between the two. It is
// Redis's own model (object.c objectComputeSize) fed with kvgate's data: a string's robj and
// sds, a listpack or intset's exact blob size (built as DUMP builds it), a hashtable's or
// skiplist's dict plus the average of the first `samples` elements times the count; then the
// key's sds and its dictEntry. kvgate's own heap use differs (Collection::MemoryBytes, which
// maxmemory and INFO memory count): kvgate keeps every collection in one layout and labels it.
//
//   uint64_t bytes = RedisMemoryUsage(entry, /*samples=*/5);   // 0 samples: all
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/types.h"

namespace kvgate::redis {

uint64_t RedisMemoryUsage(const engine::EntryView& e, uint64_t samples);
// jemalloc's usable size for a request of n bytes (its size classes: 8, 16, then four per
// doubling).
uint64_t JemallocSize(uint64_t n);

}  // namespace kvgate::redis

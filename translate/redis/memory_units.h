// File: translate/redis/memory_units.h
// Redis's memory value syntax (redis.conf and CONFIG SET, memtoull): digits with an optional
// unit b, k (1000), kb (1024), m, mb, g, gb, case-insensitive. Used by CONFIG SET and by the
// command-line flags, so `--maxmemory 1gb` means what `CONFIG SET maxmemory 1gb` means.
//
//   uint64_t n; ParseMemoryValue("512mb", &n);  // n == 536870912
#pragma once

#include <cstdint>
#include <string_view>

namespace kvgate::redis {

// False for an empty number, an unknown unit or an overflow.
bool ParseMemoryValue(std::string_view text, uint64_t* bytes);

}  // namespace kvgate::redis

// File: translate/redis/hyperloglog.h
// Redis's HyperLogLog value format (redis-server 7.0 src/hyperloglog.c), so that a value written
// by redis-server counts the same here and the reverse, byte for byte:
//   header (16 bytes): "HYLL", encoding (0 dense, 1 sparse), 3 unused bytes, the cached
//   cardinality (8 bytes little endian; the top bit of the last byte set = stale);
//   dense: 16384 registers of 6 bits, packed from the least significant bit of each byte on;
//   sparse: run-length opcodes ZERO (00llllll: 1-64 zero registers), XZERO (01llllll llllllll:
//   1-16384 zero registers), VAL (1vvvvvll: 1-4 registers of value 1-32).
// Elements are hashed with MurmurHash64A (seed 0xadc83b19); counts use Ertl's estimator, as
// Redis does. Sparse updates split and merge opcodes exactly as Redis does, so the same adds
// give the same bytes. No dependency on the Redis front: values in, values out.
//
//   std::string h = hll::NewSparse();
//   hll::Add(h, "a", hll::kDefaultSparseMaxBytes);   // SetResult::kChanged
//   hll::Count(h);                                   // 1
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kvgate::redis::hll {

inline constexpr size_t kHeaderSize = 16;
inline constexpr uint32_t kRegisters = 16384;  // 2^14
inline constexpr uint32_t kRegisterBits = 6;
inline constexpr size_t kDenseSize = kHeaderSize + kRegisters * kRegisterBits / 8;
inline constexpr uint64_t kHashSeed = 0xadc83b19ULL;
inline constexpr size_t kDefaultSparseMaxBytes = 3000;  // hll-sparse-max-bytes

enum class Encoding : uint8_t { kDense = 0, kSparse = 1 };

// One byte per register: the form merges work in.
using Registers = std::array<uint8_t, kRegisters>;

// Austin Appleby's MurmurHash64A with Redis's endian-neutral reading of the input.
uint64_t MurmurHash64A(std::string_view data, uint64_t seed);

// The register an element lands in and its run length (trailing zeros + 1, 1..51).
struct Pattern {
  uint32_t index = 0;
  uint8_t count = 0;
};
Pattern PatternOf(std::string_view element);

// Redis's isHLLObjectOrReply test: magic, a known encoding, a dense value of the exact size.
// A sparse value's opcodes are only checked when they are read (Corrupt results below).
bool IsValid(std::string_view value);
// The encoding of a value that IsValid accepted.
Encoding EncodingOf(std::string_view hll);

// An empty HLL as PFADD creates it: sparse, one XZERO over every register, cached count 0.
std::string NewSparse();

enum class SetResult { kUnchanged, kChanged, kCorrupt };

// Raises register `index` to `count` if it is lower (hllSparseSet / hllDenseSet). A sparse value
// turns dense when `count` exceeds 32 or the update would grow it past `sparse_max_bytes`.
// kCorrupt leaves the value as it was. Does not touch the cached cardinality of a dense value.
SetResult SetRegister(std::string& hll, uint32_t index, uint8_t count, size_t sparse_max_bytes);
// SetRegister with the element's pattern.
SetResult Add(std::string& hll, std::string_view element, size_t sparse_max_bytes);

// Sparse -> dense, header (and cached count) kept; false for corrupt opcodes (value unchanged).
// A dense value is left as is.
bool ToDense(std::string& hll);
// max[i] = max(max[i], register i of `hll`); false for corrupt sparse opcodes.
bool MergeInto(Registers& max, std::string_view hll);
// Register i of a dense value.
uint8_t DenseRegister(std::string_view hll, uint32_t index);

// The estimate of a valid value, computed (not the cached one); nullopt for corrupt opcodes.
std::optional<uint64_t> Count(std::string_view hll);
// The estimate of merged registers (PFCOUNT of several keys).
uint64_t CountRegisters(const Registers& registers);

// The cached cardinality, nullopt when it is marked stale.
std::optional<uint64_t> CachedCount(std::string_view hll);
void SetCachedCount(std::string& hll, uint64_t card);
// Marks the cache stale; the other cached bytes stay as they were, as in Redis.
void InvalidateCache(std::string& hll);

// PFDEBUG DECODE's text of a sparse value: "z:<n>", "Z:<n>", "v:<value>,<n>" joined by spaces.
std::string DecodeSparse(std::string_view hll);

}  // namespace kvgate::redis::hll

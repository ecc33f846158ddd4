// File: tests/fuzz/hll_fuzz.cc
// libFuzzer target for HyperLogLog values (translate/redis/hyperloglog.h), the bytes PFCOUNT,
// PFMERGE and PFADD read from any key a client SET. The first input byte holds options (bit 0:
// prefix the rest with "HYLL" so most inputs reach the opcodes; bits 1-7: hll-sparse-max-bytes
// in steps of 25); the rest is the value. Checks that the readers agree (PFCOUNT's count,
// PFMERGE's registers, the dense conversion), that adds keep the value an HLL of the right size,
// never lower a register, and leave a corrupt value unchanged.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target hll_fuzz
//   build/fuzz/tests/fuzz/hll_fuzz tests/fuzz/corpus/hll_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "translate/redis/hyperloglog.h"

namespace hll = kvgate::redis::hll;

namespace {

void Require(bool ok) {
  if (!ok) abort();
}

// PFCOUNT, PFCOUNT of several keys, PFMERGE and PFDEBUG TODENSE read a value the same way.
void CheckReaders(const std::string& value) {
  const std::optional<uint64_t> count = hll::Count(value);
  hll::Registers max{};
  const bool merged = hll::MergeInto(max, value);
  Require(merged == count.has_value());
  if (merged) Require(hll::CountRegisters(max) == *count);
  std::string dense = value;
  const bool converted = hll::ToDense(dense);
  Require(converted == merged);
  if (!converted) {
    Require(dense == value);
    return;
  }
  Require(dense.size() == hll::kDenseSize && hll::IsValid(dense));
  Require(hll::Count(dense) == count);
  for (uint32_t i = 0; i < hll::kRegisters; i += 97)
    Require(hll::DenseRegister(dense, i) == max[i]);
  if (hll::EncodingOf(value) == hll::Encoding::kSparse) (void)hll::DecodeSparse(value);
}

// PFADD: elements cut from the input, each add checked against the registers before it.
void CheckAdds(std::string value, std::string_view elements, size_t sparse_max_bytes) {
  for (size_t k = 0; k < 8 && !elements.empty(); ++k) {
    const size_t n = elements.size() < k + 1 ? elements.size() : k + 1;
    const std::string before = value;
    hll::Registers old{};
    const bool was_valid = hll::MergeInto(old, before);
    const hll::SetResult r = hll::Add(value, elements.substr(0, n), sparse_max_bytes);
    elements.remove_prefix(n);
    Require(hll::IsValid(value));
    if (hll::EncodingOf(value) == hll::Encoding::kDense) Require(value.size() == hll::kDenseSize);
    if (r == hll::SetResult::kCorrupt) {
      Require(value == before && !was_valid);
      return;
    }
    if (r == hll::SetResult::kUnchanged) Require(value == before);
    hll::Registers now{};
    if (was_valid && hll::MergeInto(now, value)) {
      for (uint32_t i = 0; i < hll::kRegisters; ++i) Require(now[i] >= old[i]);
    }
  }
  CheckReaders(value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t options = data[0];
  std::string value = (options & 1) ? "HYLL" : "";
  value.append(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!hll::IsValid(value)) return 0;
  CheckReaders(value);
  std::string recached = value;
  hll::SetCachedCount(recached, 12345);
  Require(hll::CachedCount(recached) == 12345u);
  hll::InvalidateCache(recached);
  Require(!hll::CachedCount(recached).has_value());
  CheckAdds(value, std::string_view(value).substr(value.size() / 2), (options >> 1) * 25u);
  return 0;
}

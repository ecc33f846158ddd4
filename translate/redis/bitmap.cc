#include "translate/redis/bitmap.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace kvgate::redis::bitmap {
namespace {

uint8_t Byte(std::string_view s, uint64_t i) {
  return i < s.size() ? static_cast<uint8_t>(s[i]) : 0;
}

// Bits of a byte before bit `i` (i in 0..7), in Redis's most-significant-first order.
uint8_t BitsBefore(unsigned i) {
  return static_cast<uint8_t>(0xFF00u >> i);
}
// Bits of a byte after bit `i`.
uint8_t BitsAfter(unsigned i) {
  return static_cast<uint8_t>((1u << (7 - i)) - 1);
}

int64_t PopCount(const char* p, size_t n) {
  int64_t count = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, p + i, sizeof(word));
    count += std::popcount(word);
  }
  for (; i < n; ++i) count += std::popcount(static_cast<uint8_t>(p[i]));
  return count;
}

uint64_t FieldMask(unsigned bits) {
  return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}

int64_t SignExtend(uint64_t v, unsigned bits) {
  if (bits < 64) {
    v &= FieldMask(bits);
    if ((v >> (bits - 1)) & 1) v |= ~FieldMask(bits);
  }
  return static_cast<int64_t>(v);  // modular since C++20
}

int64_t SignedMax(unsigned bits) {
  return static_cast<int64_t>(FieldMask(bits - 1));
}

// The stored value of a result `dir` (+1 above the type's range, -1 below) of which `wrapped`
// is the two's complement sum.
std::optional<int64_t> OnOverflow(FieldType t, int dir, uint64_t wrapped, Overflow o) {
  switch (o) {
    case Overflow::kFail:
      return std::nullopt;
    case Overflow::kWrap:
      return t.is_signed ? SignExtend(wrapped, t.bits)
                         : static_cast<int64_t>(wrapped & FieldMask(t.bits));
    case Overflow::kSat:
      break;
  }
  if (!t.is_signed) return dir > 0 ? static_cast<int64_t>(FieldMask(t.bits)) : 0;
  const int64_t max = SignedMax(t.bits);
  return dir > 0 ? max : -max - 1;
}

}  // namespace

bool GetBit(std::string_view s, uint64_t bit) {
  return (Byte(s, bit >> 3) >> (7 - (bit & 7))) & 1;
}

void SetBit(std::string& s, uint64_t bit, bool on) {
  const auto mask = static_cast<uint8_t>(0x80u >> (bit & 7));
  auto& byte = reinterpret_cast<uint8_t&>(s[bit >> 3]);
  byte = on ? (byte | mask) : (byte & ~mask);
}

int64_t CountBits(std::string_view s, uint64_t first, uint64_t last) {
  const uint64_t fb = first >> 3, lb = last >> 3;
  int64_t count = PopCount(s.data() + fb, lb - fb + 1);
  count -= std::popcount(static_cast<uint8_t>(Byte(s, fb) & BitsBefore(first & 7)));
  count -= std::popcount(static_cast<uint8_t>(Byte(s, lb) & BitsAfter(last & 7)));
  return count;
}

int64_t FindBit(std::string_view s, uint64_t first, uint64_t last, bool bit) {
  const uint64_t fb = first >> 3, lb = last >> 3;
  // Looking for a 1 in the byte, or in its complement when looking for a 0.
  const uint8_t flip = bit ? 0 : 0xFF;
  auto candidates = [&](uint64_t b) {
    uint8_t v = Byte(s, b) ^ flip;
    if (b == fb) v &= static_cast<uint8_t>(~BitsBefore(first & 7));
    if (b == lb) v &= static_cast<uint8_t>(~BitsAfter(last & 7));
    return v;
  };
  if (uint8_t v = candidates(fb)) return static_cast<int64_t>(fb * 8) + std::countl_zero(v);
  if (lb == fb) return -1;
  // Whole bytes in between: skip those without the bit in one pass.
  const char* begin = s.data() + fb + 1;
  const char* end = s.data() + lb;
  const char* hit =
      std::find_if(begin, end, [flip](char c) { return static_cast<uint8_t>(c) != flip; });
  const uint64_t b = hit == end ? lb : static_cast<uint64_t>(hit - s.data());
  if (uint8_t v = candidates(b)) return static_cast<int64_t>(b * 8) + std::countl_zero(v);
  return -1;
}

bool ClampRange(int64_t len, int64_t* start, int64_t* end) {
  if (*start < 0) *start += len;
  if (*end < 0) *end += len;
  if (*start < 0) *start = 0;
  if (*end < 0) *end = 0;
  if (*end >= len) *end = len - 1;
  return *start <= *end;
}

std::string Combine(BitOp op, std::span<const std::string_view> sources) {
  size_t max_len = 0;
  for (std::string_view src : sources) max_len = std::max(max_len, src.size());
  std::string out(max_len, '\0');
  if (sources.empty()) return out;
  auto* res = reinterpret_cast<uint8_t*>(out.data());
  for (size_t i = 0; i < max_len; ++i) res[i] = Byte(sources[0], i);
  if (op == BitOp::kNot) {
    for (size_t i = 0; i < max_len; ++i) res[i] = static_cast<uint8_t>(~res[i]);
    return out;
  }
  for (std::string_view src : sources.subspan(1)) {
    for (size_t i = 0; i < max_len; ++i) {
      const uint8_t b = Byte(src, i);
      if (op == BitOp::kAnd) {
        res[i] &= b;
      } else if (op == BitOp::kOr) {
        res[i] |= b;
      } else {
        res[i] ^= b;
      }
    }
  }
  return out;
}

int64_t ReadField(std::string_view s, uint64_t offset, FieldType t) {
  uint64_t v = 0;
  for (unsigned j = 0; j < t.bits; ++j) v = (v << 1) | (GetBit(s, offset + j) ? 1 : 0);
  return t.is_signed ? SignExtend(v, t.bits) : static_cast<int64_t>(v);
}

void WriteField(std::string& s, uint64_t offset, FieldType t, int64_t value) {
  const auto v = static_cast<uint64_t>(value);
  for (unsigned j = 0; j < t.bits; ++j) SetBit(s, offset + j, (v >> (t.bits - 1 - j)) & 1);
}

std::optional<int64_t> FieldSet(FieldType t, int64_t value, Overflow o) {
  const auto u = static_cast<uint64_t>(value);
  if (!t.is_signed) {
    // A negative value is a huge unsigned one: above the range, as in Redis.
    if (u <= FieldMask(t.bits)) return value;
    return OnOverflow(t, 1, u, o);
  }
  const int64_t max = SignedMax(t.bits);
  if (value > max) return OnOverflow(t, 1, u, o);
  if (value < -max - 1) return OnOverflow(t, -1, u, o);
  return value;
}

std::optional<int64_t> FieldIncr(FieldType t, int64_t old, int64_t incr, Overflow o) {
  const uint64_t wrapped = static_cast<uint64_t>(old) + static_cast<uint64_t>(incr);
  if (!t.is_signed) {
    // old is in [0, max]; compare magnitudes so nothing overflows.
    const uint64_t max = FieldMask(t.bits), uold = static_cast<uint64_t>(old);
    if (incr >= 0 && static_cast<uint64_t>(incr) > max - uold) return OnOverflow(t, 1, wrapped, o);
    if (incr < 0 && uint64_t{0} - static_cast<uint64_t>(incr) > uold) {
      return OnOverflow(t, -1, wrapped, o);
    }
    return static_cast<int64_t>(wrapped);
  }
  const int64_t max = SignedMax(t.bits);
  int64_t sum = 0;
  if (__builtin_add_overflow(old, incr, &sum)) return OnOverflow(t, incr > 0 ? 1 : -1, wrapped, o);
  if (sum > max) return OnOverflow(t, 1, wrapped, o);
  if (sum < -max - 1) return OnOverflow(t, -1, wrapped, o);
  return sum;
}

}  // namespace kvgate::redis::bitmap

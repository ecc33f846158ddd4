// File: translate/redis/bitmap.h
// Bit arithmetic on string values for SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and BITFIELD,
// free of sessions and replies. Bit 0 is the most significant bit of the first byte (Redis's
// order); a string reads as zero-padded on the right.
//
//   bitmap::CountBits("\xff\x0f", 4, 11) == 4;   bitmap::FindBit("\x00\x10", 0, 15, true) == 11;
//   bitmap::FieldType u8{false, 8};  bitmap::WriteField(s, 0, u8, 200);  // s.size() >= 1
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kvgate::redis::bitmap {

bool GetBit(std::string_view s, uint64_t bit);
// `s` must hold bit `bit` (callers grow it first).
void SetBit(std::string& s, uint64_t bit, bool on);

// Set bits in [first, last], both inside `s`.
int64_t CountBits(std::string_view s, uint64_t first, uint64_t last);
// Position of the first bit equal to `bit` in [first, last] (inside `s`), or -1.
int64_t FindBit(std::string_view s, uint64_t first, uint64_t last, bool bit);

// Redis's range rules (BITCOUNT, BITPOS, GETRANGE): negative indexes count from `len`, then
// both ends are clamped into [0, len - 1]. False when the range is empty.
bool ClampRange(int64_t len, int64_t* start, int64_t* end);

enum class BitOp { kAnd, kOr, kXor, kNot };
// BITOP's result: as long as the longest source, shorter sources zero-padded.
std::string Combine(BitOp op, std::span<const std::string_view> sources);

// A BITFIELD integer type: i1..i64 or u1..u63.
struct FieldType {
  bool is_signed = false;
  unsigned bits = 0;
};
enum class Overflow { kWrap, kSat, kFail };

// The field at bit `offset` (zero past the end of `s`), sign-extended for signed types.
int64_t ReadField(std::string_view s, uint64_t offset, FieldType t);
// Stores the low t.bits bits of `value`; `s` must hold the whole field.
void WriteField(std::string& s, uint64_t offset, FieldType t, int64_t value);
// What a field stores for BITFIELD SET `value` / INCRBY `incr` from `old` under the overflow
// policy; nullopt when the result does not fit and the policy is kFail.
std::optional<int64_t> FieldSet(FieldType t, int64_t value, Overflow o);
std::optional<int64_t> FieldIncr(FieldType t, int64_t old, int64_t incr, Overflow o);

}  // namespace kvgate::redis::bitmap

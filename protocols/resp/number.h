// File: protocols/resp/number.h
// Redis's number grammar, shared by the request reader (`*N`, `$len` headers) and the command
// layer (integer arguments, stored counters). Redis accepts only canonical decimals: no '+',
// no spaces, no leading zeros, no "-0", at most 20 bytes, within int64 (its string2ll()).
//
//   int64_t v;
//   ParseInt64("42", &v) == true;   ParseInt64("042", &v) == false;
//   char buf[kMaxInt64Chars]; std::string_view s = FormatInt64(-7, buf);   // "-7"
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kvgate::resp {

// Enough for "-9223372036854775808".
inline constexpr size_t kMaxInt64Chars = 21;

// Canonical signed 64-bit decimal (Redis string2ll). Returns false and leaves *out alone on
// anything else.
bool ParseInt64(std::string_view s, int64_t* out);

// Writes the decimal form of v into buf (kMaxInt64Chars bytes) and returns a view of it.
std::string_view FormatInt64(int64_t v, char* buf);

}  // namespace kvgate::resp

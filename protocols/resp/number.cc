#include "protocols/resp/number.h"

#include <charconv>

namespace kvgate::resp {

bool ParseInt64(std::string_view s, int64_t* out) {
  // Redis string2ll() rejects 21+ byte inputs before looking at them.
  if (s.empty() || s.size() >= kMaxInt64Chars) return false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    i = 1;
    if (i == s.size()) return false;
  }
  // The first digit must be 1-9: no leading zeros, no "-0".
  if (s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

std::string_view FormatInt64(int64_t v, char* buf) {
  auto r = std::to_chars(buf, buf + kMaxInt64Chars, v);
  return {buf, static_cast<size_t>(r.ptr - buf)};
}

}  // namespace kvgate::resp

// File: protocols/rdb/rdb_format.cc
// RDB lengths, strings, doubles and the DUMP footer (rdb_format.h).
#include "protocols/rdb/rdb_format.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "protocols/rdb/crc64.h"
#include "protocols/rdb/lzf.h"

namespace kvgate::rdb {
namespace {

constexpr uint8_t kEncInt8 = 0;
constexpr uint8_t kEncInt16 = 1;
constexpr uint8_t kEncInt32 = 2;
constexpr uint8_t kEncLzf = 3;
constexpr uint8_t kLen32 = 0x80;
constexpr uint8_t kLen64 = 0x81;
// LZF expands at most 264 bytes out of a 3-byte back reference.
constexpr uint64_t kMaxLzfRatio = 90;

void AppendLE(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void AppendBE(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t ReadLE(std::string_view s) {
  uint64_t v = 0;
  for (size_t i = s.size(); i-- > 0;) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}
uint64_t ReadBE(std::string_view s) {
  uint64_t v = 0;
  for (unsigned char c : s) v = (v << 8) | c;
  return v;
}

// rdbEncodeInteger: the special form for a value that fits 32 bits.
bool AppendIntEncoded(std::string* out, int64_t v) {
  if (v >= INT8_MIN && v <= INT8_MAX) {
    out->push_back(static_cast<char>(0xc0 | kEncInt8));
    AppendLE(out, static_cast<uint64_t>(v), 1);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    out->push_back(static_cast<char>(0xc0 | kEncInt16));
    AppendLE(out, static_cast<uint64_t>(v), 2);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    out->push_back(static_cast<char>(0xc0 | kEncInt32));
    AppendLE(out, static_cast<uint64_t>(v), 4);
  } else {
    return false;
  }
  return true;
}

void AppendRaw(std::string* out, std::string_view s) {
  AppendLen(out, s.size());
  out->append(s);
}

}  // namespace

bool ParseCanonicalInt64(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s[0] == '+' || (s.size() > 1 && s[0] == '0') || s == "-0" ||
      (s.size() > 1 && s[0] == '-' && s[1] == '0')) {
    return false;
  }
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return false;
  *out = v;
  return true;
}

void AppendLen(std::string* out, uint64_t len) {
  if (len < (1 << 6)) {
    out->push_back(static_cast<char>(len));
  } else if (len < (1 << 14)) {
    out->push_back(static_cast<char>(((len >> 8) & 0x3f) | 0x40));
    out->push_back(static_cast<char>(len & 0xff));
  } else if (len <= UINT32_MAX) {
    out->push_back(static_cast<char>(kLen32));
    AppendBE(out, len, 4);
  } else {
    out->push_back(static_cast<char>(kLen64));
    AppendBE(out, len, 8);
  }
}

void AppendString(std::string* out, std::string_view s) {
  int64_t v = 0;
  if (s.size() <= 11 && ParseCanonicalInt64(s, &v) && AppendIntEncoded(out, v)) return;
  std::string compressed;
  if (s.size() > 20 && LzfCompress(s, s.size() - 4, &compressed)) {
    out->push_back(static_cast<char>(0xc0 | kEncLzf));
    AppendLen(out, compressed.size());
    AppendLen(out, s.size());
    out->append(compressed);
    return;
  }
  AppendRaw(out, s);
}

void AppendInteger(std::string* out, int64_t v) {
  if (AppendIntEncoded(out, v)) return;
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  AppendRaw(out, std::string_view(buf, static_cast<size_t>(end - buf)));
}

void AppendBinaryDouble(std::string* out, double v) {
  AppendLE(out, std::bit_cast<uint64_t>(v), 8);
}

void AppendMillisecondTime(std::string* out, int64_t ms) {
  AppendLE(out, static_cast<uint64_t>(ms), 8);
}

void AppendFooter(std::string* payload) {
  AppendLE(payload, kRdbVersion, 2);
  AppendLE(payload, Crc64(0, *payload), 8);
}

bool VerifyFooter(std::string_view payload) {
  if (payload.size() < kFooterSize) return false;
  const std::string_view footer = payload.substr(payload.size() - kFooterSize);
  if (ReadLE(footer.substr(0, 2)) > kRdbVersion) return false;
  const uint64_t crc = Crc64(0, payload.substr(0, payload.size() - 8));
  return crc == ReadLE(footer.substr(2, 8));
}

bool Reader::Take(size_t n, std::string_view* out) {
  if (n > remaining()) return false;
  *out = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool Reader::LoadByte(uint8_t* out) {
  std::string_view b;
  if (!Take(1, &b)) return false;
  *out = static_cast<uint8_t>(b[0]);
  return true;
}

bool Reader::LoadLen(uint64_t* out, bool* encoded) {
  uint8_t b = 0;
  if (!LoadByte(&b)) return false;
  if (encoded != nullptr) *encoded = false;
  std::string_view rest;
  switch (b >> 6) {
    case 0:
      *out = b & 0x3f;
      return true;
    case 1:
      if (!Take(1, &rest)) return false;
      *out = (uint64_t{b & 0x3fu} << 8) | static_cast<uint8_t>(rest[0]);
      return true;
    case 2:
      if (b == kLen32 && Take(4, &rest)) {
        *out = ReadBE(rest);
        return true;
      }
      if (b == kLen64 && Take(8, &rest)) {
        *out = ReadBE(rest);
        return true;
      }
      return false;
    default:
      if (encoded == nullptr) return false;
      *encoded = true;
      *out = b & 0x3f;
      return true;
  }
}

bool Reader::LoadString(std::string* out) {
  bool encoded = false;
  uint64_t len = 0;
  if (!LoadLen(&len, &encoded)) return false;
  std::string_view bytes;
  if (!encoded) {
    if (!Take(len, &bytes)) return false;
    out->assign(bytes);
    return true;
  }
  if (len == kEncInt8 || len == kEncInt16 || len == kEncInt32) {
    const int width = 1 << len;
    if (!Take(static_cast<size_t>(width), &bytes)) return false;
    const uint64_t raw = ReadLE(bytes);
    const int shift = 64 - 8 * width;
    const int64_t v = static_cast<int64_t>(raw << shift) >> shift;  // sign-extend
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    out->assign(buf, static_cast<size_t>(end - buf));
    return true;
  }
  if (len != kEncLzf) return false;
  uint64_t clen = 0;
  uint64_t ulen = 0;
  if (!LoadLen(&clen) || !LoadLen(&ulen)) return false;
  if (clen == 0 || ulen == 0 || ulen / kMaxLzfRatio > clen) return false;
  if (!Take(clen, &bytes)) return false;
  return LzfDecompress(bytes, ulen, out);
}

bool Reader::LoadBinaryDouble(double* out) {
  std::string_view bytes;
  if (!Take(8, &bytes)) return false;
  *out = std::bit_cast<double>(ReadLE(bytes));
  return true;
}

bool Reader::LoadMillisecondTime(int64_t* out) {
  std::string_view bytes;
  if (!Take(8, &bytes)) return false;
  *out = static_cast<int64_t>(ReadLE(bytes));
  return true;
}

bool Reader::LoadTextDouble(double* out) {
  uint8_t len = 0;
  if (!LoadByte(&len)) return false;
  switch (len) {
    case 255:
      *out = -std::numeric_limits<double>::infinity();
      return true;
    case 254:
      *out = std::numeric_limits<double>::infinity();
      return true;
    case 253:
      *out = std::numeric_limits<double>::quiet_NaN();
      return true;
    default:
      break;
  }
  std::string_view bytes;
  if (!Take(len, &bytes)) return false;
  const std::string text(bytes);  // sscanf "%lg" reads the leading number
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end != text.c_str();
}

}  // namespace kvgate::rdb

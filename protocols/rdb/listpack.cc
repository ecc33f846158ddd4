// File: protocols/rdb/listpack.cc
// Listpack, ziplist and intset codecs (listpack.h).
#include "protocols/rdb/listpack.h"

#include <charconv>

#include "protocols/rdb/rdb_format.h"

namespace kvgate::rdb {
namespace {

void PutLE(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t GetLE(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
int64_t SignExtend(uint64_t v, int bits) {
  const int shift = 64 - bits;
  return static_cast<int64_t>(v << shift) >> shift;
}

// lpEncodeBacklen: the entry's length in 7-bit groups, read from the right.
std::string Backlen(uint64_t l) {
  std::string b;
  if (l <= 127) {
    b.push_back(static_cast<char>(l));
  } else if (l < 16383) {
    b = {static_cast<char>(l >> 7), static_cast<char>((l & 127) | 128)};
  } else if (l < 2097151) {
    b = {static_cast<char>(l >> 14), static_cast<char>(((l >> 7) & 127) | 128),
         static_cast<char>((l & 127) | 128)};
  } else if (l < 268435455) {
    b = {static_cast<char>(l >> 21), static_cast<char>(((l >> 14) & 127) | 128),
         static_cast<char>(((l >> 7) & 127) | 128), static_cast<char>((l & 127) | 128)};
  } else {
    b = {static_cast<char>(l >> 28), static_cast<char>(((l >> 21) & 127) | 128),
         static_cast<char>(((l >> 14) & 127) | 128), static_cast<char>(((l >> 7) & 127) | 128),
         static_cast<char>((l & 127) | 128)};
  }
  return b;
}

}  // namespace

std::string BlobEntry::String() const {
  if (!is_int) return std::string(bytes);
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, static_cast<size_t>(end - buf));
}

void ListpackBuilder::AppendEntry(std::string_view encoded) {
  entries_.append(encoded);
  entries_.append(Backlen(encoded.size()));
  ++count_;
}

void ListpackBuilder::Append(std::string_view s) {
  int64_t v = 0;
  if (ParseCanonicalInt64(s, &v)) return AppendInteger(v);
  std::string e;
  const size_t n = s.size();
  if (n < 64) {
    e.push_back(static_cast<char>(0x80 | n));
  } else if (n < 4096) {
    e.push_back(static_cast<char>(0xe0 | (n >> 8)));
    e.push_back(static_cast<char>(n & 0xff));
  } else {
    e.push_back(static_cast<char>(0xf0));
    PutLE(&e, n, 4);
  }
  e.append(s);
  AppendEntry(e);
}

void ListpackBuilder::AppendInteger(int64_t v) {
  std::string e;
  const auto u = static_cast<uint64_t>(v);
  if (v >= 0 && v <= 127) {
    e.push_back(static_cast<char>(v));
  } else if (v >= -4096 && v <= 4095) {
    const uint64_t t = u & 0x1fff;
    e.push_back(static_cast<char>(0xc0 | (t >> 8)));
    e.push_back(static_cast<char>(t & 0xff));
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    e.push_back(static_cast<char>(0xf1));
    PutLE(&e, u, 2);
  } else if (v >= -8388608 && v <= 8388607) {
    e.push_back(static_cast<char>(0xf2));
    PutLE(&e, u, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    e.push_back(static_cast<char>(0xf3));
    PutLE(&e, u, 4);
  } else {
    e.push_back(static_cast<char>(0xf4));
    PutLE(&e, u, 8);
  }
  AppendEntry(e);
}

std::string ListpackBuilder::Finish() const {
  std::string out;
  PutLE(&out, size(), 4);
  PutLE(&out, count_ < 65535 ? count_ : 65535, 2);
  out.append(entries_);
  out.push_back(static_cast<char>(0xff));
  return out;
}

bool ParseListpack(std::string_view blob, std::vector<BlobEntry>* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t n = blob.size();
  if (n < 7 || GetLE(p, 4) != n || p[n - 1] != 0xff) return false;
  const uint64_t count = GetLE(p + 4, 2);
  out->clear();
  size_t pos = 6;
  while (pos < n - 1) {
    const unsigned char b = p[pos];
    size_t head = 1;  // encoding bytes
    size_t data = 0;  // payload bytes after them
    BlobEntry e;
    if ((b & 0x80) == 0) {
      e = {true, b, {}};
    } else if ((b & 0xc0) == 0x80) {
      data = b & 0x3f;
    } else if ((b & 0xe0) == 0xc0) {
      head = 2;
    } else if ((b & 0xf0) == 0xe0) {
      head = 2;
      if (pos + 2 > n - 1) return false;
      data = (size_t{b & 0x0fu} << 8) | p[pos + 1];
    } else if (b == 0xf0) {
      head = 5;
      if (pos + 5 > n - 1) return false;
      data = GetLE(p + pos + 1, 4);
    } else if (b >= 0xf1 && b <= 0xf4) {
      static constexpr int kWidth[] = {2, 3, 4, 8};
      head = 1 + static_cast<size_t>(kWidth[b - 0xf1]);
    } else {
      return false;  // 0xf5..0xfe unused, 0xff only at the end
    }
    const size_t len = head + data;
    if (data > n || pos + len > n - 1) return false;
    const unsigned char* q = p + pos;
    if ((b & 0xe0) == 0xc0) {
      e = {true, SignExtend((uint64_t{b & 0x1fu} << 8) | q[1], 13), {}};
    } else if (b >= 0xf1 && b <= 0xf4) {
      const int w = static_cast<int>(head - 1);
      e = {true, SignExtend(GetLE(q + 1, w), 8 * w), {}};
    } else if (!e.is_int) {
      e.bytes = blob.substr(pos + head, data);
    }
    const std::string back = Backlen(len);
    if (pos + len + back.size() > n - 1 || blob.substr(pos + len, back.size()) != back) {
      return false;
    }
    pos += len + back.size();
    out->push_back(e);
  }
  return count == 65535 || count == out->size();
}

bool ParseZiplist(std::string_view blob, std::vector<BlobEntry>* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t n = blob.size();
  if (n < 11 || GetLE(p, 4) != n || p[n - 1] != 0xff) return false;
  const uint64_t tail = GetLE(p + 4, 4);
  const uint64_t count = GetLE(p + 8, 2);
  out->clear();
  size_t pos = 10;
  size_t prev_len = 0;
  size_t last = 10;
  while (pos < n - 1) {
    size_t prevlen = p[pos];
    size_t head = 1;
    if (prevlen == 254) {
      if (pos + 5 > n - 1) return false;
      prevlen = GetLE(p + pos + 1, 4);
      head = 5;
    } else if (prevlen == 255) {
      return false;
    }
    if (prevlen != prev_len) return false;
    if (pos + head >= n - 1) return false;
    const unsigned char b = p[pos + head];
    size_t enc = 1;
    size_t data = 0;
    BlobEntry e;
    switch (b >> 6) {
      case 0:
        data = b & 0x3f;
        break;
      case 1:
        enc = 2;
        if (pos + head + 2 > n - 1) return false;
        data = (size_t{b & 0x3fu} << 8) | p[pos + head + 1];
        break;
      case 2:
        if (b != 0x80) return false;
        enc = 5;
        if (pos + head + 5 > n - 1) return false;
        data = (size_t{p[pos + head + 1]} << 24) | (size_t{p[pos + head + 2]} << 16) |
               (size_t{p[pos + head + 3]} << 8) | p[pos + head + 4];
        break;
      default:
        e.is_int = true;
        if (b == 0xc0)
          data = 2;
        else if (b == 0xd0)
          data = 4;
        else if (b == 0xe0)
          data = 8;
        else if (b == 0xf0)
          data = 3;
        else if (b == 0xfe)
          data = 1;
        else if (b >= 0xf1 && b <= 0xfd)
          e.value = (b & 0x0f) - 1;
        else
          return false;
        break;
    }
    const size_t len = head + enc + data;
    if (data > n || pos + len > n - 1) return false;
    if (e.is_int && data > 0) {
      e.value = SignExtend(GetLE(p + pos + head + enc, static_cast<int>(data)),
                           8 * static_cast<int>(data));
    } else if (!e.is_int) {
      e.bytes = blob.substr(pos + head + enc, data);
    }
    out->push_back(e);
    last = pos;
    prev_len = len;
    pos += len;
  }
  if (!out->empty() && tail != last) return false;
  if (out->empty() && tail != 10) return false;
  return count == 65535 || count == out->size();
}

int IntsetWidthFor(int64_t v) {
  if (v >= INT16_MIN && v <= INT16_MAX) return 2;
  if (v >= INT32_MIN && v <= INT32_MAX) return 4;
  return 8;
}

std::string EncodeIntset(std::span<const int64_t> sorted, int width) {
  std::string out;
  PutLE(&out, static_cast<uint64_t>(width), 4);
  PutLE(&out, sorted.size(), 4);
  for (int64_t v : sorted) PutLE(&out, static_cast<uint64_t>(v), width);
  return out;
}

bool ParseIntset(std::string_view blob, std::vector<int64_t>* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  if (blob.size() < 8) return false;
  const uint64_t width = GetLE(p, 4);
  const uint64_t count = GetLE(p + 4, 4);
  if (width != 2 && width != 4 && width != 8) return false;
  if ((blob.size() - 8) % width != 0 || (blob.size() - 8) / width != count) return false;
  out->clear();
  for (uint64_t i = 0; i < count; ++i) {
    const int w = static_cast<int>(width);
    const int64_t v = SignExtend(GetLE(p + 8 + i * width, w), 8 * w);
    if (!out->empty() && v <= out->back()) return false;
    out->push_back(v);
  }
  return true;
}

}  // namespace kvgate::rdb

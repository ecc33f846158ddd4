// File: protocols/rdb/lzf.cc
// LZF (lzf.h). The compressor follows lzf_compress's decisions exactly (hash function, match
// rules, the two hash updates after a match) with positions instead of pointers and a table
// that starts empty: redis-server's table is stack garbage, which can only ever add a match
// that a clean table would not find, in practice never.
#include "protocols/rdb/lzf.h"

#include <cstdint>
#include <vector>

namespace kvgate::rdb {
namespace {

constexpr unsigned kHashLog = 16;
constexpr size_t kHashSize = size_t{1} << kHashLog;
constexpr size_t kMaxLit = 1 << 5;
constexpr size_t kMaxOff = 1 << 13;
constexpr size_t kMaxRef = (1 << 8) + (1 << 3);
constexpr uint32_t kNoSlot = UINT32_MAX;

uint32_t First(const uint8_t* p) {
  return (uint32_t{p[0]} << 8) | p[1];
}
uint32_t Next(uint32_t v, const uint8_t* p) {
  return (v << 8) | p[2];
}
size_t Index(uint32_t h) {
  return ((h >> (3 * 8 - kHashLog)) - h * 5) & (kHashSize - 1);
}

}  // namespace

bool LzfCompress(std::string_view input, size_t max_out, std::string* out) {
  const size_t n = input.size();
  if (n == 0 || max_out == 0) return false;
  const auto* in = reinterpret_cast<const uint8_t*>(input.data());
  std::vector<uint32_t> table(kHashSize, kNoSlot);
  std::string o(max_out, '\0');
  size_t op = 0;
  size_t ip = 0;
  size_t lit = 0;
  ++op;  // start a literal run: its control byte is written when the run ends
  // One more literal byte; a full run of 32 gets its control byte and a new run starts.
  auto copy_literal = [&] {
    ++lit;
    o[op++] = static_cast<char>(in[ip++]);
    if (lit == kMaxLit) {
      o[op - lit - 1] = static_cast<char>(lit - 1);
      lit = 0;
      ++op;
    }
  };
  uint32_t hval = n >= 2 ? First(in) : 0;
  while (n >= 3 && ip < n - 2) {
    hval = Next(hval, in + ip);
    uint32_t& slot = table[Index(hval)];
    const uint32_t ref = slot;
    slot = static_cast<uint32_t>(ip);
    size_t off = 0;
    if (ref != kNoSlot && ref < ip && (off = ip - ref - 1) < kMaxOff && ref > 0 &&
        in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
      size_t len = 2;
      size_t maxlen = n - ip - len;
      if (maxlen > kMaxRef) maxlen = kMaxRef;
      if (op + 3 + 1 >= max_out && op - (lit == 0 ? 1 : 0) + 3 + 1 >= max_out) return false;
      o[op - lit - 1] = static_cast<char>(lit - 1);  // stop the run
      if (lit == 0) --op;                            // undo an empty run
      // As lzf_compress: first 16 unbounded steps when more than 16 remain (near the end a
      // match may so pass maxlen by up to 2, still within the input), then bounded ones.
      bool stopped = false;
      if (maxlen > 16) {
        for (int k = 0; k < 16 && !stopped; ++k) {
          ++len;
          stopped = in[ref + len] != in[ip + len];
        }
      }
      if (!stopped) {
        do {
          ++len;
        } while (len < maxlen && in[ref + len] == in[ip + len]);
      }
      len -= 2;  // octets - 1
      ++ip;
      if (len < 7) {
        o[op++] = static_cast<char>((off >> 8) + (len << 5));
      } else {
        o[op++] = static_cast<char>((off >> 8) + (7 << 5));
        o[op++] = static_cast<char>(len - 7);
      }
      o[op++] = static_cast<char>(off);
      lit = 0;
      ++op;  // start a run
      ip += len + 1;
      if (ip >= n - 2) break;
      ip -= 2;  // VERY_FAST: hash the last two positions of the match
      hval = First(in + ip);
      hval = Next(hval, in + ip);
      table[Index(hval)] = static_cast<uint32_t>(ip);
      ++ip;
      hval = Next(hval, in + ip);
      table[Index(hval)] = static_cast<uint32_t>(ip);
      ++ip;
    } else {
      if (op >= max_out) return false;
      copy_literal();
    }
  }
  if (op + 3 > max_out) return false;
  while (ip < n) copy_literal();
  o[op - lit - 1] = static_cast<char>(lit - 1);
  if (lit == 0) --op;
  o.resize(op);
  *out = std::move(o);
  return true;
}

bool LzfDecompress(std::string_view input, size_t out_len, std::string* out) {
  const auto* in = reinterpret_cast<const uint8_t*>(input.data());
  const size_t n = input.size();
  std::string o(out_len, '\0');
  size_t ip = 0;
  size_t op = 0;
  while (ip < n) {
    size_t ctrl = in[ip++];
    if (ctrl < (1 << 5)) {
      ++ctrl;
      if (op + ctrl > out_len || ip + ctrl > n) return false;
      o.replace(op, ctrl, input.substr(ip, ctrl));
      op += ctrl;
      ip += ctrl;
      continue;
    }
    size_t len = ctrl >> 5;
    size_t back = (ctrl & 0x1f) << 8;
    if (len == 7) {
      if (ip >= n) return false;
      len += in[ip++];
    }
    if (ip >= n) return false;
    back += in[ip++];
    len += 2;
    if (op + len > out_len || back + 1 > op) return false;
    const size_t ref = op - back - 1;
    for (size_t k = 0; k < len; ++k) o[op + k] = o[ref + k];  // may overlap: byte by byte
    op += len;
  }
  if (op != out_len) return false;
  *out = std::move(o);
  return true;
}

}  // namespace kvgate::rdb

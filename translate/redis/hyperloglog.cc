#include "translate/redis/hyperloglog.h"

#include <bit>
#include <cmath>

namespace kvgate::redis::hll {
namespace {

constexpr size_t kEncodingByte = 4;
constexpr size_t kCardByte = 8;
constexpr uint32_t kRegisterMax = (1u << kRegisterBits) - 1;
constexpr int kQ = 64 - 14;  // hash bits left for the run after the register index
constexpr uint32_t kValMaxValue = 32;
constexpr uint32_t kValMaxLen = 4;
constexpr uint32_t kZeroMaxLen = 64;
constexpr uint32_t kXZeroMaxLen = 16384;
constexpr double kAlphaInf = 0.721347520444481703680;  // 0.5 / ln(2)

// ---- sparse opcodes ----

bool IsZero(uint8_t op) {
  return (op & 0xc0) == 0;
}
bool IsXZero(uint8_t op) {
  return (op & 0xc0) == 0x40;
}
bool IsVal(uint8_t op) {
  return (op & 0x80) != 0;
}
uint32_t ValValue(uint8_t op) {
  return ((op >> 2) & 0x1f) + 1;
}
uint32_t ValLen(uint8_t op) {
  return (op & 0x3) + 1;
}
uint8_t Val(uint32_t value, uint32_t len) {
  return static_cast<uint8_t>(((value - 1) << 2) | (len - 1) | 0x80);
}

// One decoded opcode at `pos` of a value.
struct Op {
  uint32_t len = 0;    // registers covered
  uint32_t value = 0;  // 0 for ZERO / XZERO
  size_t size = 1;     // bytes
  bool xzero = false;
};

// Redis reads an XZERO's second byte even when the value ends after the first: its strings
// carry a terminating zero byte, which this reproduces.
Op ReadOp(std::string_view s, size_t pos) {
  const auto op = static_cast<uint8_t>(s[pos]);
  if (IsZero(op)) return {(op & 0x3fu) + 1, 0, 1, false};
  if (IsVal(op)) return {ValLen(op), ValValue(op), 1, false};
  const uint32_t low = pos + 1 < s.size() ? static_cast<uint8_t>(s[pos + 1]) : 0;
  return {(((op & 0x3fu) << 8) | low) + 1, 0, 2, true};
}

// Appends ZERO or XZERO opcodes for a run of `len` (1..16384) zero registers.
void AppendZeros(std::string& seq, uint32_t len) {
  if (len > kZeroMaxLen) {
    seq.push_back(static_cast<char>(((len - 1) >> 8) | 0x40));
    seq.push_back(static_cast<char>((len - 1) & 0xff));
  } else {
    seq.push_back(static_cast<char>(len - 1));
  }
}

// Calls run(first, len, value) for each VAL opcode. False when the opcodes do not cover exactly
// the registers, stopping before a VAL that would run past the last one.
template <typename Run>
bool WalkSparse(std::string_view hll, Run&& run) {
  uint64_t idx = 0;  // 64 bits: a long corrupt value cannot wrap around to a valid total
  for (size_t pos = kHeaderSize; pos < hll.size();) {
    const Op op = ReadOp(hll, pos);
    pos += op.size;
    if (op.value != 0) {
      if (idx + op.len > kRegisters) return false;
      run(static_cast<uint32_t>(idx), op.len, op.value);
    }
    idx += op.len;
  }
  return idx == kRegisters;
}

// ---- dense registers ----

uint8_t* DenseData(std::string& hll) {
  return reinterpret_cast<uint8_t*>(hll.data()) + kHeaderSize;
}

uint8_t GetDense(const uint8_t* r, uint32_t index) {
  const size_t byte = index * kRegisterBits / 8;
  const uint32_t shift = index * kRegisterBits & 7;
  const uint32_t b0 = r[byte];
  const uint32_t b1 = byte + 1 < kDenseSize - kHeaderSize ? r[byte + 1] : 0;
  return static_cast<uint8_t>(((b0 >> shift) | (b1 << (8 - shift))) & kRegisterMax);
}

void PutDense(uint8_t* r, uint32_t index, uint32_t value) {
  const size_t byte = index * kRegisterBits / 8;
  const uint32_t shift = index * kRegisterBits & 7;
  r[byte] = static_cast<uint8_t>((r[byte] & ~(kRegisterMax << shift)) | (value << shift));
  if (byte + 1 == kDenseSize - kHeaderSize) return;  // the last register fits in its byte
  r[byte + 1] =
      static_cast<uint8_t>((r[byte + 1] & ~(kRegisterMax >> (8 - shift))) | (value >> (8 - shift)));
}

SetResult DenseSet(std::string& hll, uint32_t index, uint8_t count) {
  uint8_t* r = DenseData(hll);
  if (count <= GetDense(r, index)) return SetResult::kUnchanged;
  PutDense(r, index, count);
  return SetResult::kChanged;
}

// ---- sparse update ----

// The opcode covering register `index`, and the one before it (where merging restarts).
struct Located {
  size_t pos = 0;
  size_t prev = 0;  // == pos when it is the first opcode
  uint64_t first = 0;
  Op op;
};

std::optional<Located> Locate(std::string_view hll, uint32_t index) {
  Located at;
  at.pos = at.prev = kHeaderSize;
  for (size_t pos = kHeaderSize; pos < hll.size();) {
    const Op op = ReadOp(hll, pos);
    if (index <= at.first + op.len - 1) {
      at.pos = pos;
      at.op = op;
      return at;
    }
    at.prev = pos;
    at.first += op.len;
    pos += op.size;
  }
  return std::nullopt;  // the opcodes end before the register
}

// The opcodes replacing `at.op` once register `index` holds `count`.
std::string SplitSequence(const Located& at, uint32_t index, uint8_t count) {
  std::string seq;
  const auto first = static_cast<uint32_t>(at.first);  // below `index` once located
  const uint32_t last = first + at.op.len - 1;
  if (at.op.value == 0) {
    if (index != first) AppendZeros(seq, index - first);
    seq.push_back(static_cast<char>(Val(count, 1)));
    if (index != last) AppendZeros(seq, last - index);
    return seq;
  }
  if (index != first) seq.push_back(static_cast<char>(Val(at.op.value, index - first)));
  seq.push_back(static_cast<char>(Val(count, 1)));
  if (index != last) seq.push_back(static_cast<char>(Val(at.op.value, last - index)));
  return seq;
}

// Merges adjacent VAL opcodes of one value, up to five steps from `from`, as Redis does after an
// update (so the bytes match Redis's, which are not always the shortest encoding).
void MergeAdjacent(std::string& hll, size_t from) {
  size_t pos = from;
  for (int budget = 5; pos < hll.size() && budget > 0; --budget) {
    const auto op = static_cast<uint8_t>(hll[pos]);
    if (IsXZero(op)) {
      pos += 2;
      continue;
    }
    if (IsZero(op)) {
      ++pos;
      continue;
    }
    if (pos + 1 < hll.size() && IsVal(static_cast<uint8_t>(hll[pos + 1]))) {
      const auto next = static_cast<uint8_t>(hll[pos + 1]);
      const uint32_t len = ValLen(op) + ValLen(next);
      if (ValValue(op) == ValValue(next) && len <= kValMaxLen) {
        hll[pos + 1] = static_cast<char>(Val(ValValue(op), len));
        hll.erase(pos, 1);
        continue;  // the merged opcode may merge with the next one too
      }
    }
    ++pos;
  }
}

// Turns the value dense and sets the register there.
SetResult Promote(std::string& hll, uint32_t index, uint8_t count) {
  if (!ToDense(hll)) return SetResult::kCorrupt;
  return DenseSet(hll, index, count);
}

SetResult SparseSet(std::string& hll, uint32_t index, uint8_t count, size_t sparse_max_bytes) {
  if (count > kValMaxValue) return Promote(hll, index, count);
  std::optional<Located> at = Locate(hll, index);
  if (!at) return SetResult::kCorrupt;
  const Op& op = at->op;
  if (op.value >= count) return SetResult::kUnchanged;  // a VAL already as high
  if (op.len == 1 && !op.xzero) {
    // A VAL or ZERO of one register becomes a VAL in place.
    hll[at->pos] = static_cast<char>(Val(count, 1));
  } else {
    const std::string seq = SplitSequence(*at, index, count);
    const auto delta = static_cast<ptrdiff_t>(seq.size()) - static_cast<ptrdiff_t>(op.size);
    const size_t new_size = static_cast<size_t>(static_cast<ptrdiff_t>(hll.size()) + delta);
    if (delta > 0 && new_size > sparse_max_bytes) return Promote(hll, index, count);
    const size_t tail = at->pos + op.size;
    std::string out;
    out.reserve(new_size + 1);
    out.append(hll, 0, at->pos).append(seq);
    if (tail < hll.size()) out.append(hll, tail);
    // An XZERO cut short by the end of the value: Redis keeps its length arithmetic.
    out.resize(new_size);
    hll = std::move(out);
  }
  MergeAdjacent(hll, at->prev);
  InvalidateCache(hll);
  return SetResult::kChanged;
}

// ---- estimator (Otmar Ertl, "New cardinality estimation algorithms for HyperLogLog
// sketches", arXiv:1702.01284), evaluated in the same order as Redis so results are equal ----

double Sigma(double x) {
  if (x == 1.) return INFINITY;
  double y = 1;
  double z = x;
  double previous = 0;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous != z);
  return z;
}

double Tau(double x) {
  if (x == 0. || x == 1.) return 0.;
  double y = 1.0;
  double z = 1 - x;
  double previous = 0;
  do {
    x = std::sqrt(x);
    previous = z;
    y *= 0.5;
    z -= std::pow(1 - x, 2) * y;
  } while (previous != z);
  return z / 3;
}

// Histogram of register values; 64 slots as any 6-bit register fits.
using Histogram = std::array<int, 64>;

uint64_t Estimate(const Histogram& h) {
  const double m = kRegisters;
  double z = m * Tau((m - h[kQ + 1]) / m);
  for (int j = kQ; j >= 1; --j) {
    z += h[j];
    z *= 0.5;
  }
  z += m * Sigma(h[0] / m);
  return static_cast<uint64_t>(std::llround(kAlphaInf * m * m / z));
}

}  // namespace

uint64_t MurmurHash64A(std::string_view data, uint64_t seed) {
  constexpr uint64_t m = 0xc6a4a7935bd1e995ULL;
  constexpr int r = 47;
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  const size_t len = data.size();
  uint64_t h = seed ^ (len * m);
  const size_t blocks = len / 8;
  for (size_t i = 0; i < blocks; ++i, p += 8) {
    uint64_t k = 0;
    for (int b = 7; b >= 0; --b) k = (k << 8) | p[b];  // little endian on any host
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  const size_t rest = len & 7;
  if (rest != 0) {
    for (size_t b = rest; b-- > 0;) h ^= static_cast<uint64_t>(p[b]) << (8 * b);
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

Pattern PatternOf(std::string_view element) {
  uint64_t hash = MurmurHash64A(element, kHashSeed);
  Pattern out;
  out.index = static_cast<uint32_t>(hash & (kRegisters - 1));
  hash >>= 14;
  hash |= uint64_t{1} << kQ;  // bounds the run at kQ + 1
  out.count = static_cast<uint8_t>(std::countr_zero(hash) + 1);
  return out;
}

bool IsValid(std::string_view value) {
  if (value.size() < kHeaderSize || value.substr(0, 4) != "HYLL") return false;
  const auto encoding = static_cast<uint8_t>(value[kEncodingByte]);
  if (encoding > static_cast<uint8_t>(Encoding::kSparse)) return false;
  return encoding != static_cast<uint8_t>(Encoding::kDense) || value.size() == kDenseSize;
}

Encoding EncodingOf(std::string_view hll) {
  return static_cast<Encoding>(hll[kEncodingByte]);
}

std::string NewSparse() {
  std::string s("HYLL", 4);
  s.resize(kHeaderSize, '\0');
  s[kEncodingByte] = static_cast<char>(Encoding::kSparse);
  for (uint32_t left = kRegisters; left > 0;) {
    const uint32_t run = left < kXZeroMaxLen ? left : kXZeroMaxLen;
    AppendZeros(s, run);
    left -= run;
  }
  return s;
}

SetResult SetRegister(std::string& hll, uint32_t index, uint8_t count, size_t sparse_max_bytes) {
  if (EncodingOf(hll) == Encoding::kDense) return DenseSet(hll, index, count);
  return SparseSet(hll, index, count, sparse_max_bytes);
}

SetResult Add(std::string& hll, std::string_view element, size_t sparse_max_bytes) {
  const Pattern p = PatternOf(element);
  return SetRegister(hll, p.index, p.count, sparse_max_bytes);
}

bool ToDense(std::string& hll) {
  if (EncodingOf(hll) == Encoding::kDense) return true;
  std::string dense(kDenseSize, '\0');
  dense.replace(0, kHeaderSize, hll, 0, kHeaderSize);
  dense[kEncodingByte] = static_cast<char>(Encoding::kDense);
  uint8_t* r = DenseData(dense);
  const bool ok = WalkSparse(hll, [r](uint32_t first, uint32_t len, uint32_t value) {
    for (uint32_t i = first; i < first + len; ++i) PutDense(r, i, value);
  });
  if (!ok) return false;
  hll = std::move(dense);
  return true;
}

bool MergeInto(Registers& max, std::string_view hll) {
  if (EncodingOf(hll) == Encoding::kDense) {
    const auto* r = reinterpret_cast<const uint8_t*>(hll.data()) + kHeaderSize;
    for (uint32_t i = 0; i < kRegisters; ++i) {
      const uint8_t v = GetDense(r, i);
      if (v > max[i]) max[i] = v;
    }
    return true;
  }
  return WalkSparse(hll, [&max](uint32_t first, uint32_t len, uint32_t value) {
    for (uint32_t i = first; i < first + len; ++i) {
      if (value > max[i]) max[i] = static_cast<uint8_t>(value);
    }
  });
}

uint8_t DenseRegister(std::string_view hll, uint32_t index) {
  return GetDense(reinterpret_cast<const uint8_t*>(hll.data()) + kHeaderSize, index);
}

std::optional<uint64_t> Count(std::string_view hll) {
  Histogram h{};
  if (EncodingOf(hll) == Encoding::kDense) {
    const auto* r = reinterpret_cast<const uint8_t*>(hll.data()) + kHeaderSize;
    for (uint32_t i = 0; i < kRegisters; ++i) ++h[GetDense(r, i)];
    return Estimate(h);
  }
  uint32_t nonzero = 0;
  const bool ok = WalkSparse(hll, [&h, &nonzero](uint32_t, uint32_t len, uint32_t value) {
    h[value] += static_cast<int>(len);
    nonzero += len;
  });
  if (!ok) return std::nullopt;
  h[0] = static_cast<int>(kRegisters - nonzero);
  return Estimate(h);
}

uint64_t CountRegisters(const Registers& registers) {
  Histogram h{};
  for (uint8_t v : registers) ++h[v & 63];
  return Estimate(h);
}

std::optional<uint64_t> CachedCount(std::string_view hll) {
  if ((static_cast<uint8_t>(hll[kCardByte + 7]) & 0x80) != 0) return std::nullopt;
  uint64_t card = 0;
  for (int b = 7; b >= 0; --b) card = (card << 8) | static_cast<uint8_t>(hll[kCardByte + b]);
  return card;
}

void SetCachedCount(std::string& hll, uint64_t card) {
  for (size_t b = 0; b < 8; ++b) hll[kCardByte + b] = static_cast<char>((card >> (8 * b)) & 0xff);
}

void InvalidateCache(std::string& hll) {
  hll[kCardByte + 7] = static_cast<char>(static_cast<uint8_t>(hll[kCardByte + 7]) | 0x80);
}

std::string DecodeSparse(std::string_view hll) {
  std::string out;
  for (size_t pos = kHeaderSize; pos < hll.size();) {
    const Op op = ReadOp(hll, pos);
    pos += op.size;
    if (!out.empty()) out.push_back(' ');
    if (op.value != 0) {
      out += "v:" + std::to_string(op.value) + "," + std::to_string(op.len);
    } else {
      out += (op.xzero ? "Z:" : "z:") + std::to_string(op.len);
    }
  }
  return out;
}

}  // namespace kvgate::redis::hll

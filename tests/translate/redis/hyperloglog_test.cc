// File: tests/translate/redis/hyperloglog_test.cc
// The HyperLogLog representation (translate/redis/hyperloglog.h): Redis's bytes for known adds
// (taken from redis-server 7.0.15), sparse/dense agreement, promotion, merges, corrupt values
// and the estimator's error from 1 to 1e6 elements. tests/integration/redis_hll_differential_test.cc
// compares replies and bytes with a real redis-server.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "tests/support/hll_values.h"
#include "translate/redis/hyperloglog.h"

namespace kvgate::redis::hll {
namespace {

using kvgate::testing::HllHeader;

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string WithElements(size_t from, size_t to, size_t max_bytes = kDefaultSparseMaxBytes) {
  std::string h = NewSparse();
  for (size_t i = from; i < to; ++i) Add(h, "e" + std::to_string(i), max_bytes);
  return h;
}

TEST_CASE("a new HLL is sparse: one XZERO over every register, count 0", "[hll]") {
  const std::string h = NewSparse();
  CHECK(h == HllHeader('\x01', '\0') + "\x7f\xff");
  CHECK(IsValid(h));
  CHECK(EncodingOf(h) == Encoding::kSparse);
  CHECK(Count(h) == 0u);
  CHECK(CachedCount(h) == 0u);
  CHECK(DecodeSparse(h) == "Z:16384");
}

TEST_CASE("elements hash to Redis's registers and sparse bytes", "[hll]") {
  // PFADD one a on redis-server 7.0.15: XZERO 12711, VAL 2 x1, XZERO 3672.
  const Pattern a = PatternOf("a");
  CHECK(a.index == 12711u);
  CHECK(a.count == 2);
  std::string one = NewSparse();
  CHECK(Add(one, "a", kDefaultSparseMaxBytes) == SetResult::kChanged);
  CHECK(one == HllHeader('\x01') + FromHex("71a6844e57"));
  CHECK(DecodeSparse(one) == "Z:12711 v:2,1 Z:3672");
  CHECK(Add(one, "a", kDefaultSparseMaxBytes) == SetResult::kUnchanged);

  std::string abc = NewSparse();
  for (const char* e : {"a", "b", "c"}) Add(abc, e, kDefaultSparseMaxBytes);
  CHECK(abc == HllHeader('\x01') + FromHex("60f38050b1844bfb80425a"));
  CHECK(Count(abc) == 3u);
}

TEST_CASE("100 elements give Redis's sparse value byte for byte", "[hll]") {
  // PFADD h e0 ... e99, then PFCOUNT h (which caches 100), on redis-server 7.0.15.
  const std::string redis = FromHex(
      "48594c4c01000000640000000000000036843c8040a9a40e88409084406c9c048840e28041358840d380411d8840"
      "898041168c419080098040e08040948041578440a280408384405d8440e1844199844081803c844047840780404e"
      "80408f840984405184268441258440d38042638040a280404b8c406f80420b8c41798041478041638040668440f9"
      "8c0184218811804182844062803088407984228040de8440d3884045800a88420090118440c184018041138440"
      "848c1684228040a88440e180422a84410384168041178441658c414e802680058040598040ec882e88413c880380"
      "405b841b803f80409b802184412e88408f90407e80408480415f8033844079844193844058902e80406a840d8039"
      "801380409a882880408c");
  std::string h = WithElements(0, 100);
  CHECK(CachedCount(h) == std::nullopt);
  const std::optional<uint64_t> n = Count(h);
  REQUIRE(n == 100u);
  SetCachedCount(h, *n);
  CHECK(h == redis);
}

TEST_CASE("counts equal redis-server's for the same elements", "[hll]") {
  // PFADD h<n> e0 ... e<n-1>; PFCOUNT h<n>; PFDEBUG ENCODING h<n> on redis-server 7.0.15.
  struct Case {
    size_t n;
    uint64_t count;
    Encoding encoding;
  };
  for (const Case& c :
       {Case{1000, 1008, Encoding::kSparse}, Case{5000, 4968, Encoding::kDense},
        Case{20000, 19901, Encoding::kDense}, Case{100000, 100853, Encoding::kDense}}) {
    const std::string h = WithElements(0, c.n);
    INFO("n = " << c.n);
    CHECK(Count(h) == c.count);
    CHECK(EncodingOf(h) == c.encoding);
  }
}

TEST_CASE("a sparse value turns dense when it would pass hll-sparse-max-bytes", "[hll]") {
  std::string h = NewSparse();
  size_t largest_sparse = 0;
  size_t i = 0;
  for (; EncodingOf(h) == Encoding::kSparse; ++i) {
    largest_sparse = std::max(largest_sparse, h.size());
    Add(h, "e" + std::to_string(i), kDefaultSparseMaxBytes);
  }
  CHECK(largest_sparse <= kDefaultSparseMaxBytes);
  CHECK(largest_sparse > kDefaultSparseMaxBytes - 5);  // the worst split adds 3 bytes
  CHECK(h.size() == kDenseSize);
  // The same elements added to a dense value from the start give the same registers.
  std::string dense = NewSparse();
  REQUIRE(ToDense(dense));
  for (size_t j = 0; j < i; ++j) Add(dense, "e" + std::to_string(j), kDefaultSparseMaxBytes);
  CHECK(dense.substr(kHeaderSize) == h.substr(kHeaderSize));

  std::string tiny = NewSparse();
  CHECK(Add(tiny, "a", 0) == SetResult::kChanged);  // any growth is too much
  CHECK(EncodingOf(tiny) == Encoding::kDense);
  CHECK(DenseRegister(tiny, 12711) == 2);
}

TEST_CASE("a register above 32 turns a sparse value dense", "[hll]") {
  std::string h = NewSparse();
  CHECK(SetRegister(h, 5, 32, kDefaultSparseMaxBytes) == SetResult::kChanged);
  CHECK(EncodingOf(h) == Encoding::kSparse);
  CHECK(SetRegister(h, 16383, 33, kDefaultSparseMaxBytes) == SetResult::kChanged);
  CHECK(EncodingOf(h) == Encoding::kDense);
  CHECK(DenseRegister(h, 5) == 32);
  CHECK(DenseRegister(h, 16383) == 33);
  CHECK(DenseRegister(h, 16382) == 0);
  CHECK(SetRegister(h, 16383, 20, kDefaultSparseMaxBytes) == SetResult::kUnchanged);
}

TEST_CASE("sparse and dense forms of one HLL count the same", "[hll]") {
  for (size_t n : {1, 10, 300, 1000}) {
    const std::string sparse = WithElements(0, n);
    REQUIRE(EncodingOf(sparse) == Encoding::kSparse);
    std::string dense = sparse;
    REQUIRE(ToDense(dense));
    CHECK(dense.size() == kDenseSize);
    CHECK(dense.substr(0, 4) == "HYLL");
    CHECK(Count(dense) == Count(sparse));
    Registers from_sparse{}, from_dense{};
    REQUIRE(MergeInto(from_sparse, sparse));
    REQUIRE(MergeInto(from_dense, dense));
    CHECK(from_sparse == from_dense);
    for (uint32_t i = 0; i < kRegisters; ++i) REQUIRE(DenseRegister(dense, i) == from_sparse[i]);
  }
}

TEST_CASE("a merge counts like the HLL of the union", "[hll]") {
  const std::string a = WithElements(0, 800);       // sparse
  const std::string b = WithElements(500, 20000);   // dense
  const std::string both = WithElements(0, 20000);  // dense
  Registers max{};
  REQUIRE(MergeInto(max, a));
  REQUIRE(MergeInto(max, b));
  CHECK(CountRegisters(max) == Count(both));
  Registers empty{};
  CHECK(CountRegisters(empty) == 0u);
}

TEST_CASE("the cached count: stale until set, the stale flag keeps the other bytes", "[hll]") {
  std::string h = WithElements(0, 3);
  CHECK(CachedCount(h) == std::nullopt);
  SetCachedCount(h, 0x0102030405060708ULL);
  CHECK(CachedCount(h) == 0x0102030405060708ULL);
  InvalidateCache(h);
  CHECK(CachedCount(h) == std::nullopt);
  CHECK(h.substr(8, 8) == std::string("\x08\x07\x06\x05\x04\x03\x02\x81", 8));
}

TEST_CASE("values that are not HLLs", "[hll]") {
  CHECK_FALSE(IsValid(""));
  CHECK_FALSE(IsValid("HYLL"));
  CHECK_FALSE(IsValid(HllHeader('\x01').substr(0, 15)));
  CHECK(IsValid(HllHeader('\x01')));  // sparse opcodes are checked when read
  CHECK_FALSE(IsValid("hyll" + HllHeader('\x01').substr(4)));
  CHECK_FALSE(IsValid(HllHeader('\x02') + "\x7f\xff"));
  CHECK_FALSE(IsValid(HllHeader('\x00') + std::string(12287, '\0')));
  CHECK(IsValid(HllHeader('\x00') + std::string(12288, '\0')));
  CHECK_FALSE(IsValid(HllHeader('\x00') + std::string(12289, '\0')));
}

TEST_CASE("corrupt sparse opcodes are found when read", "[hll]") {
  const std::string empty_ops = HllHeader('\x01');
  CHECK(Count(empty_ops) == std::nullopt);
  Registers max{};
  CHECK_FALSE(MergeInto(max, empty_ops));
  std::string copy = empty_ops;
  CHECK_FALSE(ToDense(copy));
  CHECK(copy == empty_ops);
  CHECK(Add(copy, "a", kDefaultSparseMaxBytes) == SetResult::kCorrupt);
  CHECK(copy == empty_ops);

  // XZERO over registers 0..12799 only: adds below work, adds past the end are corrupt.
  std::string short_ops = HllHeader('\x01') + FromHex("71ff");
  CHECK(Count(short_ops) == std::nullopt);
  CHECK(Add(short_ops, "a", kDefaultSparseMaxBytes) == SetResult::kChanged);  // register 12711
  CHECK(DecodeSparse(short_ops) == "Z:12711 v:2,1 Z:88");
  CHECK(SetRegister(short_ops, 12800, 1, kDefaultSparseMaxBytes) == SetResult::kCorrupt);

  // Too many registers, and a VAL running past the last one.
  CHECK(Count(HllHeader('\x01') + FromHex("7fff00")) == std::nullopt);
  CHECK_FALSE(MergeInto(max, HllHeader('\x01') + FromHex("7ffe83")));
  // An XZERO cut short reads a zero second byte, as Redis does: 0x7f alone is 16129 zeros.
  CHECK(Count(HllHeader('\x01') + FromHex("40fe7f")) == 0u);
}

TEST_CASE("the estimate stays within Redis's self-test bounds from 1 to 1e6", "[hll]") {
  const double relerr = 1.04 / std::sqrt(static_cast<double>(kRegisters));
  std::string h = NewSparse();
  uint64_t checkpoint = 1;
  for (uint64_t j = 1; j <= 1'000'000; ++j) {
    const uint64_t ele = j ^ 0x5bd1e995c6a4a793ULL;
    Add(h, std::string_view(reinterpret_cast<const char*>(&ele), sizeof ele),
        kDefaultSparseMaxBytes);
    if (j != checkpoint) continue;
    const auto got = static_cast<double>(*Count(h));
    const double max_err = j == 10 ? 1 : std::ceil(relerr * 6 * static_cast<double>(j));
    INFO("cardinality " << j << " estimate " << got);
    CHECK(std::abs(got - static_cast<double>(j)) <= max_err);
    checkpoint *= 10;
  }
}

TEST_CASE("patterns match Redis's for every MurmurHash64A tail length", "[hll]") {
  // PFADD t <"abcdefghijklmnop"[0, len)> then PFDEBUG DECODE t on redis-server 7.0.15:
  // "Z:<index> v:<count>,1 ..." for len = 0..16.
  const std::string key = "abcdefghijklmnop";
  const std::string redis =
      "5938:2 12711:2 719:1 9474:1 11070:8 3726:4 13647:2 5634:2 1383:1 6903:1 12228:1 "
      "14121:1 9695:5 9157:1 5697:2 12377:4 9328:1 ";
  std::string got;
  for (size_t len = 0; len <= key.size(); ++len) {
    const Pattern p = PatternOf(std::string_view(key).substr(0, len));
    got += std::to_string(p.index) + ":" + std::to_string(p.count) + " ";
  }
  CHECK(got == redis);
}

}  // namespace
}  // namespace kvgate::redis::hll

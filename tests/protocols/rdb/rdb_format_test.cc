// File: tests/protocols/rdb/rdb_format_test.cc
// The RDB pieces against known answers: CRC-64's test vector, redis-server 7.0's DUMP bytes
// for small values, LZF round trips and its refusals, listpack / intset / ziplist codecs and
// their rejection of malformed blobs.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "protocols/rdb/crc64.h"
#include "protocols/rdb/listpack.h"
#include "protocols/rdb/lzf.h"
#include "protocols/rdb/rdb_format.h"

namespace kvgate::rdb {
namespace {

using namespace std::string_literals;

std::string Dump(std::string_view value) {
  std::string p(1, static_cast<char>(kTypeString));
  AppendString(&p, value);
  AppendFooter(&p);
  return p;
}

TEST_CASE("CRC-64 is Redis's Jones variant", "[rdb]") {
  CHECK(Crc64(0, "123456789") == 0xe9c6d914c4b8d9caull);
  CHECK(Crc64(Crc64(0, "1234"), "56789") == 0xe9c6d914c4b8d9caull);
  CHECK(Crc64(0, "") == 0);
}

TEST_CASE("DUMP payloads of strings are redis-server's bytes", "[rdb]") {
  // redis-server 7.0.15: SET k bar; DUMP k (and 200 'a', compressed)
  CHECK(Dump("bar") == "\x00\x03\x62\x61\x72\x0a\x00\xe6\xbe\x49\x60\xee\x66\xfd\x17"s);
  CHECK(
      Dump(std::string(200, 'a')) ==
      "\x00\xc3\x09\x40\xc8\x01\x61\x61\xe0\xbb\x00\x01\x61\x61\x0a\x00\x1f\x99\xf7\x2e\x01\xb2\x0d\xe3"s);
  CHECK(Dump("hello world hello world hello world") ==
        "\x00\xc3\x14\x23\x0c\x68\x65\x6c\x6c\x6f\x20\x77\x6f\x72\x6c\x64\x20\x68\xe0\x0b\x0b"
        "\x01\x6c\x64\x0a\x00\x77\x83\x90\x69\x69\x34\xac\xb7"s);
  // Integers: int8 / int16 / int32 special encodings, longer ones as text.
  CHECK(Dump("1").substr(0, 3) == "\x00\xc0\x01"s);
  CHECK(Dump("-200").substr(0, 4) == "\x00\xc1\x38\xff"s);
  CHECK(Dump("100000").substr(0, 6) == "\x00\xc2\xa0\x86\x01\x00"s);
  CHECK(Dump("12345678901").substr(0, 2) == "\x00\x0b"s);
  CHECK(Dump("007").substr(0, 2) == "\x00\x03"s);  // not canonical: raw
  CHECK(VerifyFooter(Dump("bar")));
  std::string bad = Dump("bar");
  bad[1] = 4;
  CHECK_FALSE(VerifyFooter(bad));
  std::string newer = Dump("bar");
  newer[newer.size() - 10] = 11;  // RDB 11 (7.2) is refused
  CHECK_FALSE(VerifyFooter(newer));
  CHECK_FALSE(VerifyFooter("short"));
}

TEST_CASE("Lengths use the 6, 14, 32 and 64-bit forms", "[rdb]") {
  for (uint64_t n : {0ull, 63ull, 64ull, 16383ull, 16384ull, 4294967295ull, 4294967296ull}) {
    std::string s;
    AppendLen(&s, n);
    const size_t want = n < 64 ? 1 : n < 16384 ? 2 : n <= 4294967295ull ? 5 : 9;
    CHECK(s.size() == want);
    Reader r(s);
    uint64_t back = 0;
    REQUIRE(r.LoadLen(&back));
    CHECK(back == n);
  }
  // A Reader views its bytes: they must outlive it.
  const std::string bad_bytes = "\x82"s;
  Reader bad(bad_bytes);
  uint64_t v = 0;
  CHECK_FALSE(bad.LoadLen(&v));
  const std::string huge_bytes = "\x81\xff\xff\xff\xff\xff\xff\xff\xff"s;
  Reader huge(huge_bytes);
  std::string out;
  CHECK_FALSE(huge.LoadString(&out));  // a length the payload cannot back
}

TEST_CASE("LZF compresses as Redis does and decompresses with every bound checked", "[rdb]") {
  const std::string text(200, 'a');
  std::string c;
  REQUIRE(LzfCompress(text, text.size() - 4, &c));
  CHECK(c.substr(0, 3) == "\x01\x61\x61"s);  // two literals, then back references
  std::string back;
  REQUIRE(LzfDecompress(c, text.size(), &back));
  CHECK(back == text);
  CHECK_FALSE(LzfDecompress(c, text.size() + 1, &back));
  CHECK_FALSE(LzfDecompress(c, text.size() - 1, &back));
  CHECK_FALSE(LzfDecompress("\x20\x00"s, 10, &back));              // reference before the start
  CHECK_FALSE(LzfDecompress("\x05\x61"s, 6, &back));               // literal past the input
  CHECK_FALSE(LzfCompress("abcdefghijklmnopqrstuvwxyz", 22, &c));  // incompressible

  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string in;
    const size_t n = 21 + rng() % 3000;
    for (size_t i = 0; i < n; ++i) in.push_back(static_cast<char>('a' + rng() % (1 + round % 6)));
    if (!LzfCompress(in, in.size() - 4, &c)) continue;
    REQUIRE(LzfDecompress(c, in.size(), &back));
    CHECK(back == in);
  }
}

TEST_CASE("Listpacks encode integers and strings as Redis and parse back", "[rdb]") {
  ListpackBuilder b;
  b.Append("f");
  b.Append("1");
  b.Append("-4096");
  b.Append("100000");
  b.Append("9223372036854775807");
  b.Append(std::string(70, 'x'));
  b.Append("01");
  const std::string lp = b.Finish();
  // redis-server 7.0.15: HSET h f 1 -> DUMP's blob 0c 00 00 00 02 00 81 66 02 01 01 ff
  ListpackBuilder small;
  small.Append("f");
  small.Append("1");
  CHECK(small.Finish() == "\x0c\x00\x00\x00\x02\x00\x81\x66\x02\x01\x01\xff"s);
  std::vector<BlobEntry> e;
  REQUIRE(ParseListpack(lp, &e));
  REQUIRE(e.size() == 7);
  CHECK(e[0].String() == "f");
  CHECK(e[1].is_int);
  CHECK(e[2].value == -4096);
  CHECK(e[3].value == 100000);
  CHECK(e[4].String() == "9223372036854775807");
  CHECK(e[5].String() == std::string(70, 'x'));
  CHECK(e[6].String() == "01");
  // Any single corrupted byte is refused or still parses within the blob.
  for (size_t i = 0; i < lp.size(); ++i) {
    std::string bad = lp;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    std::vector<BlobEntry> out;
    (void)ParseListpack(bad, &out);
  }
  CHECK_FALSE(ParseListpack(lp.substr(0, lp.size() - 1), &e));
  CHECK_FALSE(ParseListpack("\x07\x00\x00\x00\x01\x00\xff"s, &e));  // count says 1
}

TEST_CASE("Intsets keep their width and refuse disorder", "[rdb]") {
  const std::vector<int64_t> v = {-5, 3, 70000};
  const std::string s = EncodeIntset(v, 4);
  CHECK(s.size() == 8 + 3 * 4);
  std::vector<int64_t> back;
  REQUIRE(ParseIntset(s, &back));
  CHECK(back == v);
  CHECK(IntsetWidthFor(70000) == 4);
  CHECK(IntsetWidthFor(-32768) == 2);
  CHECK(IntsetWidthFor(1ll << 40) == 8);
  const std::vector<int64_t> unsorted = {3, 1};
  CHECK_FALSE(ParseIntset(EncodeIntset(unsorted, 2), &back));
  CHECK_FALSE(ParseIntset(s.substr(0, s.size() - 1), &back));
  CHECK_FALSE(ParseIntset("\x03\x00\x00\x00\x00\x00\x00\x00"s, &back));
}

TEST_CASE("Ziplists of old payloads parse", "[rdb]") {
  // redis 6.2 HSET h a 1: zlbytes 16, zltail 13, zllen 2, "a" (00 01 61), 1 (03 f2), end.
  std::string fixed = "\x10\x00\x00\x00\x0d\x00\x00\x00\x02\x00\x00\x01\x61\x03\xf2\xff"s;
  std::vector<BlobEntry> e;
  REQUIRE(ParseZiplist(fixed, &e));
  REQUIRE(e.size() == 2);
  CHECK(e[0].String() == "a");
  CHECK(e[1].String() == "1");
  fixed[4] = 10;
  CHECK_FALSE(ParseZiplist(fixed, &e));  // wrong tail offset
}

}  // namespace
}  // namespace kvgate::rdb

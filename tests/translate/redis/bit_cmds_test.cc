// File: tests/translate/redis/bit_cmds_test.cc
// SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO LCS in-process, with the replies
// redis-server 7.0.15 gives (tests/integration/redis_bits_differential_test.cc compares the
// same ground against a real one), plus what only kvgate can show: writes skipped when nothing
// changes, TTLs kept, notifications, the proto-max-bulk-len limits, and the bitmap helpers.
//
//   RedisHarness h;  auto& c = h.Connect();
//   CHECK(h.Cmd(c, {"SETBIT", "k", "7", "1"}) == Int(0));
#include <catch2/catch.hpp>

#include <string>

#include "tests/translate/redis/support/fake_transport.h"
#include "tests/translate/redis/support/resp.h"
#include "translate/redis/bitmap.h"

namespace kvgate::redis::testing {
namespace {

using namespace std::string_literals;

const std::string kBadOffset = Err("ERR bit offset is not an integer or out of range");
const std::string kNotInt = Err("ERR value is not an integer or out of range");
const std::string kSyntax = Err("ERR syntax error");
const std::string kBadType =
    Err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
        "i64 is.");

std::string Ints(std::initializer_list<int64_t> values) {
  std::string out = Arr(values.size());
  for (int64_t v : values) out += Int(v);
  return out;
}

// Turns keyspace events on (from `c`) and subscribes `sub` to every key of database 0.
void SubscribeKeyspace(RedisHarness& h, RedisHarness::Client& c, RedisHarness::Client& sub) {
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "KA"}) == kOk);
  CHECK(h.Cmd(sub, {"PSUBSCRIBE", "__keyspace@0__:*"}) != "");
}

TEST_CASE("SETBIT and GETBIT", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"GETBIT", "k", "0"}) == Int(0));
  CHECK(h.Cmd(c, {"SETBIT", "k", "7", "1"}) == Int(0));
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("\x01"));
  CHECK(h.Cmd(c, {"SETBIT", "k", "7", "1"}) == Int(1));
  CHECK(h.Cmd(c, {"SETBIT", "k", "0", "1"}) == Int(0));
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("\x81"));
  CHECK(h.Cmd(c, {"SETBIT", "k", "23", "0"}) == Int(0));  // grows with zeros
  CHECK(h.Cmd(c, {"GET", "k"}) == Bulk("\x81\x00\x00"s));
  CHECK(h.Cmd(c, {"GETBIT", "k", "0"}) == Int(1));
  CHECK(h.Cmd(c, {"GETBIT", "k", "1"}) == Int(0));
  CHECK(h.Cmd(c, {"GETBIT", "k", "100000"}) == Int(0));
  CHECK(h.Cmd(c, {"SETBIT", "new", "0", "0"}) == Int(0));  // a clear bit still creates the key
  CHECK(h.Cmd(c, {"GET", "new"}) == Bulk("\x00"s));
  CHECK(h.Cmd(c, {"SET", "n", "1"}) == kOk);  // '1' is 0x31
  CHECK(h.Cmd(c, {"GETBIT", "n", "2"}) == Int(1));
  CHECK(h.Cmd(c, {"GETBIT", "n", "7"}) == Int(1));
  CHECK(h.Cmd(c, {"GETBIT", "n", "6"}) == Int(0));
}

TEST_CASE("SETBIT and GETBIT refuse bad offsets and bits", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  const std::string bad_bit = Err("ERR bit is not an integer or out of range");
  CHECK(h.Cmd(c, {"SETBIT", "k", "-1", "1"}) == kBadOffset);
  CHECK(h.Cmd(c, {"SETBIT", "k", "abc", "1"}) == kBadOffset);
  CHECK(h.Cmd(c, {"SETBIT", "k", "4294967296", "1"}) == kBadOffset);  // byte 512 MiB
  CHECK(h.Cmd(c, {"SETBIT", "k", "1", "2"}) == bad_bit);
  CHECK(h.Cmd(c, {"SETBIT", "k", "1", "-1"}) == bad_bit);
  CHECK(h.Cmd(c, {"SETBIT", "k", "1", "x"}) == bad_bit);
  CHECK(h.Cmd(c, {"SETBIT", "k", "x", "x"}) == kBadOffset);  // the offset is read first
  CHECK(h.Cmd(c, {"GETBIT", "k", "-1"}) == kBadOffset);
  CHECK(h.Cmd(c, {"GETBIT", "k", "9999999999"}) == kBadOffset);
  CHECK(h.Cmd(c, {"SETBIT", "k", "1"}) ==
        Err("ERR wrong number of arguments for 'setbit' command"));
  CHECK(h.Cmd(c, {"GETBIT", "k"}) == Err("ERR wrong number of arguments for 'getbit' command"));
  CHECK(h.Cmd(c, {"EXISTS", "k"}) == Int(0));
}

TEST_CASE("SETBIT offsets follow proto-max-bulk-len", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "proto-max-bulk-len", "1048576"}) == kOk);
  CHECK(h.Cmd(c, {"SETBIT", "k", "8388608", "1"}) == kBadOffset);
  CHECK(h.Cmd(c, {"SETBIT", "k", "8388607", "1"}) == Int(0));
  CHECK(h.Cmd(c, {"STRLEN", "k"}) == Int(1048576));
  CHECK(h.Cmd(c, {"GETBIT", "k", "8388607"}) == Int(1));
}

TEST_CASE("SETBIT and BITFIELD keep the TTL, notify, and write only on a change", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& sub = h.Connect();
  SubscribeKeyspace(h, c, sub);
  CHECK(h.Cmd(c, {"SET", "k", "\x00"s, "EX", "100"}) == kOk);
  CHECK(h.Cmd(c, {"SET", "f", "\x01"s, "PX", "100000"}) == kOk);
  h.Take(sub);
  CHECK(h.Cmd(c, {"SETBIT", "k", "3", "1"}) == Int(0));
  CHECK(h.Cmd(c, {"TTL", "k"}) == Int(100));
  CHECK(h.Take(sub).find("setbit") != std::string::npos);
  CHECK(h.Cmd(c, {"SETBIT", "k", "3", "1"}) == Int(1));  // no change: no event
  CHECK(h.Cmd(c, {"SETBIT", "k", "4", "0"}) == Int(0));
  CHECK(h.Take(sub).empty());
  CHECK(h.Cmd(c, {"BITFIELD", "f", "SET", "u8", "0", "1"}) == Ints({1}));
  CHECK(h.Take(sub).empty());
  CHECK(h.Cmd(c, {"BITFIELD", "f", "INCRBY", "u8", "0", "1"}) == Ints({2}));
  CHECK(h.Take(sub).find("setbit") != std::string::npos);
  CHECK(h.Cmd(c, {"PTTL", "f"}) == Int(100000));
  // An unchanged bit does not touch a WATCHed key either.
  CHECK(h.Cmd(c, {"WATCH", "k"}) == kOk);
  CHECK(h.Cmd(sub, {"PUNSUBSCRIBE"}) != "");
  CHECK(h.Cmd(sub, {"SETBIT", "k", "3", "1"}) == Int(1));
  CHECK(h.Cmd(c, {"MULTI"}) == kOk);
  CHECK(h.Cmd(c, {"GETBIT", "k", "3"}) == Simple("QUEUED"));
  CHECK(h.Cmd(c, {"EXEC"}) == Ints({1}));
}

TEST_CASE("BITCOUNT with BYTE and BIT ranges", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "foobar"}) == kOk);
  CHECK(h.Cmd(c, {"BITCOUNT", "k"}) == Int(26));
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "0", "0"}) == Int(4));
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "1", "1"}) == Int(6));
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "1", "1", "byte"}) == Int(6));
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "5", "30", "BIT"}) == Int(17));
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "-2", "-1"}) == Int(7));
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "0", "-1", "bit"}) == Int(26));
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "3", "2"}) == Int(0));
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "-100", "-200"}) == Int(0));     // both negative, start > end
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "-1", "-2", "FOO"}) == Int(0));  // ...checked before the unit
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "0", "-1", "FOO"}) == kSyntax);
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "0"}) == kSyntax);
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "a", "1"}) == kNotInt);
  CHECK(h.Cmd(c, {"BITCOUNT", "k", "0", "1", "bit", "x"}) == kSyntax);
  // Redis 7.0 looks a missing key up first: 0 whatever the arguments.
  CHECK(h.Cmd(c, {"BITCOUNT", "nokey", "a", "b"}) == Int(0));
  CHECK(h.Cmd(c, {"BITCOUNT", "nokey", "0"}) == Int(0));
  CHECK(h.Cmd(c, {"SET", "e", ""}) == kOk);
  CHECK(h.Cmd(c, {"BITCOUNT", "e"}) == Int(0));
  CHECK(h.Cmd(c, {"BITCOUNT", "e", "0", "-1", "BIT"}) == Int(0));
}

TEST_CASE("BITPOS finds set and clear bits", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "k", "\xff\xf0\x00"s}) == kOk);
  CHECK(h.Cmd(c, {"BITPOS", "k", "0"}) == Int(12));
  CHECK(h.Cmd(c, {"BITPOS", "k", "1", "2"}) == Int(-1));
  CHECK(h.Cmd(c, {"BITPOS", "k", "1", "1"}) == Int(8));
  CHECK(h.Cmd(c, {"BITPOS", "k", "1", "7", "15", "BIT"}) == Int(7));
  CHECK(h.Cmd(c, {"BITPOS", "k", "0", "7", "11", "BIT"}) == Int(-1));
  CHECK(h.Cmd(c, {"BITPOS", "k", "0", "3", "12", "bit"}) == Int(12));
  CHECK(h.Cmd(c, {"SET", "f", "\xff\xff"s}) == kOk);
  CHECK(h.Cmd(c, {"BITPOS", "f", "0"}) == Int(16));             // zero padding past the end
  CHECK(h.Cmd(c, {"BITPOS", "f", "0", "1"}) == Int(16));        // also with only a start
  CHECK(h.Cmd(c, {"BITPOS", "f", "0", "0", "-1"}) == Int(-1));  // not with an end
  CHECK(h.Cmd(c, {"BITPOS", "nokey", "1"}) == Int(-1));
  CHECK(h.Cmd(c, {"BITPOS", "nokey", "0", "x"}) == Int(0));  // before the range is read
  CHECK(h.Cmd(c, {"BITPOS", "k", "2"}) == Err("ERR The bit argument must be 1 or 0."));
  CHECK(h.Cmd(c, {"BITPOS", "k", "x"}) == kNotInt);
  CHECK(h.Cmd(c, {"BITPOS", "k", "1", "0", "x", "foo"}) == kSyntax);  // unit before end
  CHECK(h.Cmd(c, {"BITPOS", "k", "1", "0", "x"}) == kNotInt);
  CHECK(h.Cmd(c, {"BITPOS", "k", "1", "0", "1", "bit", "x"}) == kSyntax);
}

TEST_CASE("BITOP AND OR XOR NOT", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"SET", "a", "\xf0\x0f"s}) == kOk);
  CHECK(h.Cmd(c, {"SET", "b", "\x3c"s}) == kOk);
  CHECK(h.Cmd(c, {"BITOP", "AND", "d", "a", "b"}) == Int(2));
  CHECK(h.Cmd(c, {"GET", "d"}) == Bulk("\x30\x00"s));
  CHECK(h.Cmd(c, {"BITOP", "or", "d", "a", "b", "nokey"}) == Int(2));
  CHECK(h.Cmd(c, {"GET", "d"}) == Bulk("\xfc\x0f"s));
  CHECK(h.Cmd(c, {"BITOP", "XOR", "d", "a", "b"}) == Int(2));
  CHECK(h.Cmd(c, {"GET", "d"}) == Bulk("\xcc\x0f"s));
  CHECK(h.Cmd(c, {"BITOP", "NOT", "d", "a"}) == Int(2));
  CHECK(h.Cmd(c, {"GET", "d"}) == Bulk("\x0f\xf0"s));
  CHECK(h.Cmd(c, {"BITOP", "NOT", "d", "a", "b"}) ==
        Err("ERR BITOP NOT must be called with a single source key."));
  CHECK(h.Cmd(c, {"BITOP", "NAND", "d", "a"}) == kSyntax);
  CHECK(h.Cmd(c, {"BITOP", "AND", "d"}) ==
        Err("ERR wrong number of arguments for 'bitop' command"));
  // The destination loses its TTL; an empty result deletes it.
  CHECK(h.Cmd(c, {"EXPIRE", "d", "100"}) == Int(1));
  CHECK(h.Cmd(c, {"BITOP", "AND", "d", "a", "a"}) == Int(2));
  CHECK(h.Cmd(c, {"TTL", "d"}) == Int(-1));
  CHECK(h.Cmd(c, {"BITOP", "OR", "d", "x", "y"}) == Int(0));
  CHECK(h.Cmd(c, {"EXISTS", "d"}) == Int(0));
  CHECK(h.Cmd(c, {"BITOP", "OR", "d", "x", "y"}) == Int(0));
}

TEST_CASE("BITFIELD GET SET INCRBY with the overflow policies", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"BITFIELD", "k", "INCRBY", "i5", "100", "1", "GET", "u4", "0"}) == Ints({1, 0}));
  CHECK(h.Cmd(c, {"BITFIELD", "k", "SET", "i8", "#1", "200", "GET", "u8", "8", "GET", "i8", "8"}) ==
        Ints({0, 200, -56}));
  CHECK(h.Cmd(c, {"BITFIELD", "s", "OVERFLOW", "SAT", "INCRBY", "u2", "102", "1", "OVERFLOW",
                  "FAIL", "INCRBY", "u2", "102", "5"}) == Arr(2) + Int(1) + kNil);
  CHECK(h.Cmd(c, {"BITFIELD", "w", "INCRBY", "u2", "0", "5"}) == Ints({1}));  // wraps
  CHECK(h.Cmd(c, {"BITFIELD", "w", "OVERFLOW", "SAT", "INCRBY", "i8", "8", "-1000"}) ==
        Ints({-128}));
  CHECK(h.Cmd(c, {"BITFIELD", "w", "OVERFLOW", "SAT", "SET", "u8", "16", "-1"}) == Ints({0}));
  CHECK(h.Cmd(c, {"BITFIELD", "w", "GET", "u8", "16"}) == Ints({255}));  // -1 is above u8
  CHECK(h.Cmd(c, {"BITFIELD", "i", "SET", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0",
                  "-1"}) == Ints({0, 9223372036854775807}));
  CHECK(h.Cmd(c, {"BITFIELD", "i", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "10"}) ==
        Ints({9223372036854775807}));
  CHECK(h.Cmd(c, {"BITFIELD", "u", "SET", "u63", "0", "-1", "GET", "u63", "0"}) ==
        Ints({0, 9223372036854775807}));
  CHECK(h.Cmd(c, {"BITFIELD", "o", "OVERFLOW", "FAIL", "SET", "i1", "0", "1", "SET", "i1", "0",
                  "-1"}) == Arr(2) + kNil + Int(0));
  CHECK(h.Cmd(c, {"BITFIELD", "k"}) == Arr(0));
  CHECK(h.Cmd(c, {"BITFIELD", "k", "OVERFLOW", "WRAP"}) == Arr(0));
  CHECK(h.Cmd(c, {"BITFIELD", "nokey", "GET", "i64", "1000"}) == Ints({0}));
  CHECK(h.Cmd(c, {"EXISTS", "nokey"}) == Int(0));
  // Every write failing still creates the key, zero-filled, as in Redis.
  CHECK(h.Cmd(c, {"BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "10"}) ==
        Arr(1) + kNil);
  CHECK(h.Cmd(c, {"GET", "f"}) == Bulk("\x00"s));
}

TEST_CASE("BITFIELD refuses bad operations before running any", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u64", "0"}) == kBadType);
  CHECK(h.Cmd(c, {"EXISTS", "k"}) == Int(0));
  CHECK(h.Cmd(c, {"BITFIELD", "k", "GET", "i65", "0"}) == kBadType);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "GET", "i0", "0"}) == kBadType);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "GET", "I8", "0"}) == kBadType);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "GET", "", "0"}) == kBadType);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "GET", "u8", "-1"}) == kBadOffset);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "GET", "u8", "#-1"}) == kBadOffset);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "GET", "u8", "#536870912"}) == kBadOffset);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "GET", "u8", "#536870911"}) == Ints({0}));
  CHECK(h.Cmd(c, {"BITFIELD", "k", "SET", "u8", "0", "x"}) == kNotInt);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "SET", "u8", "0"}) == kSyntax);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "GET", "u8"}) == kSyntax);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "FOO"}) == kSyntax);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "OVERFLOW"}) == kSyntax);
  CHECK(h.Cmd(c, {"BITFIELD", "k", "OVERFLOW", "foo"}) ==
        Err("ERR Invalid OVERFLOW type specified"));
  const std::string ro = Err("ERR BITFIELD_RO only supports the GET subcommand");
  CHECK(h.Cmd(c, {"BITFIELD_RO", "k", "SET", "u8", "0", "1"}) == ro);
  CHECK(h.Cmd(c, {"BITFIELD_RO", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1"}) == ro);
  CHECK(h.Cmd(c, {"BITFIELD_RO", "k", "GET", "u8", "0", "GET", "u64", "0"}) == kBadType);
  CHECK(h.Cmd(c, {"BITFIELD_RO", "k", "GET", "u8", "0"}) == Ints({0}));
  CHECK(h.Cmd(c, {"BITFIELD_RO"}) ==
        Err("ERR wrong number of arguments for 'bitfield_ro' command"));
}

TEST_CASE("BITFIELD refuses a value longer than proto-max-bulk-len", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "proto-max-bulk-len", "1048576"}) == kOk);
  // The offset is in range, the field's end is not: Redis 7.0 would grow the string past it.
  CHECK(h.Cmd(c, {"BITFIELD", "k", "SET", "u8", "8388607", "1"}) ==
        Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
  CHECK(h.Cmd(c, {"EXISTS", "k"}) == Int(0));
  CHECK(h.Cmd(c, {"BITFIELD", "k", "SET", "u1", "8388607", "1"}) == Ints({0}));
}

TEST_CASE("LCS with LEN, IDX, MINMATCHLEN and WITHMATCHLEN", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"MSET", "a", "ohmytext", "b", "mynewtext"}) == kOk);
  CHECK(h.Cmd(c, {"LCS", "a", "b"}) == Bulk("mytext"));
  CHECK(h.Cmd(c, {"LCS", "a", "b", "LEN"}) == Int(6));
  const std::string range1 = Arr(2) + Arr(2) + Int(4) + Int(7) + Arr(2) + Int(5) + Int(8);
  const std::string range2 = Arr(2) + Arr(2) + Int(2) + Int(3) + Arr(2) + Int(0) + Int(1);
  CHECK(h.Cmd(c, {"LCS", "a", "b", "IDX"}) ==
        Arr(4) + Bulk("matches") + Arr(2) + range1 + range2 + Bulk("len") + Int(6));
  CHECK(h.Cmd(c, {"LCS", "a", "b", "idx", "minmatchlen", "4", "withmatchlen"}) ==
        Arr(4) + Bulk("matches") + Arr(1) + Arr(3) + Arr(2) + Int(4) + Int(7) + Arr(2) + Int(5) +
            Int(8) + Int(4) + Bulk("len") + Int(6));
  CHECK(h.Cmd(c, {"HELLO", "3"}).substr(0, 1) == "%");
  CHECK(h.Cmd(c, {"LCS", "a", "b", "IDX", "MINMATCHLEN", "5"}) ==
        "%2\r\n" + Bulk("matches") + Arr(0) + Bulk("len") + Int(6));
  CHECK(h.Cmd(c, {"LCS", "a", "nokey"}) == Bulk(""));
  CHECK(h.Cmd(c, {"LCS", "a", "b", "LEN", "IDX"}) ==
        Err("ERR If you want both the length and indexes, please just use IDX."));
  CHECK(h.Cmd(c, {"LCS", "a", "b", "MINMATCHLEN"}) == kSyntax);
  CHECK(h.Cmd(c, {"LCS", "a", "b", "MINMATCHLEN", "x"}) == kNotInt);
  CHECK(h.Cmd(c, {"LCS", "a", "b", "IDX", "MINMATCHLEN", "-5"}).find("len") != std::string::npos);
  CHECK(h.Cmd(c, {"LCS", "a"}) == Err("ERR wrong number of arguments for 'lcs' command"));
}

TEST_CASE("LCS bounds its table by proto-max-bulk-len", "[redis][bits]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "proto-max-bulk-len", "1048576"}) == kOk);
  CHECK(h.Cmd(c, {"MSET", "a", std::string(1000, 'x'), "b", std::string(1000, 'x')}) == kOk);
  CHECK(h.Cmd(c, {"LCS", "a", "b", "LEN"}) ==
        Err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"));
  CHECK(h.Cmd(c, {"SET", "b", std::string(200, 'x')}) == kOk);
  CHECK(h.Cmd(c, {"LCS", "a", "b", "LEN"}) == Int(200));
}

TEST_CASE("bitmap helpers", "[redis][bits]") {
  using namespace bitmap;
  const std::string s = "\xff\x0f\x00\x80"s;
  CHECK(CountBits(s, 0, 31) == 13);
  CHECK(CountBits(s, 4, 11) == 4);
  CHECK(CountBits(s, 12, 12) == 1);
  CHECK(FindBit(s, 0, 31, false) == 8);
  CHECK(FindBit(s, 13, 31, true) == 13);
  CHECK(FindBit(s, 16, 23, true) == -1);
  CHECK(FindBit(s, 16, 31, true) == 24);
  CHECK(FindBit(s, 1, 3, false) == -1);
  int64_t start = -100, end = 2;
  CHECK(ClampRange(4, &start, &end));
  CHECK((start == 0 && end == 2));
  start = 5;
  end = 10;
  CHECK_FALSE(ClampRange(4, &start, &end));
  CHECK(*FieldIncr({true, 4}, 7, 1, Overflow::kWrap) == -8);
  CHECK(*FieldIncr({true, 4}, 7, 1, Overflow::kSat) == 7);
  CHECK(*FieldIncr({false, 4}, 0, -1, Overflow::kWrap) == 15);
  CHECK(*FieldIncr({false, 4}, 0, -1, Overflow::kSat) == 0);
  CHECK(!FieldIncr({false, 63}, 1, INT64_MIN, Overflow::kFail));
  CHECK(*FieldSet({true, 8}, 200, Overflow::kWrap) == -56);
  CHECK(*FieldSet({true, 8}, -200, Overflow::kSat) == -128);
  std::string f(2, '\0');
  WriteField(f, 4, {false, 8}, 0xAB);
  CHECK(f == "\x0a\xb0"s);
  CHECK(ReadField(f, 4, {false, 8}) == 0xAB);
  CHECK(ReadField(f, 4, {true, 8}) == -85);
  CHECK(ReadField(f, 12, {false, 16}) == 0);  // zero past the end
}

}  // namespace
}  // namespace kvgate::redis::testing

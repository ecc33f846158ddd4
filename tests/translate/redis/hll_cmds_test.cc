// File: tests/translate/redis/hll_cmds_test.cc
// PFADD PFCOUNT PFMERGE PFDEBUG in process (texts as redis-server 7.0.15 answers them): replies,
// the bytes stored, the cached count PFCOUNT writes back (and when it does not write), TTLs
// kept, keyspace events, CLIENT PAUSE WRITE, hll-sparse-max-bytes and corrupt values.
//
//   RedisHarness h;  auto& c = h.Connect();
//   h.Cmd(c, {"PFADD", "h", "a"});   // ":1\r\n"
#include <catch2/catch.hpp>

#include <string>

#include "tests/support/hll_values.h"
#include "tests/translate/redis/support/fake_transport.h"
#include "tests/translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

using kvgate::testing::HllHeader;

const std::string kNotHll = Err("WRONGTYPE Key is not a valid HyperLogLog string value.");
const std::string kCorrupt = Err("INVALIDOBJ Corrupted HLL object detected");

// The bytes GET answers for `key`.
std::string Value(RedisHarness& h, RedisHarness::Client& c, const std::string& key) {
  const std::string reply = h.Cmd(c, {"GET", key});
  const size_t start = reply.find("\r\n") + 2;
  return reply.substr(start, reply.size() - start - 2);
}

TEST_CASE("PFADD creates a sparse HLL string and answers whether it changed", "[redis][hll]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"PFADD", "h", "a"}) == Int(1));
  CHECK(h.Cmd(c, {"PFADD", "h", "a"}) == Int(0));
  CHECK(h.Cmd(c, {"PFADD", "h"}) == Int(0));
  CHECK(h.Cmd(c, {"GET", "h"}) == Bulk(HllHeader('\x01') + "\x71\xa6\x84\x4e\x57"));
  CHECK(h.Cmd(c, {"TYPE", "h"}) == Simple("string"));
  CHECK(h.Cmd(c, {"PFADD", "empty"}) == Int(1));  // creating the key is a change
  CHECK(h.Cmd(c, {"GET", "empty"}) == Bulk(HllHeader('\x01') + "\x7f\xff"));
  CHECK(h.Cmd(c, {"PFADD"}) == Err("ERR wrong number of arguments for 'pfadd' command"));
}

TEST_CASE("PFCOUNT caches the count it computes in the value, once", "[redis][hll]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"PFCOUNT", "none"}) == Int(0));
  CHECK(h.Cmd(c, {"PFADD", "h", "a", "b", "c"}) == Int(1));
  const std::string before = h.Cmd(c, {"GETETAG", "h"});
  CHECK(h.Cmd(c, {"PFCOUNT", "h"}) == Int(3));
  CHECK(Value(h, c, "h").substr(0, 16) ==
        HllHeader('\x01', '\0').substr(0, 8) + std::string("\x03\0\0\0\0\0\0\0", 8));
  const std::string cached = h.Cmd(c, {"GETETAG", "h"});
  CHECK(cached != before);  // the write-back is a change
  CHECK(h.Cmd(c, {"PFCOUNT", "h"}) == Int(3));
  CHECK(h.Cmd(c, {"GETETAG", "h"}) == cached);  // a valid cache is only read
  CHECK(h.Cmd(c, {"PFCOUNT", "h", "none", "h"}) == Int(3));
  CHECK(h.Cmd(c, {"GETETAG", "h"}) == cached);  // several keys: merged in memory
  CHECK(h.Cmd(c, {"PFADD", "h", "d"}) == Int(1));
  CHECK(Value(h, c, "h").substr(8, 8) == std::string("\x03\0\0\0\0\0\0\x80", 8));  // stale
  CHECK(h.Cmd(c, {"PFCOUNT"}) == Err("ERR wrong number of arguments for 'pfcount' command"));
}

TEST_CASE("PFMERGE writes the union, keeps the TTL, and PFCOUNT counts unions", "[redis][hll]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"PFADD", "x", "a", "b", "c"});
  h.Cmd(c, {"PFADD", "y", "c", "d", "e"});
  CHECK(h.Cmd(c, {"PFCOUNT", "x", "y"}) == Int(5));
  CHECK(h.Cmd(c, {"PFMERGE", "u", "x", "y", "missing"}) == kOk);
  CHECK(h.Cmd(c, {"PFCOUNT", "u"}) == Int(5));
  CHECK(h.Cmd(c, {"EXPIRE", "u", "100"}) == Int(1));
  CHECK(h.Cmd(c, {"PFMERGE", "u"}) == kOk);  // rewrites the destination, stale cache
  CHECK(h.Cmd(c, {"TTL", "u"}) == Int(100));
  CHECK(h.Cmd(c, {"PFADD", "u", "f"}) == Int(1));
  CHECK(h.Cmd(c, {"TTL", "u"}) == Int(100));
  CHECK(h.Cmd(c, {"PFMERGE", "new"}) == kOk);
  CHECK(h.Cmd(c, {"GET", "new"}) == Bulk(HllHeader('\x01') + "\x7f\xff"));
  CHECK(h.Cmd(c, {"PFMERGE"}) == Err("ERR wrong number of arguments for 'pfmerge' command"));
}

TEST_CASE("a dense source makes PFMERGE's destination dense", "[redis][hll]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"PFADD", "s", "a"});
  h.Cmd(c, {"PFADD", "d", "b"});
  CHECK(h.Cmd(c, {"PFDEBUG", "TODENSE", "d"}) == Int(1));
  CHECK(h.Cmd(c, {"PFDEBUG", "TODENSE", "d"}) == Int(0));
  CHECK(h.Cmd(c, {"PFDEBUG", "ENCODING", "d"}) == Simple("dense"));
  CHECK(h.Cmd(c, {"PFMERGE", "s2", "s"}) == kOk);
  CHECK(h.Cmd(c, {"PFDEBUG", "ENCODING", "s2"}) == Simple("sparse"));
  CHECK(h.Cmd(c, {"PFMERGE", "m", "s", "d"}) == kOk);
  CHECK(h.Cmd(c, {"PFDEBUG", "ENCODING", "m"}) == Simple("dense"));
  CHECK(h.Cmd(c, {"STRLEN", "m"}) == Int(12304));
  CHECK(h.Cmd(c, {"PFCOUNT", "m"}) == Int(2));
  CHECK(h.Cmd(c, {"PFDEBUG", "DECODE", "s"}) == Bulk("Z:12711 v:2,1 Z:3672"));
  CHECK(h.Cmd(c, {"PFDEBUG", "DECODE", "m"}) == Err("ERR HLL encoding is not sparse"));
  CHECK(h.Cmd(c, {"PFDEBUG", "nope", "m"}) == Err("ERR Unknown PFDEBUG subcommand 'nope'"));
  CHECK(h.Cmd(c, {"PFDEBUG", "nope", "none"}) == Err("ERR The specified key does not exist"));
  const std::string regs = h.Cmd(c, {"PFDEBUG", "GETREG", "s"});  // stores s dense
  CHECK(regs.substr(0, 8) == "*16384\r\n");
  CHECK(h.Cmd(c, {"PFDEBUG", "ENCODING", "s"}) == Simple("dense"));
  CHECK(h.Cmd(c, {"PFDEBUG", "GETREG", "s"}) == regs);
}

TEST_CASE("values that are not HLLs answer Redis's errors", "[redis][hll]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "s", "not an hll"});
  h.Cmd(c, {"PFADD", "h", "a"});
  CHECK(h.Cmd(c, {"PFADD", "s", "a"}) == kNotHll);
  CHECK(h.Cmd(c, {"PFCOUNT", "s"}) == kNotHll);
  CHECK(h.Cmd(c, {"PFCOUNT", "h", "s"}) == kNotHll);
  CHECK(h.Cmd(c, {"PFMERGE", "h", "s"}) == kNotHll);
  CHECK(h.Cmd(c, {"PFMERGE", "s", "h"}) == kNotHll);
  CHECK(h.Cmd(c, {"PFDEBUG", "ENCODING", "s"}) == kNotHll);
  CHECK(h.Cmd(c, {"GET", "s"}) == Bulk("not an hll"));
  // A dense value of the wrong size, an unknown encoding.
  h.Cmd(c, {"SET", "d", HllHeader('\0') + "xyz"});
  CHECK(h.Cmd(c, {"PFCOUNT", "d"}) == kNotHll);
  h.Cmd(c, {"SET", "e", HllHeader('\x02') + "\x7f\xff"});
  CHECK(h.Cmd(c, {"PFADD", "e"}) == kNotHll);
}

TEST_CASE("corrupt sparse opcodes answer INVALIDOBJ; PFADD keeps what it changed", "[redis][hll]") {
  RedisHarness h;
  auto& c = h.Connect();
  h.Cmd(c, {"SET", "bad", HllHeader('\x01')});  // no opcodes at all
  CHECK(h.Cmd(c, {"PFCOUNT", "bad"}) == kCorrupt);
  CHECK(h.Cmd(c, {"PFCOUNT", "bad", "bad"}) == kCorrupt);
  CHECK(h.Cmd(c, {"PFMERGE", "x", "bad"}) == kCorrupt);
  CHECK(h.Cmd(c, {"EXISTS", "x"}) == Int(0));
  CHECK(h.Cmd(c, {"PFADD", "bad", "a"}) == kCorrupt);
  CHECK(h.Cmd(c, {"PFADD", "bad"}) == Int(0));
  // Opcodes for registers 0..12799 only: "a" (register 12711) is added, "abcdefghijk"
  // (register 14121) is past the end; Redis stops there, keeping the first change.
  h.Cmd(c, {"SET", "short", HllHeader('\x01') + "\x71\xff"});
  CHECK(h.Cmd(c, {"PFADD", "short", "a", "abcdefghijk", "ab"}) == kCorrupt);
  CHECK(h.Cmd(c, {"PFDEBUG", "DECODE", "short"}) == Bulk("Z:12711 v:2,1 Z:88"));
  // A cached count is answered without reading the opcodes, as Redis does.
  h.Cmd(c, {"SET", "cached",
            HllHeader('\x01', '\0').substr(0, 8) + std::string("\x07", 1) + std::string(7, '\0')});
  CHECK(h.Cmd(c, {"PFCOUNT", "cached"}) == Int(7));
}

TEST_CASE("hll-sparse-max-bytes bounds the sparse encoding", "[redis][hll]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "GET", "hll-sparse-max-bytes"}) ==
        Arr(2) + Bulk("hll-sparse-max-bytes") + Bulk("3000"));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "hll-sparse-max-bytes", "-1"}) ==
        Err("ERR CONFIG SET failed (possibly related to argument 'hll-sparse-max-bytes') - "
            "argument must be a memory value"));
  CHECK(h.Cmd(c, {"CONFIG", "SET", "hll-sparse-max-bytes", "9223372036854775808"}) ==
        Err("ERR CONFIG SET failed (possibly related to argument 'hll-sparse-max-bytes') - "
            "argument must be between 0 and 9223372036854775807 inclusive"));
  h.Cmd(c, {"PFADD", "before", "a"});
  CHECK(h.Cmd(c, {"CONFIG", "SET", "hll-sparse-max-bytes", "0"}) == kOk);
  CHECK(h.Cmd(c, {"PFADD", "h", "a"}) == Int(1));
  CHECK(h.Cmd(c, {"PFDEBUG", "ENCODING", "h"}) == Simple("dense"));
  CHECK(h.Cmd(c, {"PFADD", "before", "b"}) == Int(1));
  CHECK(h.Cmd(c, {"PFDEBUG", "ENCODING", "before"}) == Simple("dense"));
  CHECK(h.Cmd(c, {"PFCOUNT", "before", "h"}) == Int(2));
}

TEST_CASE("PFADD and PFMERGE fire pfadd; PFCOUNT fires nothing", "[redis][hll]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& sub = h.Connect();
  CHECK(h.Cmd(c, {"CONFIG", "SET", "notify-keyspace-events", "E$"}) == kOk);
  h.Cmd(sub, {"SUBSCRIBE", "__keyevent@0__:pfadd"});
  h.Cmd(c, {"PFADD", "h", "a"});
  h.Cmd(c, {"PFADD", "h", "a"});  // no change, no event
  h.Cmd(c, {"PFCOUNT", "h"});
  h.Cmd(c, {"PFMERGE", "m", "h"});
  const std::string ev = Arr(3) + Bulk("message") + Bulk("__keyevent@0__:pfadd");
  CHECK(h.Take(sub) == ev + Bulk("h") + ev + Bulk("m"));
}

TEST_CASE("CLIENT PAUSE WRITE holds PFCOUNT, which may write", "[redis][hll]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& admin = h.Connect();
  h.Cmd(c, {"PFADD", "h", "a"});
  CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "1000", "WRITE"}) == kOk);
  CHECK(h.Cmd(c, {"PFCOUNT", "h"}) == "");
  CHECK(h.Cmd(admin, {"CLIENT", "UNPAUSE"}) == kOk);
  h.Pump();
  CHECK(h.Take(c) == Int(1));
}

}  // namespace
}  // namespace kvgate::redis::testing

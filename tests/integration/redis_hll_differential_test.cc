// File: tests/integration/redis_hll_differential_test.cc
// PFADD PFCOUNT PFMERGE PFDEBUG against a real redis-server 7.0, byte for byte in RESP2 and
// RESP3 (support/script_diff.h): counts, the HLL bytes GET answers in sparse and dense form
// (and after PFCOUNT caches its count), promotion at hll-sparse-max-bytes, thousands of elements
// counted one by one, binary elements, values SET by hand (dense registers of any value,
// corrupt sparse opcodes, strings that are not HLLs) and argument errors.
//
//   CompareScripts(HllScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/script_diff.h"
#include "tests/support/hll_values.h"

namespace {

using kvgate::testing::HllHeader;
using kvgate::testing::S;
using kvgate::testing::Script;
using Cmd = std::vector<std::string>;

// PFADD key e<from> ... e<to - 1>, `per` elements a command.
std::vector<Cmd> AddRange(const std::string& key, int from, int to, int per) {
  std::vector<Cmd> out;
  for (int i = from; i < to; i += per) {
    Cmd c = {"PFADD", key};
    for (int j = i; j < to && j < i + per; ++j) c.push_back("e" + std::to_string(j));
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Cmd> Join(std::vector<std::vector<Cmd>> parts) {
  std::vector<Cmd> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// One element at a time with the count after each: the estimator over the sparse range.
std::vector<Cmd> CountEach(int n) {
  std::vector<Cmd> out;
  for (int i = 0; i < n; ++i) {
    out.push_back({"PFADD", "h", "x" + std::to_string(i * 7919)});
    out.push_back({"PFCOUNT", "h"});
  }
  out.push_back({"GET", "h"});
  return out;
}

// Thousands of elements at a time with the count after each batch: the dense range.
std::vector<Cmd> CountBatches(int batches, int per) {
  std::vector<Cmd> out;
  for (int b = 0; b < batches; ++b) {
    auto add = AddRange("d", b * per, (b + 1) * per, 1000);
    out.insert(out.end(), add.begin(), add.end());
    out.push_back({"PFCOUNT", "d"});
  }
  out.push_back({"GET", "d"});
  return out;
}

// A dense value whose registers take every 6-bit value, 52..63 included (no element yields
// those, a value SET by hand may).
std::string OddDense() {
  std::string v = HllHeader('\0');
  for (int i = 0; i < 12288; ++i) v.push_back(static_cast<char>((i * 37 + 11) & 0xff));
  return v;
}

std::vector<Script> HllScripts() {
  // Tables of commands read best one per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("pfadd pfcount basics",
                {{"PFADD", "h", "a", "b", "c"}, {"PFADD", "h", "a"}, {"PFADD", "h"}, {"GET", "h"},
                 {"PFCOUNT", "h"}, {"GET", "h"}, {"PFCOUNT", "h"}, {"TYPE", "h"}, {"STRLEN", "h"},
                 {"PFADD", "h", "d"}, {"GET", "h"}, {"PFADD", "new"}, {"GET", "new"},
                 {"PFCOUNT", "new"}, {"PFCOUNT", "none"}, {"PFCOUNT", "none", "h", "new"},
                 {"pfadd", "h", "e"}, {"pfcount", "h"}}));
  s.push_back(S("arity", {{"PFADD"}, {"PFCOUNT"}, {"PFMERGE"}, {"PFDEBUG"}, {"PFDEBUG", "x"},
                          {"PFDEBUG", "x", "y", "z"}}));
  s.push_back(S("not hyperloglogs",
                {{"SET", "s", "foo"}, {"PFADD", "h", "a"}, {"PFADD", "s", "a"}, {"PFCOUNT", "s"},
                 {"PFCOUNT", "h", "s"}, {"PFCOUNT", "s", "h"}, {"PFMERGE", "d", "s"},
                 {"PFMERGE", "s", "h"}, {"PFMERGE", "h", "h", "s"}, {"PFDEBUG", "ENCODING", "s"},
                 {"EXISTS", "d"}, {"GET", "s"}, {"PFCOUNT", "h"},
                 {"SET", "short", "HYLL"}, {"PFCOUNT", "short"},
                 {"SET", "magic", "hyll" + HllHeader('\x01').substr(4) + "\x7f\xff"},
                 {"PFADD", "magic", "a"},
                 {"SET", "enc", HllHeader('\x02') + "\x7f\xff"}, {"PFCOUNT", "enc"},
                 {"SET", "dense", HllHeader('\0') + std::string(100, '\0')}, {"PFCOUNT", "dense"},
                 {"SET", "long", HllHeader('\0') + std::string(12289, '\0')}, {"PFMERGE", "x", "long"},
                 {"SET", "empty", ""}, {"PFADD", "empty"}}));
  s.push_back(S("corrupt sparse opcodes",
                {{"SET", "bad", HllHeader('\x01')}, {"PFCOUNT", "bad"}, {"PFCOUNT", "bad", "bad"},
                 {"PFMERGE", "x", "bad"}, {"EXISTS", "x"}, {"PFADD", "bad", "a"},
                 {"PFADD", "bad"}, {"PFDEBUG", "GETREG", "bad"}, {"PFDEBUG", "DECODE", "bad"},
                 {"SET", "short", HllHeader('\x01') + "\x71\xff"},
                 {"PFADD", "short", "a", "abcdefghijk", "ab"}, {"GET", "short"},
                 {"PFADD", "short", "a"}, {"PFCOUNT", "short"},
                 {"SET", "over", HllHeader('\x01') + "\x7f\xff\x00"}, {"PFCOUNT", "over"},
                 {"PFADD", "over", "a"}, {"GET", "over"},
                 {"SET", "valpast", HllHeader('\x01') + "\x7f\xfe\x83"}, {"PFCOUNT", "valpast"},
                 {"PFMERGE", "valpast"},
                 {"SET", "cut", HllHeader('\x01') + "\x40\xfe\x7f"}, {"PFCOUNT", "cut"},
                 {"PFADD", "cut", "a", "b", "c"}, {"GET", "cut"},
                 {"SET", "cached", HllHeader('\x01', '\0').substr(0, 8) + std::string("\x07", 1) +
                                       std::string(7, '\0')},
                 {"PFCOUNT", "cached"}, {"PFCOUNT", "cached", "cached"}}));
  s.push_back(S("dense registers of any value", {{"SET", "odd", OddDense()}, {"PFCOUNT", "odd"},
                                                 {"GET", "odd"}, {"PFCOUNT", "odd", "none"},
                                                 {"PFADD", "odd", "a", "b", "c", "d"},
                                                 {"PFCOUNT", "odd"}, {"PFMERGE", "m", "odd"},
                                                 {"GET", "m"}, {"PFDEBUG", "GETREG", "odd"}}));
  s.push_back(S("binary elements",
                {{"PFADD", "b", ""}, {"PFADD", "b", std::string(1, '\0')},
                 {"PFADD", "b", std::string("\xff\xfe\x00\x01", 4), "a\r\nb", "\x80"},
                 {"PFADD", "b", std::string(1000, 'x'), std::string(4097, '\x01')},
                 {"PFADD", "b", "1234567", "12345678", "123456789"}, {"GET", "b"},
                 {"PFCOUNT", "b"}, {"GET", "b"}}));
  s.push_back(S("sparse bytes after many adds", Join({AddRange("h", 0, 1000, 50), {{"GET", "h"}},
                                                      {{"PFCOUNT", "h"}}, {{"GET", "h"}},
                                                      {{"PFDEBUG", "ENCODING", "h"}},
                                                      {{"PFDEBUG", "DECODE", "h"}}})));
  s.push_back(S("promotion to dense", Join({AddRange("h", 0, 5000, 100), {{"GET", "h"}},
                                            {{"PFDEBUG", "ENCODING", "h"}}, {{"PFCOUNT", "h"}},
                                            {{"GET", "h"}}, AddRange("h", 5000, 6000, 1000),
                                            {{"PFCOUNT", "h"}}})));
  s.push_back(S("one element at a time", CountEach(2500)));
  s.push_back(S("dense counts", CountBatches(40, 5000)));
  s.push_back(S("pfmerge",
                {{"PFADD", "x", "a", "b", "c"}, {"PFADD", "y", "c", "d", "e"},
                 {"PFMERGE", "u", "x", "y", "missing"}, {"GET", "u"}, {"PFCOUNT", "u"},
                 {"PFCOUNT", "x", "y"}, {"PFMERGE", "x", "y"}, {"GET", "x"},
                 {"EXPIRE", "u", "100"}, {"PFMERGE", "u"}, {"TTL", "u"}, {"GET", "u"},
                 {"PFADD", "u", "f"}, {"TTL", "u"}, {"PFMERGE", "new"}, {"GET", "new"},
                 {"PFMERGE", "new2", "none"}, {"GET", "new2"},
                 {"PFDEBUG", "TODENSE", "y"}, {"PFMERGE", "z", "x", "y"}, {"GET", "z"},
                 {"PFDEBUG", "ENCODING", "z"}, {"PFMERGE", "x", "x"}, {"PFDEBUG", "ENCODING", "x"},
                 {"PFCOUNT", "x", "y", "z"}}));
  s.push_back(S("pfmerge of large sparse values",
                Join({AddRange("p", 0, 900, 100), AddRange("q", 800, 1700, 100),
                      {{"PFMERGE", "pq", "p", "q"}, {"PFDEBUG", "ENCODING", "pq"}, {"GET", "pq"},
                       {"PFCOUNT", "pq"}, {"PFCOUNT", "p", "q"}, {"PFMERGE", "p", "q"},
                       {"GET", "p"}}})));
  s.push_back(S("pfdebug",
                {{"PFADD", "h", "a", "b"}, {"PFDEBUG", "ENCODING", "h"}, {"PFDEBUG", "DECODE", "h"},
                 {"PFDEBUG", "decode", "none"}, {"PFDEBUG", "foo", "h"}, {"PFDEBUG", "GETREG", "h"},
                 {"PFDEBUG", "ENCODING", "h"}, {"GET", "h"}, {"PFDEBUG", "DECODE", "h"},
                 {"PFDEBUG", "TODENSE", "h"}, {"PFADD", "h2", "a"}, {"PFDEBUG", "TODENSE", "h2"},
                 {"GET", "h2"}}));
  s.push_back(S("hll-sparse-max-bytes",
                Join({{{"CONFIG", "GET", "hll-sparse-max-bytes"},
                       {"CONFIG", "SET", "hll-sparse-max-bytes", "-1"},
                       {"CONFIG", "SET", "hll-sparse-max-bytes", "abc"},
                       {"CONFIG", "SET", "hll-sparse-max-bytes", "9223372036854775808"},
                       {"CONFIG", "SET", "hll-sparse-max-bytes", "200"},
                       {"CONFIG", "GET", "hll-sparse-max-bytes"}},
                      AddRange("h", 0, 60, 1), {{"PFDEBUG", "ENCODING", "h"}, {"GET", "h"}},
                      {{"CONFIG", "SET", "hll-sparse-max-bytes", "0"}, {"PFADD", "z", "a"},
                       {"PFDEBUG", "ENCODING", "z"}, {"PFADD", "y"}, {"PFMERGE", "y", "y"},
                       {"PFDEBUG", "ENCODING", "y"},
                       {"CONFIG", "SET", "hll-sparse-max-bytes", "3000"}}})));
  s.push_back(S("transactions", {{"PFADD", "h", "a"}, {"MULTI"}, {"PFADD", "h", "b"},
                                 {"PFCOUNT", "h"}, {"PFMERGE", "m", "h"}, {"PFADD"},
                                 {"EXEC"}, {"MULTI"}, {"PFADD", "h", "c"}, {"PFCOUNT", "h"},
                                 {"PFCOUNT", "h", "m"}, {"GET", "h"}, {"EXEC"},
                                 // Caching the count is a change a WATCH sees; reading it is not.
                                 {"PFADD", "h", "d"}, {"WATCH", "h"}, {"PFCOUNT", "h"}, {"MULTI"},
                                 {"PING"}, {"EXEC"}, {"WATCH", "h"}, {"PFCOUNT", "h"},
                                 {"PFCOUNT", "h", "m"}, {"MULTI"}, {"PING"}, {"EXEC"}}));
  // PFCOUNT's cached count is a change tracking clients hear of; PFADD without a change is not.
  s.push_back(S("client tracking", {{"CLIENT", "TRACKING", "ON"}, {"PFADD", "h", "a"},
                                    {"GET", "h"}, {"PFCOUNT", "h"}, {"PFCOUNT", "h"},
                                    {"PFADD", "h", "a"}, {"GET", "h"}, {"PFADD", "h", "b"},
                                    {"PFCOUNT", "h", "x"}, {"PFMERGE", "x", "h"}, {"PING"}}));
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("HyperLogLog commands answer like redis-server 7, byte for byte",
          "[integration][redis][differential][hll]") {
  kvgate::testing::CompareScripts(HllScripts(), /*resp3=*/true);
}

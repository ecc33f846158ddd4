// File: tests/engine/set_value_test.cc
// SetValue, the Redis set: Redis's integer test, the intset (sorted, bounded) and its one-way
// conversion to a hashtable, removal, random picks, SSCAN, Clear (a set built anew), Clone and
// the memory it reports; a randomized check against std::set.
//
//   SetValue s;  s.Add("2", 512);  s.Add("1", 512);   // ForEach: "1", "2"
#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/collection.h"
#include "engine/collections/set_value.h"

namespace kvgate::engine {
namespace {

std::vector<std::string> Members(const SetValue& s) {
  std::vector<std::string> out;
  s.ForEach([&](std::string_view m) { out.emplace_back(m); });
  return out;
}

TEST_CASE("SetValue::ParseInteger follows Redis's string2ll", "[engine][sets]") {
  int64_t v = 0;
  CHECK(SetValue::ParseInteger("0", &v));
  CHECK(SetValue::ParseInteger("-9223372036854775808", &v));
  CHECK(v == INT64_MIN);
  CHECK(SetValue::ParseInteger("9223372036854775807", &v));
  CHECK(v == INT64_MAX);
  for (const char* bad : {"", "-0", "01", "+1", " 1", "1 ", "9223372036854775808", "1.0", "-",
                          "0x10", "1e3", "-01"}) {
    INFO(bad);
    CHECK_FALSE(SetValue::ParseInteger(bad, &v));
  }
}

TEST_CASE("an intset keeps integers sorted until a non-integer or its bound", "[engine][sets]") {
  SetValue s;
  CHECK(s.type() == ValueType::kSet);
  CHECK(s.EncodingName() == "intset");
  CHECK(s.Add("10", 3));
  CHECK(s.Add("-5", 3));
  CHECK(s.Add("7", 3));
  CHECK_FALSE(s.Add("7", 3));
  CHECK(Members(s) == std::vector<std::string>{"-5", "7", "10"});
  CHECK(s.Contains("7"));
  CHECK_FALSE(s.Contains("07"));
  CHECK_FALSE(s.Contains("x"));
  CHECK(s.EncodingName() == "intset");
  CHECK(s.Add("8", 3));  // a 4th member beyond the bound of 3
  CHECK(s.EncodingName() == "hashtable");
  CHECK(s.size() == 4);
  CHECK(s.Contains("-5"));
  CHECK(s.Remove("-5"));
  CHECK(s.Remove("7"));
  CHECK(s.EncodingName() == "hashtable");                    // for good
  CHECK(Members(s) == std::vector<std::string>{"8", "10"});  // the intset's order, kept

  SetValue t;
  CHECK(t.Add("1", 512));
  CHECK(t.Add("a", 512));
  CHECK(t.EncodingName() == "hashtable");
  CHECK(Members(t) == std::vector<std::string>{"1", "a"});
  CHECK(t.Remove("a"));
  CHECK_FALSE(t.Remove("a"));
  CHECK(t.EncodingName() == "hashtable");

  SetValue zero;  // set-max-intset-entries 0: never an intset once it has a member
  CHECK(zero.Add("1", 0));
  CHECK(zero.EncodingName() == "hashtable");
}

TEST_CASE("SetValue removal, random picks, scans, Clear and Clone", "[engine][sets]") {
  SetValue s;
  for (int i = 0; i < 20; ++i) s.Add(std::to_string(i * 3), 512);
  CHECK_FALSE(s.Remove("1"));
  CHECK_FALSE(s.Remove("x"));
  CHECK(s.Remove("3"));
  std::set<std::string> seen;
  for (uint64_t r = 0; r < 200; ++r) {
    std::string m = s.Random(r * 7919);
    CHECK(s.Contains(m));
    seen.insert(m);
  }
  CHECK(seen.size() == 19);
  uint64_t cursor = 7;
  std::vector<std::string> scanned;
  CHECK(s.Scan(cursor, 2, [&](std::string_view m) { scanned.emplace_back(m); }) == 0);
  CHECK(scanned.size() == 19);  // an intset answers whole

  auto copy = s.Clone();
  auto& c = static_cast<SetValue&>(*copy);
  CHECK(Members(c) == Members(s));
  const std::string popped = c.PopRandom(12345);
  CHECK_FALSE(c.Contains(popped));
  CHECK(s.Contains(popped));

  s.Add("x", 512);
  CHECK(s.EncodingName() == "hashtable");
  std::set<std::string> all;
  cursor = 0;
  do {
    cursor = s.Scan(cursor, 3, [&](std::string_view m) { all.emplace(m); });
  } while (cursor != 0);
  CHECK(all.size() == 20);
  s.Clear();
  CHECK(s.size() == 0);
  CHECK(s.EncodingName() == "intset");
  s.Add("2", 512);
  CHECK(s.EncodingName() == "intset");

  auto fresh = NewCollection(ValueType::kSet);
  REQUIRE(fresh != nullptr);
  CHECK(fresh->EncodingName() == "intset");
}

TEST_CASE("SetValue matches std::set under random operations", "[engine][sets]") {
  std::mt19937_64 rng(42);
  SetValue s;
  std::set<std::string> model;
  for (int step = 0; step < 20000; ++step) {
    const uint64_t r = rng();
    std::string m = (r % 10 == 0) ? "m" + std::to_string(r % 97) : std::to_string(r % 300);
    switch (r % 4) {
      case 0:
      case 1:
        CHECK(s.Add(m, 64) == model.insert(m).second);
        break;
      case 2:
        CHECK(s.Remove(m) == (model.erase(m) == 1));
        break;
      default:
        if (!model.empty()) {
          std::string p = s.PopRandom(rng());
          CHECK(model.erase(p) == 1);
        }
        break;
    }
    REQUIRE(s.size() == model.size());
  }
  std::vector<std::string> got = Members(s);
  CHECK(std::set<std::string>(got.begin(), got.end()) == model);
}

TEST_CASE("SetValue memory follows its members", "[engine][sets]") {
  SetValue s;
  const uint64_t empty = s.MemoryBytes();
  for (int i = 0; i < 1000; ++i) s.Add("member:" + std::to_string(i), 512);
  const uint64_t full = s.MemoryBytes();
  CHECK(full > empty + 1000 * 24);
  CHECK(full < empty + 1000 * 64);
  s.Clear();
  CHECK(s.MemoryBytes() == empty);
}

}  // namespace
}  // namespace kvgate::engine

// File: tests/engine/zset_value_test.cc
// ZSetValue (engine/collections/zset_value.h): ordering by (score, member), ranks, ranges by
// score and lex, the encoding label, clones, and a long randomized run checked against a
// std::set model after every step.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/collection.h"
#include "engine/collections/zset_value.h"

namespace kvgate::engine {
namespace {

std::vector<std::string> Members(const ZSetValue& z) {
  std::vector<std::string> out;
  for (auto* n = z.First(); n != nullptr; n = ZSetValue::Next(n)) {
    out.emplace_back(ZSetValue::MemberOf(n));
  }
  return out;
}

TEST_CASE("zset value orders by score then member", "[engine]") {
  ZSetValue z;
  CHECK(z.Set("b", 1));
  CHECK(z.Set("a", 1));
  CHECK(z.Set("c", 0.5));
  CHECK_FALSE(z.Set("c", 2));  // update
  CHECK(Members(z) == std::vector<std::string>{"a", "b", "c"});
  CHECK(z.Score("c") == 2.0);
  CHECK(z.Rank("a") == 0u);
  CHECK(z.Rank("c") == 2u);
  CHECK_FALSE(z.Rank("zz"));
  CHECK(ZSetValue::MemberOf(z.AtRank(1)) == "b");
  CHECK(ZSetValue::MemberOf(z.Last()) == "c");
  CHECK(z.Erase("a"));
  CHECK_FALSE(z.Erase("a"));
  CHECK(z.size() == 2);
  CHECK(z.EncodingName() == "listpack");
  z.NoteWrite(std::string(65, 'x'), 128, 64);
  CHECK(z.EncodingName() == "skiplist");
  auto* id = NewCollection(ValueType::kZSet).release();
  CHECK(id->type() == ValueType::kZSet);
  delete id;
}

TEST_CASE("zset value score and lex ranges", "[engine]") {
  ZSetValue z;
  for (int i = 0; i < 10; ++i) z.Set(std::string(1, static_cast<char>('a' + i)), i);
  ScoreRange r{2, 5, true, false};
  CHECK(ZSetValue::MemberOf(z.FirstInRange(r)) == "d");
  CHECK(ZSetValue::MemberOf(z.LastInRange(r)) == "f");
  CHECK(z.FirstInRange(ScoreRange{20, 30}) == nullptr);
  CHECK(z.FirstInRange(ScoreRange{3, 3, true, false}) == nullptr);
  CHECK(ZSetValue::MemberOf(z.FirstInRange(ScoreRange{-INFINITY, INFINITY})) == "a");
  ZSetValue same;
  for (int i = 0; i < 300; ++i) same.Set("m" + std::to_string(1000 + i), 0);
  same.set_listpack(false);
  LexRange lr{{LexBound::kExclusive, "m1010"}, {LexBound::kInclusive, "m1020"}};
  CHECK(ZSetValue::MemberOf(same.FirstInRange(lr)) == "m1011");
  CHECK(ZSetValue::MemberOf(same.LastInRange(lr)) == "m1020");
  LexRange all{{LexBound::kNegInf, {}}, {LexBound::kPosInf, {}}};
  CHECK(ZSetValue::MemberOf(same.LastInRange(all)) == "m1299");
  LexRange none{{LexBound::kPosInf, {}}, {LexBound::kPosInf, {}}};
  CHECK(same.FirstInRange(none) == nullptr);
}

TEST_CASE("zset value matches a std::set model", "[engine]") {
  std::mt19937_64 rng(42);
  ZSetValue z;
  std::set<std::pair<double, std::string>> model;
  std::map<std::string, double> scores;
  for (int step = 0; step < 20000; ++step) {
    const std::string m = "k" + std::to_string(rng() % 700);
    const int op = static_cast<int>(rng() % 10);
    if (op < 6) {
      const double s = static_cast<double>(rng() % 50) / 4;
      const bool isnew = scores.count(m) == 0;
      if (!isnew) model.erase({scores[m], m});
      scores[m] = s;
      model.insert({s, m});
      REQUIRE(z.Set(m, s) == isnew);
    } else {
      const bool had = scores.count(m) != 0;
      if (had) {
        model.erase({scores[m], m});
        scores.erase(m);
      }
      REQUIRE(z.Erase(m) == had);
    }
    REQUIRE(z.size() == model.size());
    if (step % 97 == 0 || step > 19900) {
      size_t rank = 0;
      const ZSetValue::Node* n = z.First();
      for (const auto& [s, mem] : model) {
        REQUIRE(n != nullptr);
        REQUIRE(ZSetValue::MemberOf(n) == mem);
        REQUIRE(ZSetValue::ScoreOf(n) == s);
        REQUIRE(z.Rank(mem) == rank);
        REQUIRE(z.AtRank(rank) == n);
        REQUIRE(z.Score(mem) == s);
        n = ZSetValue::Next(n);
        ++rank;
      }
      REQUIRE(n == nullptr);
      const double lo = static_cast<double>(rng() % 50) / 4;
      const double hi = lo + static_cast<double>(rng() % 20) / 4;
      ScoreRange r{lo, hi, (rng() & 1) != 0, (rng() & 1) != 0};
      const ZSetValue::Node* first = nullptr;
      const ZSetValue::Node* last = nullptr;
      for (auto* x = z.First(); x != nullptr; x = ZSetValue::Next(x)) {
        if (ZSetValue::InRange(r, ZSetValue::ScoreOf(x))) {
          if (first == nullptr) first = x;
          last = x;
        }
      }
      REQUIRE(z.FirstInRange(r) == first);
      REQUIRE(z.LastInRange(r) == last);
    }
  }
  auto copy = z.Clone();
  auto& c = static_cast<ZSetValue&>(*copy);
  REQUIRE(Members(c) == Members(z));
  REQUIRE(c.MemoryBytes() > 0);
  ZSetValue empty;
  CHECK(empty.MemoryBytes() > 32 * 16);  // the head node's levels are counted
}

}  // namespace
}  // namespace kvgate::engine

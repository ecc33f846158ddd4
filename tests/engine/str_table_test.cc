// File: tests/engine/str_table_test.cc
// StrTable (engine/collections/str_table.h) against a model: random sets, inserts and erases
// keep it equal to a std::map plus an insertion order; updates keep an entry's place; Random
// only returns live entries; a copy is independent; memory falls back when emptied.
//
//   StrTable t;  t.Set("f", "v");  t.Find("f") == "v";
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/collections/str_table.h"

namespace kvgate::engine::testing {
namespace {

using coll::StrTable;

std::vector<std::string> Keys(const StrTable& t) {
  std::vector<std::string> out;
  t.ForEach([&](std::string_view k, std::string_view) { out.emplace_back(k); });
  return out;
}

TEST_CASE("StrTable matches a model through random changes, in insertion order",
          "[engine][collections]") {
  StrTable t;
  std::map<std::string, std::string> model;
  std::vector<std::string> order;  // the model's insertion order
  std::mt19937_64 rng(7);
  for (int step = 0; step < 40000; ++step) {
    const std::string key = "k" + std::to_string(rng() % 3000);
    const int op = static_cast<int>(rng() % 10);
    if (op < 6) {
      const std::string value(rng() % 40, static_cast<char>('a' + rng() % 26));
      const bool added = t.Set(key, value);
      CHECK(added == (model.count(key) == 0));
      if (added) order.push_back(key);
      model[key] = value;
    } else {
      const bool erased = t.Erase(key);
      CHECK(erased == (model.erase(key) == 1));
      if (erased) order.erase(std::find(order.begin(), order.end(), key));
    }
    if (step % 4000 == 0) {
      REQUIRE(t.size() == model.size());
      CHECK(Keys(t) == order);
      for (const auto& [k, v] : model) CHECK(t.Find(k) == v);
    }
  }
  REQUIRE(t.size() == model.size());
  CHECK(Keys(t) == order);
  for (int i = 0; i < 1000 && t.size() > 0; ++i) {
    auto [k, v] = t.Random(rng());
    CHECK(model.at(std::string(k)) == v);
  }
  StrTable copy(t);
  t.Set("k1", "changed in the original only");
  CHECK(copy.size() == model.size());
  if (model.count("k1") != 0) CHECK(copy.Find("k1") == model["k1"]);
  const uint64_t full = t.MemoryBytes();
  for (const auto& [k, v] : model) t.Erase(k);
  t.Erase("k1");
  CHECK(t.size() == 0);
  CHECK(t.MemoryBytes() < full / 10);
}

TEST_CASE("StrTable keeps binary and empty keys and values", "[engine][collections]") {
  StrTable t;
  const std::string bin("a\0b", 3);
  CHECK(t.Set(bin, bin));
  CHECK(t.Set("", "empty key"));
  CHECK(t.Set("empty value", ""));
  CHECK(t.Find(bin) == bin);
  CHECK(t.Find("") == "empty key");
  CHECK(t.Find("empty value") == "");
  CHECK_FALSE(t.Find("a").has_value());
  CHECK_FALSE(t.Insert("", "again"));
  CHECK(t.Find("") == "empty key");
}

}  // namespace
}  // namespace kvgate::engine::testing

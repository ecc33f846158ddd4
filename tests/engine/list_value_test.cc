// File: tests/engine/list_value_test.cc
// ListValue, the Redis list: pushes and pops at both ends across chunk boundaries, index
// reads and writes, inserts, LREM from either end, trims, walks, elements larger than a chunk,
// Clone, memory counted and given back; a randomized check against std::deque.
//
//   ListValue l;  l.PushBack("a");  l.PushFront("b");   // b a
#include <catch2/catch.hpp>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "engine/collection.h"
#include "engine/collections/list_value.h"

namespace kvgate::engine {
namespace {

std::vector<std::string> Elements(const ListValue& l) {
  std::vector<std::string> out;
  l.Walk(0, true, [&](std::string_view e) {
    out.emplace_back(e);
    return true;
  });
  return out;
}

std::vector<std::string> Backwards(const ListValue& l) {
  std::vector<std::string> out;
  if (l.size() == 0) return out;
  l.Walk(l.size() - 1, false, [&](std::string_view e) {
    out.emplace_back(e);
    return true;
  });
  return out;
}

TEST_CASE("a list pushes and pops at both ends, in order", "[engine][lists]") {
  ListValue l;
  CHECK(l.EncodingName() == "quicklist");
  CHECK(NewCollection(ValueType::kList)->type() == ValueType::kList);
  l.PushBack("b");
  l.PushFront("a");
  l.PushBack("c");
  CHECK(Elements(l) == std::vector<std::string>{"a", "b", "c"});
  CHECK(Backwards(l) == std::vector<std::string>{"c", "b", "a"});
  std::string x;
  REQUIRE(l.PopBack(&x));
  CHECK(x == "c");
  REQUIRE(l.PopFront(&x));
  CHECK(x == "a");
  REQUIRE(l.PopFront(&x));
  CHECK(x == "b");
  CHECK_FALSE(l.PopFront(&x));
  CHECK_FALSE(l.PopBack(&x));
  CHECK(l.size() == 0);
  CHECK(l.chunk_count() == 0);
}

TEST_CASE("many elements span chunks; indexes, walks and pops agree", "[engine][lists]") {
  ListValue l;
  const int n = 20000;
  for (int i = 0; i < n; ++i) l.PushBack("e" + std::to_string(i));
  CHECK(l.size() == static_cast<size_t>(n));
  CHECK(l.chunk_count() > 10);
  for (int i : {0, 1, 777, n / 2, n - 2, n - 1}) CHECK(l.At(i) == "e" + std::to_string(i));
  std::vector<std::string> some;
  l.Walk(n - 3, true, [&](std::string_view e) {
    some.emplace_back(e);
    return true;
  });
  CHECK(some == std::vector<std::string>{"e19997", "e19998", "e19999"});
  // Memory: a few bytes over the packed elements (2 bytes of lengths each here).
  CHECK(l.MemoryBytes() < static_cast<uint64_t>(n) * 12);
  const uint64_t full = l.MemoryBytes();
  std::string x;
  for (int i = 0; i < n / 2; ++i) REQUIRE(l.PopFront(&x));
  CHECK(x == "e" + std::to_string(n / 2 - 1));
  CHECK(l.MemoryBytes() < full / 2 + 3 * 8192);
}

TEST_CASE("elements larger than a chunk, and of every length class", "[engine][lists]") {
  ListValue l;
  const std::string big(ListValue::kChunkBytes * 3, 'x');
  const std::string mid(200, 'm');  // a two-byte length
  l.PushBack("a");
  l.PushBack(big);
  l.PushFront(mid);
  l.PushBack("");
  l.Insert(2, big);
  CHECK(l.size() == 5);
  CHECK(l.At(0) == mid);
  CHECK(l.At(1) == "a");
  CHECK(l.At(2) == big);
  CHECK(l.At(3) == big);
  CHECK(l.At(4).empty());
  l.Set(1, big);
  l.Set(2, "z");
  CHECK(Elements(l) == std::vector<std::string>{mid, big, "z", big, ""});
  CHECK(Backwards(l) == std::vector<std::string>{"", big, "z", big, mid});
}

TEST_CASE("LREM removes from the head, the tail or everywhere", "[engine][lists]") {
  auto make = [] {
    ListValue l;
    for (const char* e : {"x", "a", "x", "b", "x", "c", "x"}) l.PushBack(e);
    return l;
  };
  ListValue a = make();
  CHECK(a.Remove("x", 2) == 2);
  CHECK(Elements(a) == std::vector<std::string>{"a", "b", "x", "c", "x"});
  ListValue b = make();
  CHECK(b.Remove("x", -3) == 3);
  CHECK(Elements(b) == std::vector<std::string>{"x", "a", "b", "c"});
  ListValue c = make();
  CHECK(c.Remove("x", 0) == 4);
  CHECK(c.Remove("nope", 0) == 0);
  CHECK(Elements(c) == std::vector<std::string>{"a", "b", "c"});
  CHECK(c.Remove("a", INT64_MIN) == 1);
  CHECK(c.Remove("b", 1) == 1);
  CHECK(c.Remove("c", 1) == 1);
  CHECK(c.size() == 0);
  CHECK(c.chunk_count() == 0);
}

TEST_CASE("Trim drops from both ends; a Clone is deep", "[engine][lists]") {
  ListValue l;
  for (int i = 0; i < 10000; ++i) l.PushBack(std::to_string(i));
  std::unique_ptr<Collection> copy = l.Clone();
  l.Trim(4000, 5000);
  CHECK(l.size() == 1000);
  CHECK(l.At(0) == "4000");
  CHECK(l.At(999) == "4999");
  auto& c = static_cast<ListValue&>(*copy);
  CHECK(c.size() == 10000);
  CHECK(c.At(9999) == "9999");
  CHECK(c.MemoryBytes() <= l.MemoryBytes() * 10 + 16384);
  l.Trim(600, 400);
  CHECK(l.size() == 0);
  CHECK(l.MemoryBytes() == sizeof(ListValue));
}

TEST_CASE("ListValue matches a std::deque under random operations", "[engine][lists]") {
  std::mt19937_64 rng(12345);
  ListValue l;
  std::deque<std::string> model;
  auto value = [&] {
    const size_t len = rng() % 8 == 0 ? rng() % 300 : rng() % 6;
    return std::string(len, static_cast<char>('a' + rng() % 3));
  };
  for (int step = 0; step < 40000; ++step) {
    const uint64_t op = rng() % 10;
    std::string x;
    if (op < 3) {
      std::string v = value();
      if (rng() % 2) {
        l.PushFront(v);
        model.push_front(v);
      } else {
        l.PushBack(v);
        model.push_back(v);
      }
    } else if (op < 5 && !model.empty()) {
      if (rng() % 2) {
        REQUIRE(l.PopFront(&x));
        CHECK(x == model.front());
        model.pop_front();
      } else {
        REQUIRE(l.PopBack(&x));
        CHECK(x == model.back());
        model.pop_back();
      }
    } else if (op == 5) {
      const size_t i = rng() % (model.size() + 1);
      std::string v = value();
      l.Insert(i, v);
      model.insert(model.begin() + static_cast<std::ptrdiff_t>(i), v);
    } else if (op == 6 && !model.empty()) {
      const size_t i = rng() % model.size();
      std::string v = value();
      l.Set(i, v);
      model[i] = v;
    } else if (op == 7 && !model.empty()) {
      const size_t i = rng() % model.size();
      CHECK(l.At(i) == model[i]);
    } else if (op == 8 && rng() % 50 == 0) {
      std::string v = value();
      const auto count = static_cast<int64_t>(rng() % 5) - 2;
      size_t want = 0;
      if (count >= 0) {
        for (auto it = model.begin(); it != model.end();) {
          if (*it == v && (count == 0 || want < static_cast<size_t>(count))) {
            it = model.erase(it);
            ++want;
          } else {
            ++it;
          }
        }
      } else {
        for (size_t k = model.size(); k > 0 && want < static_cast<size_t>(-count); --k) {
          if (model[k - 1] == v) {
            model.erase(model.begin() + static_cast<std::ptrdiff_t>(k - 1));
            ++want;
          }
        }
      }
      CHECK(l.Remove(v, count) == want);
    } else if (op == 9 && rng() % 100 == 0 && !model.empty()) {
      const size_t front = rng() % (model.size() / 4 + 1);
      const size_t back = rng() % (model.size() / 4 + 1);
      l.Trim(front, back);
      for (size_t k = 0; k < front && !model.empty(); ++k) model.pop_front();
      for (size_t k = 0; k < back && !model.empty(); ++k) model.pop_back();
    }
    REQUIRE(l.size() == model.size());
  }
  CHECK(Elements(l) == std::vector<std::string>(model.begin(), model.end()));
}

}  // namespace
}  // namespace kvgate::engine

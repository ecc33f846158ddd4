// File: tests/engine/collection_codec_test.cc
// The collection codec (engine/collection_codec.h) for hashes, sets, lists and sorted sets:
// round trips that keep what commands see (order, OBJECT ENCODING labels, set widths, exact
// scores including -0.0 and infinities), empty to past the encoding thresholds; malformed
// bytes refused one by one; every truncation refused and flipped bytes never crash. Streams
// are in collection_codec_stream_test.cc.
//
//   auto back = RoundTrip(h);  CHECK(Fields(*back) == Fields(h));
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/zset_value.h"
#include "support/codec_checks.h"

namespace kvgate::engine {
namespace {

using codec_test::CheckFlips;
using codec_test::CheckTruncations;
using codec_test::Encode;
using codec_test::RoundTrip;

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<std::pair<std::string, std::string>> Fields(const HashValue& h) {
  std::vector<std::pair<std::string, std::string>> out;
  h.table().ForEach([&](std::string_view f, std::string_view v) { out.emplace_back(f, v); });
  return out;
}

std::vector<std::string> Members(const SetValue& s) {
  std::vector<std::string> out;
  s.ForEach([&](std::string_view m) { out.emplace_back(m); });
  return out;
}

std::vector<std::string> Elements(const ListValue& l) {
  std::vector<std::string> out;
  l.Walk(0, true, [&](std::string_view e) {
    out.emplace_back(e);
    return true;
  });
  return out;
}

std::vector<std::pair<std::string, uint64_t>> Scored(const ZSetValue& z) {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const ZSetValue::Node* n = z.First(); n != nullptr; n = ZSetValue::Next(n)) {
    out.emplace_back(ZSetValue::MemberOf(n), std::bit_cast<uint64_t>(ZSetValue::ScoreOf(n)));
  }
  return out;
}

void SetField(HashValue& h, std::string_view f, std::string_view v) {
  h.table().Set(f, v);
  h.NoteWrite(f, v, 128, 64);
}

void CheckHash(const HashValue& h) {
  auto back = RoundTrip(h);
  CHECK(Fields(*back) == Fields(h));
  CHECK(back->listpack() == h.listpack());
  CheckFlips(ValueType::kHash, Encode(h));
}

TEST_CASE("hashes keep their order and their encoding label", "[engine][codec]") {
  HashValue h;
  CheckHash(h);
  CheckTruncations(ValueType::kHash, Encode(h));
  SetField(h, "b", "2");
  SetField(h, "a", "");
  SetField(h, "", "empty field");
  SetField(h, std::string("bin\0ary", 7), std::string(3, '\xff'));
  REQUIRE(h.EncodingName() == "listpack");
  CheckHash(h);
  CheckTruncations(ValueType::kHash, Encode(h));

  SECTION("a long value makes a small hashtable") {
    SetField(h, "long", std::string(100, 'x'));
    REQUIRE(h.EncodingName() == "hashtable");
    CheckHash(h);
  }
  SECTION("10k fields, then deletes leave holes in the order") {
    for (int i = 0; i < 10000; ++i) SetField(h, "f" + std::to_string(i), std::to_string(i * 7));
    REQUIRE(h.EncodingName() == "hashtable");
    auto back = RoundTrip(h);
    CHECK(Fields(*back) == Fields(h));
    for (int i = 0; i < 10000; i += 3) h.table().Erase("f" + std::to_string(i));
    SetField(h, "f1", "updated in place");
    SetField(h, "f0", "back at the end");
    back = RoundTrip(h);
    CHECK(Fields(*back) == Fields(h));
    CHECK(back->table().Find("f1") == "updated in place");
    CheckTruncations(ValueType::kHash, Encode(h), 997);
  }
}

void CheckSet(const SetValue& s) {
  auto back = RoundTrip(s);
  CHECK(Members(*back) == Members(s));
  CHECK(back->intset() == s.intset());
  if (s.intset()) CHECK(back->intset_width() == s.intset_width());
  if (s.size() <= 2000) CheckFlips(ValueType::kSet, Encode(s));
}

TEST_CASE("sets keep intset widths and hashtable order", "[engine][codec]") {
  SetValue s;
  CheckSet(s);
  SECTION("intsets at each width, emptied ones keep theirs") {
    for (const char* m : {"5", "-3", "0", "32767"}) s.Add(m, 512);
    CheckSet(s);
    CHECK(s.intset_width() == 2);
    s.Add("-2147483648", 512);
    CheckSet(s);
    CHECK(s.intset_width() == 4);
    s.Add("9223372036854775807", 512);
    s.Add("-9223372036854775808", 512);
    CheckSet(s);
    CheckTruncations(ValueType::kSet, Encode(s));
    for (const std::string& m : Members(s)) s.Remove(m);
    REQUIRE(s.size() == 0);
    CHECK(s.intset_width() == 8);
    CheckSet(s);
  }
  SECTION("a hashtable keeps insertion order: the converted integers first") {
    for (int i = 0; i < 10000; ++i) s.Add(std::to_string((i * 7919) % 10007), 512);
    REQUIRE(s.EncodingName() == "hashtable");
    CheckSet(s);
    for (int i = 0; i < 10000; i += 2) s.Remove(std::to_string((i * 7919) % 10007));
    s.Add("late", 512);
    CheckSet(s);
    CheckTruncations(ValueType::kSet, Encode(s), 499);
  }
  SECTION("strings make a hashtable at once, which stays one when emptied") {
    s.Add("7", 512);
    s.Add("b", 512);
    s.Add("a", 512);
    s.Add("", 512);
    CheckSet(s);
    CheckTruncations(ValueType::kSet, Encode(s));
    CHECK(Members(s) == std::vector<std::string>{"7", "b", "a", ""});
    for (const char* m : {"7", "b", "a", ""}) s.Remove(m);
    REQUIRE(s.EncodingName() == "hashtable");
    CheckSet(s);
  }
}

TEST_CASE("lists keep their elements across many chunks", "[engine][codec]") {
  ListValue l;
  auto back = RoundTrip(l);
  CHECK(back->size() == 0);
  for (const char* e : {"a", "", "a", "c"}) l.PushBack(e);
  back = RoundTrip(l);
  CHECK(Elements(*back) == Elements(l));
  CheckTruncations(ValueType::kList, Encode(l));
  CheckFlips(ValueType::kList, Encode(l));

  for (int i = 0; i < 10000; ++i) {
    l.PushBack(std::string(static_cast<size_t>(i % 97), static_cast<char>('a' + i % 26)));
    if (i % 3 == 0) l.PushFront(std::to_string(i));
  }
  l.PushBack(std::string(20000, 'z'));  // more than a chunk on its own
  l.Insert(5000, "middle");
  l.Trim(7, 3);
  REQUIRE(l.chunk_count() > 50);
  back = RoundTrip(l);
  CHECK(Elements(*back) == Elements(l));
  CHECK(back->EncodingName() == "quicklist");
  CheckTruncations(ValueType::kList, Encode(l), 4999);
}

void CheckZSet(const ZSetValue& z) {
  auto back = RoundTrip(z);
  CHECK(Scored(*back) == Scored(z));
  CHECK(back->listpack() == z.listpack());
  if (z.size() > 0) {
    const std::string_view last = ZSetValue::MemberOf(z.Last());
    CHECK(back->Rank(last) == z.Rank(last));
    CHECK(std::bit_cast<uint64_t>(*back->Score(last)) == std::bit_cast<uint64_t>(*z.Score(last)));
  }
  if (z.size() <= 1000) CheckFlips(ValueType::kZSet, Encode(z));
}

TEST_CASE("sorted sets keep exact scores and their label", "[engine][codec]") {
  ZSetValue z;
  CheckZSet(z);
  z.Set("b", 1.5);
  z.Set("a", 1.5);  // equal scores: member order
  z.Set("neg", -0.0);
  z.Set("pos", 0.0);
  z.Set("zero", -0.0);
  z.Set("top", kInf);
  z.Set("bottom", -kInf);
  z.Set("tiny", std::numeric_limits<double>::denorm_min());
  z.Set("third", 1.0 / 3);
  REQUIRE(std::signbit(*z.Score("neg")));
  CheckZSet(z);
  CheckTruncations(ValueType::kZSet, Encode(z));
  auto back = RoundTrip(z);
  CHECK(std::signbit(*back->Score("zero")));
  CHECK_FALSE(std::signbit(*back->Score("pos")));
  CHECK(*back->Score("top") == kInf);

  SECTION("a small skiplist label stays") {
    z.set_listpack(false);
    CheckZSet(z);
  }
  SECTION("10k members past the listpack threshold") {
    for (int i = 0; i < 10000; ++i) {
      const std::string m = "m" + std::to_string(i);
      z.Set(m, (i % 100) * 0.5);
      z.NoteWrite(m, 128, 64);
    }
    REQUIRE(z.EncodingName() == "skiplist");
    CheckZSet(z);
    CheckTruncations(ValueType::kZSet, Encode(z), 1999);
  }
}

// Bytes built by hand: version 1, then the payload.
std::string Bytes(std::initializer_list<int> b) {
  std::string out;
  for (int x : b) out.push_back(static_cast<char>(x));
  return out;
}

TEST_CASE("malformed collection bytes are refused", "[engine][codec]") {
  // Valid ones first, so each refusal below differs in the one way it names.
  CHECK(DecodeCollection(ValueType::kHash, Bytes({1, 1, 1, 1, 'f', 1, 'v'})) != nullptr);
  CHECK(DecodeCollection(ValueType::kList, Bytes({1, 2, 1, 'a', 0})) != nullptr);
  CHECK(DecodeCollection(ValueType::kSet, Bytes({1, 0, 2, 2, 1, 4})) != nullptr);

  CHECK(DecodeCollection(ValueType::kString, Bytes({1, 0})) == nullptr);
  CHECK(DecodeCollection(static_cast<ValueType>(99), Bytes({1, 0})) == nullptr);
  CHECK(DecodeCollection(ValueType::kList, Bytes({})) == nullptr);
  CHECK(DecodeCollection(ValueType::kList, Bytes({2, 0})) == nullptr);                   // version
  CHECK(DecodeCollection(ValueType::kList, Bytes({1, 2, 1, 'a', 0, 0})) == nullptr);     // trailing
  CHECK(DecodeCollection(ValueType::kList, Bytes({1, 0x82, 0, 1, 'a', 0})) == nullptr);  // varint
  CHECK(DecodeCollection(ValueType::kList, Bytes({1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                  0xff, 0x01})) == nullptr);    // count
  CHECK(DecodeCollection(ValueType::kList, Bytes({1, 1, 5, 'a'})) == nullptr);  // string length
  CHECK(DecodeCollection(ValueType::kHash, Bytes({1, 2, 0})) == nullptr);       // flag bits
  CHECK(DecodeCollection(ValueType::kHash, Bytes({1, 1, 2, 1, 'f', 0, 1, 'f', 0})) == nullptr);
  CHECK(DecodeCollection(ValueType::kSet, Bytes({1, 2, 0})) == nullptr);           // encoding
  CHECK(DecodeCollection(ValueType::kSet, Bytes({1, 0, 3, 0})) == nullptr);        // width
  CHECK(DecodeCollection(ValueType::kSet, Bytes({1, 0, 2, 2, 4, 2})) == nullptr);  // descending
  CHECK(DecodeCollection(ValueType::kSet, Bytes({1, 0, 2, 2, 2, 2})) == nullptr);  // repeated
  // INT32_MIN needs width 4 (zigzag 2^32 - 1).
  CHECK(DecodeCollection(ValueType::kSet, Bytes({1, 0, 2, 1, 0xff, 0xff, 0xff, 0xff, 0x0f})) ==
        nullptr);
  CHECK(DecodeCollection(ValueType::kSet, Bytes({1, 0, 4, 1, 0xff, 0xff, 0xff, 0xff, 0x0f})) !=
        nullptr);
  CHECK(DecodeCollection(ValueType::kSet, Bytes({1, 1, 2, 1, 'a', 1, 'a'})) == nullptr);

  auto zset = [](std::initializer_list<std::pair<std::string, double>> members) {
    std::string out = Bytes({1, 0, static_cast<int>(members.size())});
    for (const auto& [m, score] : members) {
      out.push_back(static_cast<char>(m.size()));
      out += m;
      const auto bits = std::bit_cast<uint64_t>(score);
      for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
    }
    return out;
  };
  CHECK(DecodeCollection(ValueType::kZSet, zset({{"a", 1}, {"b", 1}, {"a", 2}})) == nullptr);
  CHECK(DecodeCollection(ValueType::kZSet, zset({{"b", 1}, {"a", 1}})) == nullptr);  // order
  CHECK(DecodeCollection(ValueType::kZSet, zset({{"a", 2}, {"b", 1}})) == nullptr);
  CHECK(DecodeCollection(ValueType::kZSet, zset({{"a", std::nan("")}})) == nullptr);
  CHECK(DecodeCollection(ValueType::kZSet, zset({{"b", -0.0}, {"a", 0.0}})) == nullptr);
  CHECK(DecodeCollection(ValueType::kZSet, zset({{"a", -0.0}, {"b", 0.0}})) != nullptr);
}

}  // namespace
}  // namespace kvgate::engine

// File: tests/engine/token_trie_test.cc
// Cases for engine::TokenTrie itself (its users, the watcher index and the NATS sublist, have
// their own suites): literal, '*' and '>' patterns, overlaps, visit order, removal and pruning,
// early stop, and a randomized comparison against TokenPatternMatches.
//
//   TokenTrie<Ids> t;  t.Insert("a.*").push_back(1);
//   MatchIds(t, "a.b") == std::vector<int>{1};
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/token_trie.h"

namespace kvgate::engine {
namespace {

using Ids = std::vector<int>;

template <typename Trie>
Ids MatchIds(const Trie& t, std::string_view subject) {
  Ids out;
  t.Match(subject, [&out](const Ids& ids) { out.insert(out.end(), ids.begin(), ids.end()); });
  return out;
}

template <typename Trie>
bool RemoveId(Trie& t, std::string_view pattern, int id) {
  return t.Remove(pattern, [id](Ids& ids) {
    auto it = std::find(ids.begin(), ids.end(), id);
    if (it == ids.end()) return false;
    ids.erase(it);
    return true;
  });
}

TEST_CASE("token trie: literal patterns match only their own subject", "[engine]") {
  TokenTrie<Ids> t;
  t.Insert("a.b").push_back(1);
  t.Insert("a").push_back(2);
  t.Insert("").push_back(3);  // the empty subject is one empty token
  CHECK(MatchIds(t, "a.b") == Ids{1});
  CHECK(MatchIds(t, "a") == Ids{2});
  CHECK(MatchIds(t, "") == Ids{3});
  CHECK(MatchIds(t, "a.b.c").empty());
  CHECK(MatchIds(t, "b").empty());
  CHECK(MatchIds(t, "a.").empty());
}

TEST_CASE("token trie: '*' is exactly one token, '>' one or more", "[engine]") {
  TokenTrie<Ids> t;
  t.Insert("a.*").push_back(1);
  t.Insert("a.>").push_back(2);
  t.Insert("*.*.c").push_back(3);
  t.Insert(">").push_back(4);
  CHECK(MatchIds(t, "a") == Ids{4});
  CHECK(MatchIds(t, "a.b") == (Ids{4, 2, 1}));
  CHECK(MatchIds(t, "a.b.c") == (Ids{4, 2, 3}));
  CHECK(MatchIds(t, "x.y.c") == (Ids{4, 3}));
  CHECK(MatchIds(t, "a.") == (Ids{4, 2, 1}));  // an empty token is a token
  // Tokens after '>' are ignored, as TokenPatternMatches does.
  t.Insert("q.>.z").push_back(5);
  CHECK(MatchIds(t, "q.r") == (Ids{4, 5}));
}

TEST_CASE("token trie: overlapping patterns each visit once, in the chosen order", "[engine]") {
  TokenTrie<Ids, TokenOrder::kLiteralFirst> lit;
  TokenTrie<Ids, TokenOrder::kStarFirst> star;
  const std::vector<std::pair<const char*, int>> pats = {{"a.b.c", 1}, {"a.*.c", 2}, {"a.b.*", 3},
                                                         {"*.b.c", 4}, {"a.>", 5},   {"a.b.>", 6}};
  for (const auto& [p, id] : pats) {
    lit.Insert(p).push_back(id);
    star.Insert(p).push_back(id);
  }
  // '>' at a node first, then the literal child and '*' in the trie's order.
  CHECK(MatchIds(lit, "a.b.c") == (Ids{5, 6, 1, 3, 2, 4}));
  CHECK(MatchIds(star, "a.b.c") == (Ids{4, 5, 2, 6, 3, 1}));
  // Several ids on one pattern visit in insertion order.
  lit.Insert("a.b.c").push_back(7);
  CHECK(MatchIds(lit, "a.b.c") == (Ids{5, 6, 1, 7, 3, 2, 4}));
}

TEST_CASE("token trie: removal edits the payload and prunes empty nodes", "[engine]") {
  TokenTrie<Ids> t;
  CHECK(t.empty());
  t.Insert("a.b.c").push_back(1);
  t.Insert("a.*").push_back(2);
  t.Insert("a.>").push_back(3);
  t.Insert("a.b.c").push_back(4);
  CHECK_FALSE(t.empty());

  CHECK_FALSE(RemoveId(t, "a.b.c", 9));  // not registered there
  CHECK_FALSE(RemoveId(t, "x.y", 1));    // path does not exist
  CHECK_FALSE(RemoveId(t, "a.b.c.d", 1));
  CHECK(MatchIds(t, "a.b.c") == (Ids{3, 1, 4}));

  CHECK(RemoveId(t, "a.b.c", 1));
  CHECK(MatchIds(t, "a.b.c") == (Ids{3, 4}));
  CHECK(RemoveId(t, "a.b.c", 4));
  CHECK(MatchIds(t, "a.b.c") == Ids{3});
  CHECK(RemoveId(t, "a.>", 3));
  CHECK(MatchIds(t, "a.b.c").empty());
  CHECK(MatchIds(t, "a.b") == Ids{2});
  CHECK_FALSE(t.empty());
  CHECK(RemoveId(t, "a.*", 2));
  CHECK(t.empty());  // every node pruned back to the root

  // A pruned path can be inserted again.
  t.Insert("a.b.c").push_back(5);
  CHECK(MatchIds(t, "a.b.c") == Ids{5});
}

TEST_CASE("token trie: a visitor returning false stops the walk", "[engine]") {
  TokenTrie<Ids> t;
  t.Insert(">").push_back(1);
  t.Insert("a.*").push_back(2);
  t.Insert("a.b").push_back(3);
  int visits = 0;
  CHECK_FALSE(t.Match("a.b", [&visits](const Ids&) { return ++visits < 2; }));
  CHECK(visits == 2);
  visits = 0;
  CHECK(t.Match("a.b", [&visits](const Ids&) { return ++visits < 10; }));
  CHECK(visits == 3);
  // Empty payloads (intermediate nodes) are never visited.
  visits = 0;
  TokenTrie<Ids> deep;
  deep.Insert("a.b.c").push_back(1);
  CHECK(deep.Match("a.b", [&visits](const Ids&) {
    ++visits;
    return true;
  }));
  CHECK(visits == 0);
}

TEST_CASE("token trie: randomized agreement with TokenPatternMatches", "[engine]") {
  std::mt19937 rng(20240607);
  const std::vector<std::string> words = {"a", "b", "c", "", "ab"};
  auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  auto subject = [&] {
    std::string s;
    size_t n = 1 + pick(4);
    for (size_t i = 0; i < n; ++i) s += (i ? "." : "") + words[pick(words.size())];
    return s;
  };
  auto pattern = [&] {
    std::string s;
    size_t n = 1 + pick(4);
    for (size_t i = 0; i < n; ++i) {
      size_t r = pick(10);
      std::string tok = r < 2 ? "*" : (r == 2 && i + 1 == n) ? ">" : words[pick(words.size())];
      s += (i ? "." : "") + tok;
    }
    return s;
  };
  for (int round = 0; round < 20; ++round) {
    TokenTrie<Ids> t;
    std::vector<std::string> pats;
    std::vector<bool> live;
    for (int i = 0; i < 60; ++i) {
      pats.push_back(pattern());
      live.push_back(true);
      t.Insert(pats.back()).push_back(i);
    }
    for (size_t i = 0; i < pats.size(); i += 1 + pick(3)) {  // drop some again
      REQUIRE(RemoveId(t, pats[i], static_cast<int>(i)));
      live[i] = false;
    }
    for (int q = 0; q < 200; ++q) {
      std::string s = subject();
      Ids want;
      for (size_t i = 0; i < pats.size(); ++i) {
        if (live[i] && TokenPatternMatches(pats[i], s)) want.push_back(static_cast<int>(i));
      }
      Ids got = MatchIds(t, s);
      std::sort(got.begin(), got.end());
      INFO("subject '" << s << "'");
      CHECK(got == want);
    }
    for (size_t i = 0; i < pats.size(); ++i) {
      if (live[i]) REQUIRE(RemoveId(t, pats[i], static_cast<int>(i)));
    }
    CHECK(t.empty());
  }
}

}  // namespace
}  // namespace kvgate::engine

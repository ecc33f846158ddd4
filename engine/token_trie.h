// File: engine/token_trie.h
// The one trie of NATS token patterns ('.'-separated; '*' matches one token, '>' the rest),
// shared by the engine's watcher index (engine/detail/watch_index.h) and translate/nats's
// subscription list (translate/nats/sublist.h). Every pattern owns a Payload at its end; Match
// visits the payload of each pattern matching a literal subject in O(tokens x wildcard
// branches), without allocating. It lives in engine/ (not engine/detail/) so translate/ can use
// it; like engine/tokens.h it includes nothing of the engine's internals.
//
//   TokenTrie<std::vector<int>> t;
//   t.Insert("orders.*").push_back(1);
//   t.Insert("orders.>").push_back(2);
//   t.Match("orders.42", [](const std::vector<int>& ids) { ...; return true; });  // false stops
//   t.Remove("orders.*", [](std::vector<int>& ids) { ids.clear(); return true; });
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "engine/tokens.h"

namespace kvgate::engine {

// Transparent hash: children are found by string_view, without building a std::string.
struct TokenHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};

// Order of Match's visits at a node while the subject has tokens left: patterns ending in '>'
// here first, then the literal child before the '*' child (kLiteralFirst) or after it
// (kStarFirst). Callers can observe the order (watch readiness, message delivery), so each user
// keeps the one it always had.
enum class TokenOrder { kLiteralFirst, kStarFirst };

// Payload: default-constructible, with `bool empty() const`; Match skips empty payloads and
// Remove prunes nodes left with an empty payload and no children. Tokens after a '>' are
// ignored ("a.>.b" is "a.>"), as in TokenPatternMatches.
template <typename Payload, TokenOrder kOrder = TokenOrder::kLiteralFirst>
class TokenTrie {
 public:
  TokenTrie() = default;
  TokenTrie(const TokenTrie&) = delete;
  TokenTrie& operator=(const TokenTrie&) = delete;

  // The payload at the pattern's end, creating the path as needed.
  Payload& Insert(std::string_view pattern) {
    Node* n = &root_;
    TokenIter it(pattern);
    std::string_view tok;
    while (it.Next(&tok)) {
      if (tok == ">") return n->rest;
      std::unique_ptr<Node>* next;
      if (tok == "*") {
        next = &n->star;
      } else {
        auto child = n->children.find(tok);
        if (child == n->children.end()) {
          child = n->children.emplace(std::string(tok), nullptr).first;
        }
        next = &child->second;
      }
      if (!*next) *next = std::make_unique<Node>();
      n = next->get();
    }
    return n->here;
  }

  // Calls `edit(Payload&) -> bool` on the pattern's payload if the pattern's path exists, then
  // prunes the nodes left empty. Returns edit's answer (false if the path does not exist).
  template <typename Edit>
  bool Remove(std::string_view pattern, Edit&& edit) {
    bool edited = false;
    RemoveAt(&root_, TokenIter(pattern), edit, &edited);
    return edited;
  }

  // Calls `visit(const Payload&)` for the non-empty payload of every pattern matching the
  // literal subject. visit may return bool (false stops the walk) or void. Returns false if
  // stopped.
  template <typename Visit>
  bool Match(std::string_view subject, Visit&& visit) const {
    return MatchAt(&root_, TokenIter(subject), visit);
  }

  bool empty() const {
    return root_.Empty();
  }

 private:
  struct Node {
    std::unordered_map<std::string, std::unique_ptr<Node>, TokenHash, std::equal_to<>> children;
    std::unique_ptr<Node> star;
    Payload here;  // patterns ending at this node
    Payload rest;  // patterns whose '>' follows this node (inline: no pointer chase to match)
    bool Empty() const {
      return children.empty() && !star && here.empty() && rest.empty();
    }
  };

  template <typename Visit>
  static bool Call(Visit& visit, const Payload& p) {
    if (p.empty()) return true;
    if constexpr (std::is_void_v<std::invoke_result_t<Visit&, const Payload&>>) {
      visit(p);
      return true;
    } else {
      return visit(p);
    }
  }

  // `tokens`: the subject's tokens not yet matched (the iterator is copied per branch).
  template <typename Visit>
  static bool MatchAt(const Node* n, TokenIter tokens, Visit& visit) {
    std::string_view tok;
    if (!tokens.Next(&tok)) return Call(visit, n->here);
    if (!Call(visit, n->rest)) return false;
    if constexpr (kOrder == TokenOrder::kStarFirst) {
      if (n->star && !MatchAt(n->star.get(), tokens, visit)) return false;
    }
    if (!n->children.empty()) {
      auto it = n->children.find(tok);
      if (it != n->children.end() && !MatchAt(it->second.get(), tokens, visit)) return false;
    }
    if constexpr (kOrder == TokenOrder::kLiteralFirst) {
      if (n->star && !MatchAt(n->star.get(), tokens, visit)) return false;
    }
    return true;
  }

  // Returns true if `n` is left empty (its parent prunes it).
  template <typename Edit>
  static bool RemoveAt(Node* n, TokenIter pattern, Edit& edit, bool* edited) {
    std::string_view tok;
    if (!pattern.Next(&tok)) {
      *edited = edit(n->here);
      return n->Empty();
    }
    if (tok == ">") {
      *edited = edit(n->rest);
      return n->Empty();
    }
    if (tok == "*") {
      if (n->star && RemoveAt(n->star.get(), pattern, edit, edited)) n->star.reset();
    } else {
      auto it = n->children.find(tok);
      if (it != n->children.end() && RemoveAt(it->second.get(), pattern, edit, edited)) {
        n->children.erase(it);
      }
    }
    return n->Empty();
  }

  Node root_;
};

}  // namespace kvgate::engine

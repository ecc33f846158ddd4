// File: engine/tokens.h
// NATS subject tokens: '.'-separated, '*' matches one token and '>' the rest (one or more).
// The single tokenizer and matcher of the tree: the engine's key filters and watcher index
// split keys with it, and translate/nats uses it for subjects and its sublist. It lives in
// engine/ because engine/ may include nothing of ours while translate/ may include engine/;
// protocols/ (which cannot include engine/) does not tokenize subjects.
//
//   TokenIter it("orders.*.status");
//   std::string_view tok;
//   while (it.Next(&tok)) { ... }                      // "orders", "*", "status"
//   TokenPatternMatches("orders.>", "orders.42.status") == true;
#pragma once

#include <string_view>

namespace kvgate::engine {

// Iterates the tokens of a subject; "a." yields "a" then "" (empty tokens are tokens).
class TokenIter {
 public:
  explicit TokenIter(std::string_view s) : rest_(s) {
  }
  // Next token; false when exhausted.
  bool Next(std::string_view* token) {
    if (done_) return false;
    size_t dot = rest_.find('.');
    if (dot == std::string_view::npos) {
      *token = rest_;
      rest_ = {};
      done_ = true;
    } else {
      *token = rest_.substr(0, dot);
      rest_.remove_prefix(dot + 1);
    }
    return true;
  }
  // True once the last token was returned.
  bool AtEnd() const {
    return done_;
  }

 private:
  std::string_view rest_;
  bool done_ = false;
};

inline bool IsWildcardToken(std::string_view token) {
  return token == "*" || token == ">";
}

// Token-wise match of a pattern (may hold wildcards) against a literal subject.
inline bool TokenPatternMatches(std::string_view pattern, std::string_view subject) {
  TokenIter p(pattern), s(subject);
  std::string_view pt, st;
  while (p.Next(&pt)) {
    if (pt == ">") return s.Next(&st);  // '>' needs at least one more token
    if (!s.Next(&st)) return false;
    if (pt != "*" && pt != st) return false;
  }
  return !s.Next(&st);
}

}  // namespace kvgate::engine

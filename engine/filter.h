// File: engine/filter.h
// Key filters for watches, listings and purges: an exact key, NATS-style token wildcards
// (`*` one token, `>` the rest; tokens split on '.'), or a literal byte prefix (the Redis side
// turns a glob's literal head into a prefix filter and checks the rest of the glob itself).
//
//   KeyFilter f = KeyFilter::Tokens("orders.*.status");
//   f.Matches("orders.42.status") == true;
//   KeyFilter all = KeyFilter::All();   // same as Tokens(">")
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/tokens.h"  // TokenPatternMatches, for KeyFilter users

namespace kvgate::engine {

class KeyFilter {
 public:
  enum class Kind : uint8_t { kAll, kExact, kTokens, kPrefix };

  static KeyFilter All();
  static KeyFilter Exact(std::string_view key);
  // ">" becomes All(); a pattern without '*' or '>' tokens becomes Exact().
  static KeyFilter Tokens(std::string_view pattern);
  static KeyFilter Prefix(std::string_view prefix);  // "" becomes All()

  // True for patterns a NATS client may send: non-empty tokens, '>' only last.
  static bool IsValidTokenPattern(std::string_view pattern);

  Kind kind() const {
    return kind_;
  }
  // The exact key, token pattern or prefix.
  const std::string& text() const {
    return text_;
  }
  bool Matches(std::string_view key) const;
  // The literal bytes every matching key starts with (used to index watchers).
  std::string_view LiteralPrefix() const;

 private:
  KeyFilter(Kind kind, std::string text);
  Kind kind_;
  std::string text_;
};

}  // namespace kvgate::engine

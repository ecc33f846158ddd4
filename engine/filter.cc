// File: engine/filter.cc
// KeyFilter construction and matching. Tokens are split by engine/tokens.h, as in the watcher
// index (detail/watch_index.h), so a filter and the index never disagree about a key.
//
//   KeyFilter f = KeyFilter::Tokens("a.*.c");
//   f.kind() == KeyFilter::Kind::kTokens;  f.Matches("a.b.c");  f.LiteralPrefix() == "a.";
#include "engine/filter.h"

#include <utility>

namespace kvgate::engine {
namespace {

bool HasWildcardToken(std::string_view pattern) {
  TokenIter it(pattern);
  std::string_view tok;
  while (it.Next(&tok)) {
    if (IsWildcardToken(tok)) return true;
  }
  return false;
}

}  // namespace

KeyFilter::KeyFilter(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {
}

KeyFilter KeyFilter::All() {
  return KeyFilter(Kind::kAll, ">");
}

KeyFilter KeyFilter::Exact(std::string_view key) {
  return KeyFilter(Kind::kExact, std::string(key));
}

KeyFilter KeyFilter::Tokens(std::string_view pattern) {
  if (pattern == ">") return All();
  if (!HasWildcardToken(pattern)) return Exact(pattern);
  return KeyFilter(Kind::kTokens, std::string(pattern));
}

KeyFilter KeyFilter::Prefix(std::string_view prefix) {
  if (prefix.empty()) return All();
  return KeyFilter(Kind::kPrefix, std::string(prefix));
}

bool KeyFilter::IsValidTokenPattern(std::string_view pattern) {
  if (pattern.empty()) return false;
  for (char c : pattern) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0') return false;
  }
  TokenIter it(pattern);
  std::string_view tok;
  while (it.Next(&tok)) {
    if (tok.empty()) return false;
    if (tok == ">" && !it.AtEnd()) return false;
  }
  return true;
}

bool KeyFilter::Matches(std::string_view key) const {
  switch (kind_) {
    case Kind::kAll:
      return true;
    case Kind::kExact:
      return key == text_;
    case Kind::kTokens:
      return TokenPatternMatches(text_, key);
    case Kind::kPrefix:
      return key.substr(0, text_.size()) == text_;
  }
  return false;
}

std::string_view KeyFilter::LiteralPrefix() const {
  switch (kind_) {
    case Kind::kAll:
      return {};
    case Kind::kExact:
    case Kind::kPrefix:
      return text_;
    case Kind::kTokens: {
      // Literal tokens before the first wildcard, with their trailing dot.
      TokenIter it(text_);
      std::string_view tok;
      size_t len = 0;
      while (it.Next(&tok) && !IsWildcardToken(tok)) len += tok.size() + 1;
      return std::string_view(text_).substr(0, len);
    }
  }
  return {};
}

}  // namespace kvgate::engine

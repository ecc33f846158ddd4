// File: engine/filter.cc
// KeyFilter construction and matching. Token matching splits on '.' exactly like the watcher
// index (detail/watch_index.cc) so a filter and the index never disagree about a key.
//
//   KeyFilter f = KeyFilter::Tokens("a.*.c");
//   f.kind() == KeyFilter::Kind::kTokens;  f.Matches("a.b.c");  f.LiteralPrefix() == "a.";
#include "engine/filter.h"

#include <utility>

namespace kvgate::engine {
namespace {

// Splits off the first '.'-separated token of `s`; `rest` is what follows the dot, and
// `has_rest` tells an empty remainder ("a.") from no remainder ("a").
std::string_view NextToken(std::string_view& s, bool& has_rest) {
  size_t dot = s.find('.');
  std::string_view tok = s.substr(0, dot);
  if (dot == std::string_view::npos) {
    s = {};
    has_rest = false;
  } else {
    s.remove_prefix(dot + 1);
    has_rest = true;
  }
  return tok;
}

bool HasWildcardToken(std::string_view pattern) {
  bool more = true;
  while (more) {
    std::string_view tok = NextToken(pattern, more);
    if (tok == "*" || tok == ">") return true;
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
  bool more = true;
  while (more) {
    std::string_view tok = NextToken(pattern, more);
    if (tok.empty()) return false;
    if (tok == ">" && more) return false;
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
      std::string_view rest = text_;
      size_t len = 0;
      bool more = true;
      while (more) {
        std::string_view tok = NextToken(rest, more);
        if (tok == "*" || tok == ">") break;
        len += tok.size() + 1;
      }
      return std::string_view(text_).substr(0, len);
    }
  }
  return {};
}

bool TokenPatternMatches(std::string_view pattern, std::string_view subject) {
  bool p_more = true;
  bool s_more = true;
  while (p_more) {
    std::string_view ptok = NextToken(pattern, p_more);
    if (!s_more) return false;     // pattern has tokens left, subject has none
    if (ptok == ">") return true;  // '>' needs at least one token, which we have
    std::string_view stok = NextToken(subject, s_more);
    if (ptok != "*" && ptok != stok) return false;
  }
  return !s_more;
}

}  // namespace kvgate::engine

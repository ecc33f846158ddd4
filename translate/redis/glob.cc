#include "translate/redis/glob.h"

namespace kvgate::redis {
namespace {

int ToLower(int c) {
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

// Follows Redis's stringmatchlen_impl step by step. `p`/`s` index the pattern and the string;
// reads past the pattern's end see '\0', as the C code sees the sds terminator.
bool Match(std::string_view pat, size_t p, std::string_view str, size_t s, bool nocase,
           bool* skip_longer) {
  auto P = [&](size_t i) -> int { return i < pat.size() ? static_cast<signed char>(pat[i]) : 0; };
  auto S = [&](size_t i) -> int { return i < str.size() ? static_cast<signed char>(str[i]) : 0; };
  while (p < pat.size() && s < str.size()) {
    switch (P(p)) {
      case '*': {
        while (p + 1 < pat.size() && P(p + 1) == '*') ++p;
        if (p + 1 == pat.size()) return true;
        while (s < str.size()) {
          if (Match(pat, p + 1, str, s, nocase, skip_longer)) return true;
          if (*skip_longer) return false;
          ++s;
        }
        // No match for the rest of the pattern anywhere in the rest of the string: earlier
        // stars cannot do better by matching longer runs.
        *skip_longer = true;
        return false;
      }
      case '?':
        ++s;
        break;
      case '[': {
        ++p;
        bool negate = P(p) == '^';
        if (negate) ++p;
        bool match = false;
        for (;;) {
          if (P(p) == '\\' && pat.size() - p >= 2) {
            ++p;
            if (P(p) == S(s)) match = true;
          } else if (P(p) == ']') {
            break;
          } else if (p >= pat.size()) {
            --p;  // unterminated class: the C code steps back onto the last byte
            break;
          } else if (pat.size() - p >= 3 && P(p + 1) == '-') {
            int start = P(p);
            int end = P(p + 2);
            int c = S(s);
            if (start > end) {
              int t = start;
              start = end;
              end = t;
            }
            if (nocase) {
              start = ToLower(start);
              end = ToLower(end);
              c = ToLower(c);
            }
            p += 2;
            if (c >= start && c <= end) match = true;
          } else if (!nocase) {
            if (P(p) == S(s)) match = true;
          } else if (ToLower(P(p)) == ToLower(S(s))) {
            match = true;
          }
          ++p;
        }
        if (negate) match = !match;
        if (!match) return false;
        ++s;
        break;
      }
      case '\\':
        if (pat.size() - p >= 2) ++p;
        [[fallthrough]];
      default:
        if (!nocase) {
          if (P(p) != S(s)) return false;
        } else if (ToLower(P(p)) != ToLower(S(s))) {
          return false;
        }
        ++s;
        break;
    }
    ++p;
    if (s == str.size()) {
      while (p < pat.size() && P(p) == '*') ++p;
      break;
    }
  }
  return p >= pat.size() && s == str.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view str, bool nocase) {
  bool skip_longer = false;
  return Match(pattern, 0, str, 0, nocase, &skip_longer);
}

std::string_view GlobLiteralPrefix(std::string_view pattern) {
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (c == '*' || c == '?' || c == '[' || c == '\\') break;
    ++i;
  }
  return pattern.substr(0, i);
}

}  // namespace kvgate::redis

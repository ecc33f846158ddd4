#include "translate/nats/subject.h"

#include <algorithm>
#include <vector>

namespace kvgate::nats {
namespace {

bool HasBadByte(std::string_view token) {
  for (char c : token) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

bool Validate(std::string_view subject, bool allow_wildcards) {
  if (subject.empty()) return false;
  engine::TokenIter it(subject);
  std::string_view token;
  bool after_fwc = false;
  while (it.Next(&token)) {
    if (token.empty() || after_fwc || HasBadByte(token)) return false;
    if (engine::IsWildcardToken(token)) {
      if (!allow_wildcards) return false;
      if (token == ">") after_fwc = true;
    }
  }
  return true;
}

// Splits into tokens (subjects are short; a small vector is fine on these cold paths).
std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  engine::TokenIter it(s);
  std::string_view t;
  while (it.Next(&t)) out.push_back(t);
  return out;
}

}  // namespace

bool IsValidSubject(std::string_view subject) {
  return Validate(subject, true);
}

bool IsValidLiteralSubject(std::string_view subject) {
  return Validate(subject, false);
}

bool SubjectsCollide(std::string_view a, std::string_view b) {
  std::vector<std::string_view> ta = Tokens(a), tb = Tokens(b);
  size_t n = std::min(ta.size(), tb.size());
  for (size_t i = 0; i < n; ++i) {
    if (ta[i] == ">" || tb[i] == ">") return true;
    if (ta[i] == "*" || tb[i] == "*") continue;
    if (ta[i] != tb[i]) return false;
  }
  // Without a '>' in the common part, only subjects with the same token count can meet.
  return ta.size() == tb.size();
}

bool SubjectIsSubsetOf(std::string_view sub, std::string_view super) {
  std::vector<std::string_view> ts = Tokens(sub), tp = Tokens(super);
  for (size_t i = 0; i < tp.size(); ++i) {
    if (tp[i] == ">") return i < ts.size();  // super's '>' covers any >=1 remaining tokens
    if (i >= ts.size()) return false;
    if (ts[i] == ">") return false;  // sub has unbounded tails super cannot cover here
    if (tp[i] == "*") continue;
    if (ts[i] == "*" || ts[i] != tp[i]) return false;
  }
  return ts.size() == tp.size();
}

}  // namespace kvgate::nats

// File: translate/nats/subject.h
// NATS subject rules: validity of subscription and publish subjects, token-wise matching and
// the subject relations JetStream needs (collision for STREAM.NAMES filters, subset for consumer
// filters).
//
//   IsValidSubject("foo.*.bar")       == true;   IsValidLiteralSubject("foo.*") == false;
//   SubjectsCollide("$KV.b.>", "$KV.*.k") == true;
//   SubjectIsSubsetOf("$KV.b.k", "$KV.b.>") == true;
#pragma once

#include <string_view>

namespace kvgate::nats {

// Non-empty tokens separated by '.', no whitespace; '>' only as the last token. '*' and '>'
// are wildcards only as whole tokens (as in nats-server, "foo*" is a literal token).
bool IsValidSubject(std::string_view subject);
// A valid subject without wildcard tokens (publish subjects, reply subjects).
bool IsValidLiteralSubject(std::string_view subject);
// Pattern (may hold wildcards) against a literal subject.
bool SubjectMatches(std::string_view pattern, std::string_view subject);
// True if some literal subject matches both patterns.
bool SubjectsCollide(std::string_view a, std::string_view b);
// True if every subject matching `sub` also matches `super`.
bool SubjectIsSubsetOf(std::string_view sub, std::string_view super);
// True if `subject` starts with `prefix` (plain byte prefix).
inline bool HasPrefix(std::string_view subject, std::string_view prefix) {
  return subject.substr(0, prefix.size()) == prefix;
}

// Iterates the '.'-separated tokens of a subject.
class TokenIter {
 public:
  explicit TokenIter(std::string_view s) : rest_(s), done_(false) {
  }
  // Next token; false when exhausted.
  bool Next(std::string_view* token) {
    if (done_) return false;
    size_t dot = rest_.find('.');
    if (dot == std::string_view::npos) {
      *token = rest_;
      done_ = true;
    } else {
      *token = rest_.substr(0, dot);
      rest_.remove_prefix(dot + 1);
    }
    return true;
  }

 private:
  std::string_view rest_;
  bool done_;
};

}  // namespace kvgate::nats

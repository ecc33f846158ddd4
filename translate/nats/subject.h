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

#include "engine/tokens.h"

namespace kvgate::nats {

// Non-empty tokens separated by '.', no whitespace; '>' only as the last token. '*' and '>'
// are wildcards only as whole tokens (as in nats-server, "foo*" is a literal token).
bool IsValidSubject(std::string_view subject);
// A valid subject without wildcard tokens (publish subjects, reply subjects).
bool IsValidLiteralSubject(std::string_view subject);
// Pattern (may hold wildcards) against a literal subject: the engine's token matcher, so a
// subscription and a KV key filter never disagree about a subject.
inline bool SubjectMatches(std::string_view pattern, std::string_view subject) {
  return engine::TokenPatternMatches(pattern, subject);
}
// True if some literal subject matches both patterns.
bool SubjectsCollide(std::string_view a, std::string_view b);
// True if every subject matching `sub` also matches `super`.
bool SubjectIsSubsetOf(std::string_view sub, std::string_view super);
// True if `subject` starts with `prefix` (plain byte prefix).
inline bool HasPrefix(std::string_view subject, std::string_view prefix) {
  return subject.substr(0, prefix.size()) == prefix;
}

}  // namespace kvgate::nats

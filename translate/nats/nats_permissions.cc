#include "translate/nats/nats_permissions.h"

#include <cstdio>

#include "translate/nats/subject.h"

namespace kvgate::nats {
namespace {

struct Entry {
  std::string_view subject;
  std::string_view queue;  // empty: a plain entry
};

Entry Split(std::string_view entry) {
  size_t space = entry.find(' ');
  if (space == std::string_view::npos) return {entry, {}};
  return {entry.substr(0, space), entry.substr(space + 1)};
}

bool HasWildcard(std::string_view subject) {
  engine::TokenIter it(subject);
  std::string_view token;
  while (it.Next(&token)) {
    if (engine::IsWildcardToken(token)) return true;
  }
  return false;
}

// Matches of `subject` in a list, as nats-server's sublist Match splits them: plain entries
// (psubs) and queue entries (qsubs); `queue_ok` tells whether a matching queue entry names
// `queue` (literally or by a wildcard queue name).
struct ListMatch {
  bool plain = false;
  bool queued = false;
  bool queue_ok = false;
};

ListMatch MatchList(const std::vector<std::string>& list, std::string_view subject,
                    std::string_view queue) {
  ListMatch m;
  for (const std::string& raw : list) {
    Entry e = Split(raw);
    if (!SubjectMatches(e.subject, subject)) continue;
    if (e.queue.empty()) {
      m.plain = true;
      continue;
    }
    m.queued = true;
    if (queue == e.queue || (HasWildcard(e.queue) && SubjectIsSubsetOf(queue, e.queue))) {
      m.queue_ok = true;
    }
  }
  return m;
}

}  // namespace

bool PublishAllowed(const NatsPermissions& perms, std::string_view subject) {
  if (!perms.publish) return true;
  const SubjectPermission& p = *perms.publish;
  if (p.allow) {
    bool allowed = false;
    for (const std::string& pattern : *p.allow) {
      if (SubjectMatches(pattern, subject)) {
        allowed = true;
        break;
      }
    }
    if (!allowed) return false;
  }
  for (const std::string& pattern : p.deny) {
    if (SubjectMatches(pattern, subject)) return false;
  }
  return true;
}

bool SubscribeAllowed(const NatsPermissions& perms, std::string_view subject,
                      std::string_view queue) {
  if (!perms.subscribe) return true;
  const SubjectPermission& p = *perms.subscribe;
  bool allowed = true;
  if (p.allow) {
    ListMatch m = MatchList(*p.allow, subject, queue);
    allowed = m.plain;
    if (!queue.empty() && m.queued) allowed = m.queue_ok;
  }
  if (allowed && !p.deny.empty()) {
    ListMatch m = MatchList(p.deny, subject, queue);
    allowed = !m.plain;
    if (!queue.empty() && m.queued) allowed = !m.queue_ok;
  }
  return allowed;
}

bool NeedsDeliveryFilter(const NatsPermissions& perms, std::string_view subject) {
  if (!perms.subscribe || perms.subscribe->deny.empty() || !HasWildcard(subject)) return false;
  for (const std::string& deny : perms.subscribe->deny) {
    if (SubjectIsSubsetOf(deny, subject)) return true;
  }
  return false;
}

bool DeliveryDenied(const NatsPermissions& perms, std::string_view subject) {
  if (!perms.subscribe) return false;
  for (const std::string& deny : perms.subscribe->deny) {
    // Queue-qualified entries never match a message subject (they hold a space).
    if (SubjectMatches(deny, subject)) return true;
  }
  return false;
}

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string PublishViolationText(std::string_view subject) {
  return "Permissions Violation for Publish to " + GoQuote(subject);
}

std::string SubscribeViolationText(std::string_view subject, std::string_view queue) {
  std::string text = "Permissions Violation for Subscription to " + GoQuote(subject);
  if (!queue.empty()) text += " using queue " + GoQuote(queue);
  return text;
}

}  // namespace kvgate::nats

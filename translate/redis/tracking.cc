#include "translate/redis/tracking.h"

#include <algorithm>

#include "translate/redis/command.h"
#include "translate/redis/front.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

constexpr std::string_view kInvalidateChannel = "__redis__:invalidate";

// Redis stringCheckPrefix: two prefixes overlap when one starts with the other.
bool Overlap(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  return a.substr(0, n) == b.substr(0, n);
}

}  // namespace

std::string Tracking::CheckPrefixes(const RedisSession& s,
                                    std::span<const std::string_view> prefixes) const {
  for (size_t i = 0; i < prefixes.size(); ++i) {
    for (const std::string& existing : s.tracking().prefixes) {
      if (Overlap(existing, prefixes[i])) {
        return "ERR Prefix '" + std::string(prefixes[i]) + "' overlaps with an existing prefix '" +
               existing + "'. Prefixes for a single client must not overlap.";
      }
    }
    for (size_t j = i + 1; j < prefixes.size(); ++j) {
      if (Overlap(prefixes[i], prefixes[j])) {
        return "ERR Prefix '" + std::string(prefixes[i]) +
               "' overlaps with another provided prefix '" + std::string(prefixes[j]) +
               "'. Prefixes for a single client must not overlap.";
      }
    }
  }
  return "";
}

void Tracking::Enable(RedisSession& s, uint64_t redirect, uint32_t options,
                      std::span<const std::string_view> prefixes) {
  TrackingState& t = s.tracking();
  if (!t.on) ++clients_;
  t.on = true;
  t.broken_redirect = false;
  t.redirect = redirect;
  t.options = options & (kTrackBcast | kTrackOptIn | kTrackOptOut | kTrackNoLoop);
  if (options & kTrackBcast) {
    auto add = [&](std::string_view p) {
      Prefix& prefix = prefixes_[std::string(p)];
      if (prefix.clients.insert(s.id()).second) t.prefixes.emplace(p);
    };
    if (prefixes.empty()) add("");
    for (std::string_view p : prefixes) add(p);
  }
}

void Tracking::Disable(RedisSession& s) {
  TrackingState& t = s.tracking();
  for (const std::string& p : t.prefixes) {
    auto it = prefixes_.find(p);
    if (it == prefixes_.end()) continue;
    it->second.clients.erase(s.id());
    if (it->second.clients.empty()) prefixes_.erase(it);
  }
  t.prefixes.clear();
  if (t.on) --clients_;
  t = TrackingState{};
}

void Tracking::RememberKeys(RedisSession& s, const CommandSpec& spec,
                            std::span<const std::string_view> args) {
  const TrackingState& t = s.tracking();
  const bool optin = (t.options & kTrackOptIn) != 0;
  const bool optout = (t.options & kTrackOptOut) != 0;
  if ((optin && !t.caching) || (optout && t.caching)) return;
  if (spec.first_key <= 0 || spec.key_step <= 0 || (spec.flags & kPubSub)) return;
  const int argc = static_cast<int>(args.size());
  const int last = spec.last_key < 0 ? argc + spec.last_key : spec.last_key;
  for (int i = spec.first_key; i <= last && i < argc; i += spec.key_step) {
    std::string_view key = args[static_cast<size_t>(i)];
    auto it = keys_.find(key);
    if (it == keys_.end()) it = keys_.emplace(std::string(key), std::vector<uint64_t>{}).first;
    std::vector<uint64_t>& ids = it->second;
    if (std::find(ids.begin(), ids.end(), s.id()) == ids.end()) {
      ids.push_back(s.id());
      ++items_;
    }
  }
}

void Tracking::KeyChanged(std::string_view key, RedisSession* current) {
  if (!prefixes_.empty()) {
    // Redis trackingRememberKeyToBroadcast: every prefix the key starts with collects it, with
    // the client that changed it (NOLOOP clients skip their own changes).
    const uint64_t by = current != nullptr ? current->id() : 0;
    for (auto& [p, prefix] : prefixes_) {
      if (p.size() > key.size() || key.compare(0, p.size(), p) != 0) continue;
      prefix.keys[std::string(key)] = by;
      bcast_pending_ = true;
    }
  }
  Invalidate(key, current);
}

void Tracking::Invalidate(std::string_view key, RedisSession* current) {
  auto it = keys_.find(key);
  if (it == keys_.end()) return;
  // The entry goes first: sending may close clients, and a new read re-creates it.
  std::vector<uint64_t> ids = std::move(it->second);
  keys_.erase(it);
  items_ -= ids.size();
  const auto& clients = front_.clients();
  for (uint64_t id : ids) {
    auto c = clients.find(id);
    if (c == clients.end()) continue;
    RedisSession& target = *c->second;
    const TrackingState& t = target.tracking();
    // Keys remembered before a switch to BCAST are not reported (Redis does the same).
    if (!t.on || (t.options & kTrackBcast)) continue;
    if ((t.options & kTrackNoLoop) && &target == current) continue;
    SendOrDefer(target, Payload::kKey, key, current);
  }
}

void Tracking::InvalidateAll(RedisSession* current) {
  if (clients_ > 0) {
    for (const auto& [id, s] : front_.clients()) {
      if (s->tracking().on) SendOrDefer(*s, Payload::kNull, {}, current);
    }
  }
  keys_.clear();
  items_ = 0;
}

void Tracking::SendOrDefer(RedisSession& tracker, Payload payload, std::string_view key,
                           RedisSession* current) {
  // Redis defers messages for the client running the command until after its reply
  // (tracking_pending_keys). A redirect target that is running a command gets the same
  // treatment here, so an invalidation never lands inside an EXEC reply.
  RedisSession* target = &tracker;
  if (tracker.tracking().redirect != 0) {
    auto it = front_.clients().find(tracker.tracking().redirect);
    if (it != front_.clients().end()) target = it->second;
  }
  if (current != nullptr && (target == current || &tracker == current)) {
    deferred_.push_back({tracker.id(), payload, std::string(key)});
    return;
  }
  Send(tracker, payload, key);
}

void Tracking::FlushDeferred() {
  std::vector<Deferred> pending;
  pending.swap(deferred_);
  for (const Deferred& d : pending) {
    auto it = front_.clients().find(d.tracker_id);
    if (it == front_.clients().end() || !it->second->tracking().on) continue;
    Send(*it->second, d.payload, d.key);
  }
}

void Tracking::Send(RedisSession& tracker, Payload payload, std::string_view data) {
  TrackingState& t = tracker.tracking();
  RedisSession* target = &tracker;
  bool redirected = false;
  if (t.redirect != 0) {
    auto it = front_.clients().find(t.redirect);
    if (it == front_.clients().end()) {
      t.broken_redirect = true;
      if (tracker.resp() > 2 && !tracker.closing()) {
        resp::ReplyWriter& w = tracker.writer();
        w.PushHeader(2);
        w.Bulk("tracking-redir-broken");
        w.Integer(static_cast<int64_t>(t.redirect));
        tracker.AsyncOutputDone();
      }
      return;
    }
    target = it->second;
    redirected = true;
  }
  if (target->closing()) return;
  resp::ReplyWriter& w = target->writer();
  if (target->resp() > 2) {
    w.PushHeader(2);
    w.Bulk("invalidate");
  } else if (redirected && target->in_pubsub()) {
    w.ArrayHeader(3);
    w.Bulk("message");
    w.Bulk(kInvalidateChannel);
  } else {
    return;  // RESP2 without a redirect: nowhere to send it
  }
  switch (payload) {
    case Payload::kKey:
      w.ArrayHeader(1);
      w.Bulk(data);
      break;
    case Payload::kProto:
      w.Raw(data);
      break;
    case Payload::kNull:
      // The null of the tracking client's protocol, even when redirected (as Redis does).
      w.Raw(tracker.resp() > 2 ? std::string_view("_\r\n") : std::string_view("$-1\r\n"));
      break;
  }
  target->AsyncOutputDone();
}

void Tracking::BroadcastPending() {
  if (!bcast_pending_) return;
  bcast_pending_ = false;
  const auto& clients = front_.clients();
  std::string proto;
  for (auto& [p, prefix] : prefixes_) {
    if (prefix.keys.empty()) continue;
    std::map<std::string, uint64_t, std::less<>> keys;
    keys.swap(prefix.keys);
    auto build = [&](uint64_t skip_id) {
      proto.clear();
      size_t count = 0;
      for (const auto& [k, by] : keys) count += (skip_id == 0 || by != skip_id) ? 1 : 0;
      if (count == 0) return false;
      proto.append("*").append(std::to_string(count)).append("\r\n");
      for (const auto& [k, by] : keys) {
        if (skip_id != 0 && by == skip_id) continue;
        proto.append("$").append(std::to_string(k.size())).append("\r\n");
        proto.append(k).append("\r\n");
      }
      return true;
    };
    const std::vector<uint64_t> ids(prefix.clients.begin(), prefix.clients.end());
    bool shared_built = false;
    std::string shared;
    for (uint64_t id : ids) {
      auto c = clients.find(id);
      if (c == clients.end()) continue;
      RedisSession& s = *c->second;
      if (s.tracking().options & kTrackNoLoop) {
        if (build(id)) Send(s, Payload::kProto, proto);
        continue;
      }
      if (!shared_built) {
        shared_built = true;
        if (build(0)) shared = proto;
      }
      if (!shared.empty()) Send(s, Payload::kProto, shared);
    }
  }
}

void Tracking::LimitKeys(uint64_t max_keys) {
  if (max_keys == 0 || keys_.size() <= max_keys) {
    limit_rounds_ = 0;
    return;
  }
  // Like Redis trackingLimitUsedSlots: effort grows while the table stays over the limit.
  size_t effort = 100 * (static_cast<size_t>(limit_rounds_) + 1);
  while (effort-- > 0 && keys_.size() > max_keys) {
    std::string key = keys_.begin()->first;
    Invalidate(key, nullptr);
  }
  limit_rounds_ = keys_.size() > max_keys ? limit_rounds_ + 1 : 0;
}

}  // namespace kvgate::redis

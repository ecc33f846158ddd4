#include "translate/redis/pubsub.h"

#include <algorithm>

#include "translate/redis/glob.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

template <typename Map>
bool Add(Map& map, RedisSession* s, std::string_view name) {
  auto it = map.find(name);
  if (it == map.end()) it = map.emplace(std::string(name), std::vector<RedisSession*>{}).first;
  auto& subs = it->second;
  if (std::find(subs.begin(), subs.end(), s) != subs.end()) return false;
  subs.push_back(s);
  return true;
}

template <typename Map>
bool Remove(Map& map, RedisSession* s, std::string_view name) {
  auto it = map.find(name);
  if (it == map.end()) return false;
  auto& subs = it->second;
  auto pos = std::find(subs.begin(), subs.end(), s);
  if (pos == subs.end()) return false;
  subs.erase(pos);
  if (subs.empty()) map.erase(it);
  return true;
}

}  // namespace

bool PubSub::SubscribeChannel(RedisSession* s, std::string_view channel) {
  return Add(channels_, s, channel);
}
bool PubSub::UnsubscribeChannel(RedisSession* s, std::string_view channel) {
  return Remove(channels_, s, channel);
}
bool PubSub::SubscribePattern(RedisSession* s, std::string_view pattern) {
  return Add(patterns_, s, pattern);
}
bool PubSub::UnsubscribePattern(RedisSession* s, std::string_view pattern) {
  return Remove(patterns_, s, pattern);
}

int64_t PubSub::Publish(std::string_view channel, std::string_view message) {
  int64_t receivers = 0;
  // Delivery never changes subscriptions (closes are deferred by the front), but copy the
  // subscriber lists anyway: a handler chain must not depend on that.
  if (auto it = channels_.find(channel); it != channels_.end()) {
    std::vector<RedisSession*> subs = it->second;
    for (RedisSession* s : subs) {
      s->DeliverMessage(channel, message);
      ++receivers;
    }
  }
  if (!patterns_.empty()) {
    std::vector<std::pair<std::string, RedisSession*>> matches;
    for (const auto& [pattern, subs] : patterns_) {
      if (!GlobMatch(pattern, channel)) continue;
      for (RedisSession* s : subs) matches.emplace_back(pattern, s);
    }
    for (const auto& [pattern, s] : matches) {
      s->DeliverPMessage(pattern, channel, message);
      ++receivers;
    }
  }
  return receivers;
}

std::vector<std::string> PubSub::Channels(std::string_view pattern, bool all) const {
  std::vector<std::string> out;
  for (const auto& [channel, subs] : channels_) {
    if (all || GlobMatch(pattern, channel)) out.push_back(channel);
  }
  return out;
}

size_t PubSub::NumSubscribers(std::string_view channel) const {
  auto it = channels_.find(channel);
  return it == channels_.end() ? 0 : it->second.size();
}

}  // namespace kvgate::redis

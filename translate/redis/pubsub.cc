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

template <typename Map>
std::vector<std::string> Names(const Map& map, std::string_view pattern, bool all) {
  std::vector<std::string> out;
  for (const auto& [name, subs] : map) {
    if (all || GlobMatch(pattern, name)) out.push_back(name);
  }
  return out;
}

template <typename Map>
size_t Count(const Map& map, std::string_view name) {
  auto it = map.find(name);
  return it == map.end() ? 0 : it->second.size();
}

// Delivers to a copy of the list: a handler chain must not depend on delivery leaving
// subscriptions alone (closes are deferred by the front).
template <typename Map, typename Deliver>
int64_t DeliverTo(const Map& map, std::string_view channel, Deliver deliver) {
  auto it = map.find(channel);
  if (it == map.end()) return 0;
  std::vector<RedisSession*> subs = it->second;
  for (RedisSession* s : subs) deliver(s);
  return static_cast<int64_t>(subs.size());
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

bool PubSub::SubscribeShard(RedisSession* s, std::string_view channel) {
  return Add(shard_channels_, s, channel);
}
bool PubSub::UnsubscribeShard(RedisSession* s, std::string_view channel) {
  return Remove(shard_channels_, s, channel);
}

int64_t PubSub::Publish(std::string_view channel, std::string_view message) {
  int64_t receivers = DeliverTo(
      channels_, channel, [&](RedisSession* s) { s->DeliverMessage("message", channel, message); });
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

int64_t PubSub::PublishShard(std::string_view channel, std::string_view message) {
  return DeliverTo(shard_channels_, channel,
                   [&](RedisSession* s) { s->DeliverMessage("smessage", channel, message); });
}

std::vector<std::string> PubSub::Channels(std::string_view pattern, bool all) const {
  return Names(channels_, pattern, all);
}

size_t PubSub::NumSubscribers(std::string_view channel) const {
  return Count(channels_, channel);
}

std::vector<std::string> PubSub::ShardChannels(std::string_view pattern, bool all) const {
  return Names(shard_channels_, pattern, all);
}

size_t PubSub::NumShardSubscribers(std::string_view channel) const {
  return Count(shard_channels_, channel);
}

}  // namespace kvgate::redis

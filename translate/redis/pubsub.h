// File: translate/redis/pubsub.h
// Pub/Sub registry shared by all Redis sessions: channel and pattern subscriptions, PUBLISH
// fan-out (channel subscribers first, then matching patterns), shard channels (SSUBSCRIBE,
// SPUBLISH: a namespace of their own, never matched by patterns), PUBSUB introspection.
//
//   pubsub.SubscribeChannel(session, "news");        // true if newly subscribed
//   int64_t receivers = pubsub.Publish("news", "hi"); // writes `message` frames to subscribers
//   pubsub.UnsubscribeAll(session);                    // on close
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kvgate::redis {

class RedisSession;

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};

class PubSub {
 public:
  bool SubscribeChannel(RedisSession* s, std::string_view channel);
  bool UnsubscribeChannel(RedisSession* s, std::string_view channel);
  bool SubscribePattern(RedisSession* s, std::string_view pattern);
  bool UnsubscribePattern(RedisSession* s, std::string_view pattern);
  bool SubscribeShard(RedisSession* s, std::string_view channel);
  bool UnsubscribeShard(RedisSession* s, std::string_view channel);

  // Delivers to every subscriber; returns the number of receivers (Redis PUBLISH reply).
  int64_t Publish(std::string_view channel, std::string_view message);
  // SPUBLISH: shard channel subscribers only (`smessage` frames).
  int64_t PublishShard(std::string_view channel, std::string_view message);

  // PUBSUB CHANNELS [pattern]: active channels (with at least one subscriber).
  std::vector<std::string> Channels(std::string_view pattern, bool all) const;
  size_t NumSubscribers(std::string_view channel) const;
  // PUBSUB SHARDCHANNELS / SHARDNUMSUB.
  std::vector<std::string> ShardChannels(std::string_view pattern, bool all) const;
  size_t NumShardSubscribers(std::string_view channel) const;
  size_t NumPatterns() const {
    return patterns_.size();
  }
  // No channel or pattern subscriber (keyspace notifications have no shard form).
  bool empty() const {
    return channels_.empty() && patterns_.empty();
  }

 private:
  using Subscribers = std::vector<RedisSession*>;
  using ChannelMap = std::unordered_map<std::string, Subscribers, StringHash, std::equal_to<>>;
  ChannelMap channels_;
  ChannelMap shard_channels_;
  std::map<std::string, Subscribers, std::less<>> patterns_;
};

}  // namespace kvgate::redis

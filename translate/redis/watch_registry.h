// File: translate/redis/watch_registry.h
// WATCH bookkeeping: which sessions watch which (bucket, key). Fed by the engine's change
// stream, so a write by any session, by NATS clients, by expiry or by EXPIRE/PERSIST marks
// the watchers dirty and their EXEC fails (`*-1`).
//
//   registry.Watch(session, "db0", "k");
//   registry.OnChange(event);          // from engine::ChangeListener
//   registry.UnwatchAll(session, keys);
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/types.h"
#include "translate/redis/pubsub.h"

namespace kvgate::redis {

class RedisSession;

class WatchRegistry {
 public:
  void Watch(RedisSession* s, std::string_view bucket, std::string_view key);
  void Unwatch(RedisSession* s, std::string_view bucket, std::string_view key);
  // Marks the watchers of one key dirty.
  void Touch(std::string_view bucket, std::string_view key);
  // Marks every watcher of the bucket dirty (a flush or bucket deletion from outside Redis).
  void TouchBucket(std::string_view bucket);
  // Watched keys of a bucket (FLUSHDB touches those that exist).
  std::vector<std::string> KeysOf(std::string_view bucket) const;
  void OnChange(const engine::ChangeEvent& event);
  bool empty() const {
    return buckets_.empty();
  }

 private:
  using Watchers = std::vector<RedisSession*>;
  using Keys = std::unordered_map<std::string, Watchers, StringHash, std::equal_to<>>;
  std::unordered_map<std::string, Keys, StringHash, std::equal_to<>> buckets_;
};

}  // namespace kvgate::redis

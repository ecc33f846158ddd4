// File: translate/redis/blocked_keys.h
// Which clients wait in a blocking command (BLPOP, BZPOPMIN, ...) on which keys, in arrival
// order per key, and which of those keys a change has made worth serving ("ready"). Fed by the
// engine's change stream, so a push by any client, a script, EXEC, RENAME, MOVE, SWAPDB or a NATS
// write readies the key; the front serves the ready keys after the command that readied them
// (RedisFront::ServeReadyKeys).
//
//   blocked.Add(client_id, "db0", keys, ValueType::kList);
//   blocked.MarkReady("db0", "k");          // from the change listener
//   for (const ReadyKey& r : blocked.TakeReady()) for (uint64_t id : blocked.Waiters(r)) ...
//   blocked.Remove(client_id);              // served, timed out, unblocked or gone
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/collection.h"
#include "translate/redis/pubsub.h"

namespace kvgate::redis {

struct ReadyKey {
  std::string bucket;
  std::string key;
};

class BlockedKeys {
 public:
  // `client` waits for a value of `type` at any of `keys` (duplicates count once) of `bucket`.
  void Add(uint64_t client, std::string_view bucket, std::span<const std::string_view> keys,
           engine::ValueType type);
  // Forgets every key `client` waits on (no-op if none).
  void Remove(uint64_t client);
  // A change to `key` of `bucket`: ready if anyone waits on it.
  void MarkReady(std::string_view bucket, std::string_view key);
  // Every waited-on key of `bucket` (SWAPDB brought in another database's keys).
  void MarkBucketReady(std::string_view bucket);
  bool has_ready() const {
    return !ready_.empty();
  }
  bool empty() const {
    return clients_.empty();
  }
  // The ready keys in the order they became ready; none are ready afterwards.
  std::vector<ReadyKey> TakeReady();
  // The clients waiting on a key, oldest first (a copy: serving one changes the registry).
  std::vector<uint64_t> Waiters(const ReadyKey& key) const;
  // The type a waiting client wants (kString if it waits on nothing).
  engine::ValueType WantedType(uint64_t client) const;

 private:
  using Queue = std::deque<uint64_t>;
  using Keys = std::unordered_map<std::string, Queue, StringHash, std::equal_to<>>;
  struct Client {
    std::string bucket;
    std::vector<std::string> keys;
    engine::ValueType type = engine::ValueType::kString;
  };

  std::unordered_map<std::string, Keys, StringHash, std::equal_to<>> buckets_;
  std::unordered_map<uint64_t, Client> clients_;
  std::vector<ReadyKey> ready_;
  std::unordered_set<std::string> ready_set_;  // bucket + '\0' + key, to list a key once
};

}  // namespace kvgate::redis

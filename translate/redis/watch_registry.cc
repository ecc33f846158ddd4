#include "translate/redis/watch_registry.h"

#include <algorithm>

#include "translate/redis/session.h"

namespace kvgate::redis {

void WatchRegistry::Watch(RedisSession* s, std::string_view bucket, std::string_view key) {
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) b = buckets_.emplace(std::string(bucket), Keys{}).first;
  auto k = b->second.find(key);
  if (k == b->second.end()) k = b->second.emplace(std::string(key), Watchers{}).first;
  if (std::find(k->second.begin(), k->second.end(), s) == k->second.end()) k->second.push_back(s);
}

void WatchRegistry::Unwatch(RedisSession* s, std::string_view bucket, std::string_view key) {
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return;
  auto k = b->second.find(key);
  if (k == b->second.end()) return;
  auto& watchers = k->second;
  watchers.erase(std::remove(watchers.begin(), watchers.end(), s), watchers.end());
  if (watchers.empty()) b->second.erase(k);
  if (b->second.empty()) buckets_.erase(b);
}

void WatchRegistry::Touch(std::string_view bucket, std::string_view key) {
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return;
  auto k = b->second.find(key);
  if (k == b->second.end()) return;
  for (RedisSession* s : k->second) s->MarkDirtyCas();
}

void WatchRegistry::TouchBucket(std::string_view bucket) {
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return;
  for (auto& [key, watchers] : b->second) {
    for (RedisSession* s : watchers) s->MarkDirtyCas();
  }
}

std::vector<std::string> WatchRegistry::KeysOf(std::string_view bucket) const {
  std::vector<std::string> keys;
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return keys;
  for (const auto& [key, watchers] : b->second) keys.push_back(key);
  return keys;
}

void WatchRegistry::OnChange(const engine::ChangeEvent& event) {
  Touch(event.bucket, event.key);
}

}  // namespace kvgate::redis

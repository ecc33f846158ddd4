// File: translate/redis/blocked_keys.cc
#include "translate/redis/blocked_keys.h"

#include <algorithm>

namespace kvgate::redis {

namespace {

std::string ReadyId(std::string_view bucket, std::string_view key) {
  std::string id;
  id.reserve(bucket.size() + 1 + key.size());
  id.append(bucket);
  id.push_back('\0');
  id.append(key);
  return id;
}

}  // namespace

void BlockedKeys::Add(uint64_t client, std::string_view bucket,
                      std::span<const std::string_view> keys, engine::ValueType type) {
  Client& c = clients_[client];
  c.bucket.assign(bucket);
  c.type = type;
  Keys& waited = buckets_[c.bucket];
  for (std::string_view key : keys) {
    if (std::find(c.keys.begin(), c.keys.end(), key) != c.keys.end()) continue;
    c.keys.emplace_back(key);
    auto it = waited.find(key);
    if (it == waited.end()) it = waited.emplace(std::string(key), Queue{}).first;
    it->second.push_back(client);
  }
}

void BlockedKeys::Remove(uint64_t client) {
  auto c = clients_.find(client);
  if (c == clients_.end()) return;
  auto b = buckets_.find(c->second.bucket);
  if (b != buckets_.end()) {
    for (const std::string& key : c->second.keys) {
      auto it = b->second.find(key);
      if (it == b->second.end()) continue;
      Queue& q = it->second;
      // Usually the oldest waiter (the one just served) or a short queue.
      auto pos = std::find(q.begin(), q.end(), client);
      if (pos != q.end()) q.erase(pos);
      if (q.empty()) b->second.erase(it);
    }
    if (b->second.empty()) buckets_.erase(b);
  }
  clients_.erase(c);
}

void BlockedKeys::MarkReady(std::string_view bucket, std::string_view key) {
  auto b = buckets_.find(bucket);
  if (b == buckets_.end() || b->second.find(key) == b->second.end()) return;
  if (!ready_set_.insert(ReadyId(bucket, key)).second) return;
  ready_.push_back(ReadyKey{std::string(bucket), std::string(key)});
}

void BlockedKeys::MarkBucketReady(std::string_view bucket) {
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return;
  std::vector<std::string> keys;
  keys.reserve(b->second.size());
  for (const auto& [key, queue] : b->second) keys.push_back(key);
  for (const std::string& key : keys) MarkReady(bucket, key);
}

std::vector<ReadyKey> BlockedKeys::TakeReady() {
  std::vector<ReadyKey> out;
  out.swap(ready_);
  ready_set_.clear();
  return out;
}

std::vector<uint64_t> BlockedKeys::Waiters(const ReadyKey& key) const {
  auto b = buckets_.find(key.bucket);
  if (b == buckets_.end()) return {};
  auto it = b->second.find(key.key);
  if (it == b->second.end()) return {};
  return {it->second.begin(), it->second.end()};
}

engine::ValueType BlockedKeys::WantedType(uint64_t client) const {
  auto c = clients_.find(client);
  return c == clients_.end() ? engine::ValueType::kString : c->second.type;
}

}  // namespace kvgate::redis

// File: engine/collections/stream_groups.cc
// Consumer groups (stream_groups.h), following Redis 7.0's t_stream.c: streamCreateCG,
// streamCreateConsumer, streamDelConsumer, the PEL handling of streamReplyWithRange and
// XCLAIM. A NACK names its consumer; the consumer's own PEL holds the same IDs, and every
// change keeps the two in step.
#include "engine/collections/stream_groups.h"

namespace kvgate::engine {

StreamConsumer* StreamGroup::Lookup(std::string_view name) {
  auto it = consumers_.find(name);
  return it == consumers_.end() ? nullptr : &it->second;
}

const StreamConsumer* StreamGroup::Lookup(std::string_view name) const {
  auto it = consumers_.find(name);
  return it == consumers_.end() ? nullptr : &it->second;
}

std::pair<StreamConsumer*, bool> StreamGroup::LookupOrCreate(std::string_view name,
                                                             int64_t now_ms) {
  auto it = consumers_.find(name);
  if (it != consumers_.end()) return {&it->second, false};
  auto [pos, inserted] = consumers_.emplace(std::string(name), StreamConsumer{});
  pos->second.seen_time_ms = now_ms;
  return {&pos->second, inserted};
}

int64_t StreamGroup::DeleteConsumer(std::string_view name) {
  auto it = consumers_.find(name);
  if (it == consumers_.end()) return -1;
  const auto pending = static_cast<int64_t>(it->second.pel.size());
  for (StreamId id : it->second.pel) pel_.erase(id);
  consumers_.erase(it);
  return pending;
}

void StreamGroup::Deliver(StreamId id, std::string_view consumer, int64_t now_ms) {
  auto [it, inserted] = pel_.try_emplace(id);
  StreamNack& nack = it->second;
  if (!inserted && nack.consumer != consumer) {
    if (StreamConsumer* old = Lookup(nack.consumer)) old->pel.erase(id);
  }
  nack.consumer = std::string(consumer);
  nack.delivery_time_ms = now_ms;
  nack.delivery_count = 1;
  if (StreamConsumer* c = Lookup(consumer)) c->pel.insert(id);
}

StreamNack* StreamGroup::Claim(StreamId id, std::string_view consumer, bool create,
                               int64_t now_ms) {
  auto it = pel_.find(id);
  if (it == pel_.end()) {
    if (!create) return nullptr;
    it = pel_.try_emplace(id).first;
    it->second.delivery_time_ms = now_ms;
    it->second.delivery_count = 1;
  } else if (it->second.consumer != consumer) {
    if (StreamConsumer* old = Lookup(it->second.consumer)) old->pel.erase(id);
  }
  it->second.consumer = std::string(consumer);
  if (StreamConsumer* c = Lookup(consumer)) c->pel.insert(id);
  return &it->second;
}

bool StreamGroup::Ack(StreamId id) {
  auto it = pel_.find(id);
  if (it == pel_.end()) return false;
  if (StreamConsumer* c = Lookup(it->second.consumer)) c->pel.erase(id);
  pel_.erase(it);
  return true;
}

StreamNack* StreamGroup::Pending(StreamId id) {
  auto it = pel_.find(id);
  return it == pel_.end() ? nullptr : &it->second;
}

uint64_t StreamGroup::MemoryBytes() const {
  // Consumers are map nodes: three pointers and a colour word each, plus the payload. Every
  // change of the stream asks (the engine's memory accounting), so this is O(consumers).
  constexpr uint64_t kNode = 4 * sizeof(void*);
  uint64_t bytes = sizeof(*this) + pel_.MemoryBytes();
  for (const auto& [name, c] : consumers_) {
    bytes += kNode + sizeof(name) + name.capacity() + sizeof(c) + c.pel.MemoryBytes();
  }
  return bytes;
}

StreamGroup* StreamGroups::Create(std::string_view name, StreamId last_id, int64_t entries_read) {
  if (groups_.find(name) != groups_.end()) return nullptr;
  auto it = groups_.emplace(std::string(name), StreamGroup(last_id, entries_read)).first;
  return &it->second;
}

StreamGroup* StreamGroups::Find(std::string_view name) {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second;
}

const StreamGroup* StreamGroups::Find(std::string_view name) const {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second;
}

bool StreamGroups::Destroy(std::string_view name) {
  auto it = groups_.find(name);
  if (it == groups_.end()) return false;
  groups_.erase(it);
  return true;
}

uint64_t StreamGroups::MemoryBytes() const {
  uint64_t bytes = 0;
  for (const auto& [name, g] : groups_)
    bytes += 4 * sizeof(void*) + name.capacity() + g.MemoryBytes();
  return bytes;
}

}  // namespace kvgate::engine

// File: engine/collections/stream_groups.cc
// Consumer groups (stream_groups.h), following Redis 7.0's t_stream.c: streamCreateCG,
// streamCreateConsumer, streamDelConsumer, the PEL handling of streamReplyWithRange and
// XCLAIM. A NACK names its consumer; the consumer's own PEL holds the same IDs, and every
// change keeps the two in step.
#include "engine/collections/stream_groups.h"

#include "engine/collection_delta.h"

namespace kvgate::engine {

using delta::Op;

namespace {

void PutGroupOp(std::string* d, Op op, const std::string& group) {
  delta::Put(d, op, group);
}

}  // namespace

void StreamGroup::SetLastDelivered(StreamId id, int64_t entries_read) {
  last_id_ = id;
  entries_read_ = entries_read;
  if (rec_ == nullptr) return;
  PutGroupOp(rec_, Op::kGroupPut, *name_);
  detail::PutId(rec_, id);
  detail::PutSigned(rec_, entries_read);
}

void StreamGroup::Touch(std::string_view name, StreamConsumer* c, int64_t now_ms) {
  c->seen_time_ms = now_ms;
  if (rec_ == nullptr) return;
  PutGroupOp(rec_, Op::kConsumerPut, *name_);
  detail::PutString(rec_, name);
  detail::PutSigned(rec_, now_ms);
}

void StreamGroup::SetNack(StreamId id, StreamNack* nack, int64_t delivery_time_ms, uint64_t count) {
  nack->delivery_time_ms = delivery_time_ms;
  nack->delivery_count = count;
  RecordNack(id, *nack);
}

void StreamGroup::RecordNack(StreamId id, const StreamNack& nack) {
  if (rec_ == nullptr) return;
  PutGroupOp(rec_, Op::kNackPut, *name_);
  detail::PutId(rec_, id);
  detail::PutString(rec_, nack.consumer);
  detail::PutSigned(rec_, nack.delivery_time_ms);
  detail::PutVarint(rec_, nack.delivery_count);
}

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
  Touch(name, &pos->second, now_ms);
  return {&pos->second, inserted};
}

int64_t StreamGroup::DeleteConsumer(std::string_view name) {
  auto it = consumers_.find(name);
  if (it == consumers_.end()) return -1;
  const auto pending = static_cast<int64_t>(it->second.pel.size());
  for (StreamId id : it->second.pel) pel_.erase(id);
  consumers_.erase(it);
  if (rec_ != nullptr) {
    PutGroupOp(rec_, Op::kConsumerDelete, *name_);
    detail::PutString(rec_, name);
  }
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
  RecordNack(id, nack);
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
  RecordNack(id, it->second);
  return &it->second;
}

bool StreamGroup::Ack(StreamId id) {
  auto it = pel_.find(id);
  if (it == pel_.end()) return false;
  if (StreamConsumer* c = Lookup(it->second.consumer)) c->pel.erase(id);
  pel_.erase(it);
  if (rec_ != nullptr) {
    PutGroupOp(rec_, Op::kNackDelete, *name_);
    detail::PutId(rec_, id);
  }
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

StreamGroup* StreamGroups::Reached(std::map<std::string, StreamGroup, std::less<>>::iterator it) {
  it->second.rec_ = rec_;
  it->second.name_ = &it->first;
  return &it->second;
}

StreamGroup* StreamGroups::Create(std::string_view name, StreamId last_id, int64_t entries_read) {
  if (groups_.find(name) != groups_.end()) return nullptr;
  auto it = groups_.emplace(std::string(name), StreamGroup(last_id, entries_read)).first;
  StreamGroup* g = Reached(it);
  if (rec_ != nullptr) g->SetLastDelivered(last_id, entries_read);  // records the creation
  return g;
}

StreamGroup* StreamGroups::Find(std::string_view name) {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : Reached(it);
}

const StreamGroup* StreamGroups::Find(std::string_view name) const {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second;
}

bool StreamGroups::Destroy(std::string_view name) {
  auto it = groups_.find(name);
  if (it == groups_.end()) return false;
  groups_.erase(it);
  if (rec_ != nullptr) PutGroupOp(rec_, Op::kGroupDestroy, std::string(name));
  return true;
}

bool StreamGroups::Apply(uint8_t op, detail::Reader& r) {
  std::string_view name;
  if (!r.String(&name)) return false;
  if (static_cast<Op>(op) == Op::kGroupPut) {
    StreamId id;
    int64_t entries_read = 0;
    if (!r.Id(&id) || !r.Signed(&entries_read) || entries_read < kInvalidEntriesRead) {
      return false;
    }
    StreamGroup* g = Find(name);
    if (g == nullptr) g = Create(name, id, entries_read);
    g->SetLastDelivered(id, entries_read);
    return true;
  }
  if (static_cast<Op>(op) == Op::kGroupDestroy) return Destroy(name);
  StreamGroup* g = Find(name);
  if (g == nullptr) return false;
  std::string_view consumer;
  StreamId id;
  int64_t time = 0;
  uint64_t count = 0;
  switch (static_cast<Op>(op)) {
    case Op::kConsumerPut: {
      if (!r.String(&consumer) || !r.Signed(&time)) return false;
      auto [c, created] = g->LookupOrCreate(consumer, time);
      if (!created) g->Touch(consumer, c, time);
      return true;
    }
    case Op::kConsumerDelete:
      return r.String(&consumer) && g->DeleteConsumer(consumer) >= 0;
    case Op::kNackPut: {
      if (!r.Id(&id) || !r.String(&consumer) || !r.Signed(&time) || !r.Varint(&count)) {
        return false;
      }
      StreamNack* nack = g->Claim(id, consumer, true, time);
      g->SetNack(id, nack, time, count);
      return true;
    }
    case Op::kNackDelete:
      return r.Id(&id) && g->Ack(id);
    default:
      return false;
  }
}

uint64_t StreamGroups::MemoryBytes() const {
  uint64_t bytes = 0;
  for (const auto& [name, g] : groups_)
    bytes += 4 * sizeof(void*) + name.capacity() + g.MemoryBytes();
  return bytes;
}

}  // namespace kvgate::engine

// File: translate/nats/consumer_set.cc
// Consumer registry and scheduler (see consumer_set.h).
//
//   set.MarkReady(c);            // from Consumer::OnWatchReady, inside an engine mutation
//   set.RunPending(batch);       // later, from the loop: the consumer runs outside the engine
#include "translate/nats/consumer_set.h"

#include <algorithm>
#include <utility>

#include "translate/nats/consumer.h"
#include "translate/nats/subject.h"

namespace kvgate::nats {

ConsumerSet::ConsumerSet(uint64_t seed) : rng_(seed) {
}

ConsumerSet::~ConsumerSet() = default;

uint64_t ConsumerSet::Random() {
  uint64_t z = (rng_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void ConsumerSet::MarkReady(Consumer* consumer) {
  if (consumer->queued) return;
  consumer->queued = true;
  ready_.push_back(consumer);
}

size_t ConsumerSet::Count(std::string_view stream) const {
  auto it = by_stream_.find(std::string(stream));
  return it == by_stream_.end() ? 0 : it->second.size();
}

Consumer* ConsumerSet::Find(std::string_view stream, std::string_view name) {
  auto it = by_stream_.find(std::string(stream));
  if (it == by_stream_.end()) return nullptr;
  auto c = it->second.find(std::string(name));
  return c == it->second.end() ? nullptr : c->second.get();
}

void ConsumerSet::Add(std::unique_ptr<Consumer> consumer) {
  Consumer* raw = consumer.get();
  auto& by_name = by_stream_[raw->stream()];
  by_name[raw->name()] = std::move(consumer);
  ++total_;
  raw->tick_index = tick_order_.size();
  tick_order_.push_back(raw);
  MarkReady(raw);
}

void ConsumerSet::Delete(std::string_view stream, std::string_view name) {
  auto it = by_stream_.find(std::string(stream));
  if (it == by_stream_.end()) return;
  auto c = it->second.find(std::string(name));
  if (c == it->second.end()) return;
  Consumer* raw = c->second.get();
  for (auto* list : {&ready_, &waiting_interest_, &paused_}) {
    list->erase(std::remove(list->begin(), list->end(), raw), list->end());
  }
  Consumer* last = tick_order_.back();
  tick_order_[raw->tick_index] = last;
  last->tick_index = raw->tick_index;
  tick_order_.pop_back();
  it->second.erase(c);
  --total_;
  if (it->second.empty()) by_stream_.erase(it);
}

void ConsumerSet::DeleteStream(std::string_view stream) {
  for (const std::string& name : Names(stream)) Delete(stream, name);
}

std::vector<std::string> ConsumerSet::Names(std::string_view stream) const {
  std::vector<std::string> names;
  auto it = by_stream_.find(std::string(stream));
  if (it == by_stream_.end()) return names;
  for (const auto& [name, c] : it->second) names.push_back(name);
  return names;
}

std::string ConsumerSet::NewName(std::string_view stream) {
  static constexpr char kAlnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (;;) {
    std::string name;
    uint64_t r = Random();
    for (int i = 0; i < 8; ++i) {
      name.push_back(kAlnum[r % 62]);
      r /= 62;
    }
    if (Find(stream, name) == nullptr) return name;
  }
}

void ConsumerSet::RunPending(size_t batch_size) {
  if (ready_.empty()) return;
  std::vector<Consumer*> batch;
  batch.swap(ready_);
  for (Consumer* c : batch) c->queued = false;
  // Deleted after the pass: a consumer later in `batch` may still be visited.
  std::vector<std::pair<std::string, std::string>> dead;
  for (Consumer* c : batch) {
    switch (c->Run(batch_size)) {
      case Consumer::RunResult::kMore:
        MarkReady(c);
        break;
      case Consumer::RunResult::kGone:
        dead.emplace_back(c->stream(), c->name());
        break;
      case Consumer::RunResult::kNoInterest:
        Park(&waiting_interest_, c);
        break;
      case Consumer::RunResult::kOutputFull:
        Park(&paused_, c);
        break;
      case Consumer::RunResult::kIdle:
        break;
    }
  }
  for (const auto& [stream, name] : dead) Delete(stream, name);
}

void ConsumerSet::Park(std::vector<Consumer*>* list, Consumer* c) {
  if (std::find(list->begin(), list->end(), c) == list->end()) list->push_back(c);
}

void ConsumerSet::Tick(int64_t now_ns) {
  // Visit every consumer at least every 4th Tick (~200 ms: heartbeats and inactivity need no
  // finer resolution) and at most a quarter of them per Tick beyond kTickVisitAll, so 10^5
  // idle watch consumers neither stall one loop iteration nor tax every put.
  constexpr size_t kTickVisitAll = 1024;
  const size_t n = tick_order_.size();
  const size_t visit = std::min(n, std::max(kTickVisitAll, (n + 3) / 4));
  if (tick_cursor_ >= n) tick_cursor_ = 0;
  std::vector<std::pair<std::string, std::string>> dead;
  for (size_t i = 0; i < visit; ++i) {
    Consumer* c = tick_order_[(tick_cursor_ + i) % n];
    switch (c->Tick(now_ns)) {
      case Consumer::RunResult::kGone:
        dead.emplace_back(c->stream(), c->name());
        break;
      case Consumer::RunResult::kMore:
        MarkReady(c);
        break;
      default:
        break;
    }
  }
  if (n != 0) tick_cursor_ = (tick_cursor_ + visit) % n;
  for (const auto& [stream, name] : dead) Delete(stream, name);
}

void ConsumerSet::OnInterestAdded(std::string_view subject) {
  if (waiting_interest_.empty()) return;
  std::vector<Consumer*> still;
  for (Consumer* c : waiting_interest_) {
    if (SubjectMatches(subject, c->deliver_subject())) {
      MarkReady(c);
    } else {
      still.push_back(c);
    }
  }
  waiting_interest_.swap(still);
}

void ConsumerSet::OnOutputDrained() {
  for (Consumer* c : paused_) MarkReady(c);
  paused_.clear();
}

}  // namespace kvgate::nats

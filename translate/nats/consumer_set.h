// File: translate/nats/consumer_set.h
// The JetStream front's push consumers: owns them (by stream, then name) and schedules them.
// A consumer is either queued to run (ready), parked until its deliver subject gains a
// subscriber, parked until its subscriber's output drains, or idle until its watch wakes it.
// Tick visits every consumer in bounded slices (heartbeats, inactivity GC).
//
//   ConsumerSet set(seed);
//   set.Add(std::move(consumer));           // queued: its first Run sends the initial values
//   set.RunPending(/*batch=*/256);          // every ready consumer delivers up to `batch` entries
//   set.Tick(now_ns);                       // a slice of the consumers: heartbeats, GC
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kvgate::nats {

class Consumer;

class ConsumerSet {
 public:
  // `seed` makes generated consumer names unpredictable across runs.
  explicit ConsumerSet(uint64_t seed);
  ~ConsumerSet();
  ConsumerSet(const ConsumerSet&) = delete;
  ConsumerSet& operator=(const ConsumerSet&) = delete;

  // ---- registry ----
  // Takes ownership and queues it. The stream must not hold that name yet (callers Find first).
  void Add(std::unique_ptr<Consumer> consumer);
  // Null if absent. The pointer stays valid until Delete (also the GC in RunPending / Tick).
  Consumer* Find(std::string_view stream, std::string_view name);
  void Delete(std::string_view stream, std::string_view name);
  void DeleteStream(std::string_view stream);
  size_t Count(std::string_view stream) const;
  size_t Total() const {
    return total_;
  }
  // Names of a stream's consumers, sorted.
  std::vector<std::string> Names(std::string_view stream) const;
  // 8 random alphanumerics, unused on the stream.
  std::string NewName(std::string_view stream);

  // ---- scheduling ----
  // Queues the consumer for the next RunPending (once, however often it is called).
  void MarkReady(Consumer* consumer);
  bool HasPending() const {
    return !ready_.empty();
  }
  // Runs every queued consumer once with `batch` entries of budget; parks or deletes it as its
  // RunResult says.
  void RunPending(size_t batch);
  void Tick(int64_t now_ns);
  // A subscription to `subject` was added: wakes consumers waiting for its interest.
  void OnInterestAdded(std::string_view subject);
  // Some subscriber's output drained: wakes every consumer paused for output.
  void OnOutputDrained();

 private:
  uint64_t Random();
  static void Park(std::vector<Consumer*>* list, Consumer* c);

  // stream -> (name -> consumer)
  std::unordered_map<std::string, std::map<std::string, std::unique_ptr<Consumer>>> by_stream_;
  size_t total_ = 0;
  uint64_t rng_;
  std::vector<Consumer*> ready_;
  std::vector<Consumer*> waiting_interest_;  // blocked: nobody subscribes the deliver subject
  std::vector<Consumer*> paused_;            // blocked: the subscriber's output is full
  std::vector<Consumer*> tick_order_;        // every consumer; Tick visits it in slices
  size_t tick_cursor_ = 0;
};

}  // namespace kvgate::nats

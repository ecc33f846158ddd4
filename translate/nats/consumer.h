// File: translate/nats/consumer.h
// A JetStream push consumer (ack policy none) emulated over an engine watch: what NATS KV
// clients use for watch, keys and history. Delivers `$KV.<b>.<k>` messages to the deliver
// subject's subscribers with `$JS.ACK.<stream>.<consumer>.1.<sseq>.<cseq>.<ts>.<pending>`
// replies, only while that subject has interest and the subscriber's output is below a
// high-water mark; sends idle heartbeats after real idleness; is garbage-collected after
// inactive_threshold without interest.
//
//   auto c = std::make_unique<Consumer>(js, "KV_b", "b", "abc12345", cfg, now_ns);
//   if (JsStatus st = c->Start(*bucket); !st.ok()) ...;   // engine watch per deliver policy
//   c->Run(256);  c->Tick(now_ns);                     // driven by ConsumerSet
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/store.h"
#include "engine/watch.h"
#include "protocols/json.h"
#include "translate/nats/consumer_config.h"
#include "translate/nats/js_errors.h"

namespace kvgate::nats {

class JetStream;

class Consumer final : public engine::WatchSink {
 public:
  enum class RunResult : uint8_t {
    kIdle,        // nothing to deliver now (a watch notification will wake it)
    kMore,        // more is ready now: run again
    kNoInterest,  // the deliver subject has no subscriber: wait for a SUB
    kOutputFull,  // the subscriber's output is above the high-water mark: wait for a drain
    kGone,        // delete this consumer (bucket gone, inactivity)
  };

  Consumer(JetStream& js, std::string stream, std::string bucket, std::string name,
           ConsumerConfig config, int64_t created_ns);
  ~Consumer() override;

  // Starts the engine watch for the deliver policy and filters.
  JsStatus Start(engine::StoreBucket& bucket);
  // Delivers up to `budget` entries.
  RunResult Run(size_t budget);
  // Heartbeats, GC and un-blocking; kMore if it should run now.
  RunResult Tick(int64_t now_ns);
  // engine::WatchSink
  void OnWatchReady(engine::Watch& watch) override;
  // False while the watch still counts a filtered initial part (a pass over the bucket done in
  // slices by Run, so creating a consumer never stalls the loop on a large bucket).
  bool CountReady() const {
    return !watch_ || watch_->CountReady();
  }
  // The create response waits for the count (num_pending): Run sends it to `reply` once the
  // count is done, before any delivery.
  void DeferCreateResponse(std::string reply, std::string type) {
    deferred_reply_ = std::move(reply);
    deferred_type_ = std::move(type);
    response_deferred_ = true;
  }

  // Writes a consumer_create_response / consumer_info_response object (no `type` member when
  // `type` is empty: list items).
  void WriteInfo(protocols::JsonWriter& w, std::string_view type) const;

  const std::string& stream() const {
    return stream_;
  }
  const std::string& name() const {
    return name_;
  }
  const std::string& deliver_subject() const {
    return config_.deliver_subject;
  }
  const ConsumerConfig& config() const {
    return config_;
  }
  bool waiting_for_interest() const {
    return waiting_for_interest_;
  }
  bool paused_for_output() const {
    return paused_for_output_;
  }
  uint64_t consumer_seq() const {
    return consumer_seq_;
  }

  bool queued = false;    // in ConsumerSet's ready list
  size_t tick_index = 0;  // position in ConsumerSet's tick order

 private:
  bool StartWatch(engine::StoreBucket& bucket, engine::WatchStart start, engine::Revision revision,
                  engine::Errc* error);
  // Revision where by_start_time / last start; 0 when nothing qualifies.
  engine::Revision FindStart(engine::StoreBucket& bucket, bool by_time);
  void DeliverEntry(const engine::WatchEvent& ev, size_t* max_pending);
  // Entries of the initial part whose keys are not valid NATS keys (one pass, cold path).
  uint64_t CountInvalidKeys(engine::StoreBucket& bucket, engine::WatchStart start,
                            engine::Revision revision);
  // Invalid-key entries of the initial part not yet passed.
  uint64_t InvalidAhead() const;
  void SendHeartbeat(int64_t now_ns);
  size_t SubscriberPending() const;
  // HasInterest(deliver subject), re-evaluated only when a subscription was added or removed
  // anywhere: with 10^4 idle watch consumers the periodic Tick would otherwise spend most of
  // its time in sublist lookups.
  bool HasSubscriber();

  JetStream& js_;
  const std::string stream_;
  const std::string bucket_;
  const std::string name_;
  ConsumerConfig config_;
  const int64_t created_ns_;
  engine::WatchOptions watch_options_;
  std::unique_ptr<engine::Watch> watch_;
  bool gone_ = false;

  uint64_t consumer_seq_ = 0;
  uint64_t initial_invalid_ = 0;  // initial entries with keys NATS cannot address
  uint64_t invalid_seen_ = 0;     // ... of which passed so far
  uint64_t delivered_stream_seq_ = 0;
  int64_t last_send_ns_;      // last data message or heartbeat
  int64_t last_interest_ns_;  // last time the deliver subject had a subscriber
  bool waiting_for_interest_ = false;
  bool paused_for_output_ = false;
  uint64_t interest_generation_ = ~uint64_t{0};  // sublist generation interest_ was read at
  bool interest_ = false;

  bool response_deferred_ = false;
  std::string deferred_reply_;
  std::string deferred_type_;

  std::string ack_prefix_;      // "$JS.ACK.<stream>.<consumer>.1."
  std::string subject_prefix_;  // "$KV.<bucket>."
  std::string subject_;         // scratch
  std::string reply_;           // scratch
  std::string headers_;         // scratch
};

}  // namespace kvgate::nats

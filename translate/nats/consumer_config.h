// File: translate/nats/consumer_config.h
// JetStream ConsumerConfig: parse a CONSUMER.CREATE body's "config", apply nats-server's
// defaults and checks (with its error codes), and write it back in nats-server's field order
// (clients read the echoed config, e.g. nats.c compares deliver_subject on reset).
//
//   JsResult<ConsumerConfig> c = ParseConsumerConfig(body["config"]);
//   if (!c.ok()) return Reply(c.error());
//   JsStatus st = CheckConsumerConfig(&*c, "$KV.b.>", /*ephemeral=*/true, 5000);
//   WriteConsumerConfig(w, *c);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/json.h"
#include "translate/nats/js_errors.h"

namespace kvgate::nats {

struct ConsumerConfig {
  std::string durable_name;
  std::string name;
  std::string description;
  std::string deliver_policy = "all";
  uint64_t opt_start_seq = 0;
  std::string opt_start_time;  // RFC 3339 as sent ("" = unset)
  std::string ack_policy = "none";
  int64_t ack_wait = 0;
  int64_t max_deliver = 0;
  std::string backoff;  // opaque JSON array
  std::string filter_subject;
  std::vector<std::string> filter_subjects;
  std::string replay_policy = "instant";
  uint64_t rate_limit_bps = 0;
  std::string sample_freq;
  int64_t max_waiting = 0;
  int64_t max_ack_pending = 0;
  int64_t idle_heartbeat = 0;  // ns
  bool flow_control = false;
  bool headers_only = false;
  int64_t max_batch = 0;
  int64_t max_expires = 0;
  int64_t max_bytes = 0;
  std::string deliver_subject;
  std::string deliver_group;
  int64_t inactive_threshold = 0;  // ns
  int64_t num_replicas = 0;
  bool mem_storage = false;
  bool direct = false;
  std::string metadata;  // opaque JSON object

  bool operator==(const ConsumerConfig& o) const = default;
  // Every filter (filter_subject or filter_subjects); empty = the whole stream.
  std::vector<std::string> Filters() const;
};

JsResult<ConsumerConfig> ParseConsumerConfig(const protocols::JsonValue& obj);
// nats-server's defaults plus its validity checks for a consumer of a stream whose only subject
// is `stream_subject`. Also kvgate's limits: push consumers with ack policy none only.
JsStatus CheckConsumerConfig(ConsumerConfig* cfg, std::string_view stream_subject, bool ephemeral,
                             int64_t default_inactive_ns);
void WriteConsumerConfig(protocols::JsonWriter& w, const ConsumerConfig& cfg);

}  // namespace kvgate::nats

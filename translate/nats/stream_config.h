// File: translate/nats/stream_config.h
// JetStream StreamConfig for KV buckets: parsing request bodies, nats-server's default
// normalization (so differently-shaped but equivalent configs compare equal on re-create),
// the KV-only checks, and the mapping to and from the engine's BucketConfig. Fields the engine
// does not interpret travel in BucketConfig::attachment as this config's JSON.
//
//   JsResult<StreamConfig> cfg = ParseStreamConfig(body);
//   if (!cfg.ok()) return Reply(cfg.error());
//   if (JsStatus st = NormalizeStreamConfig(&*cfg); !st.ok()) return Reply(st.error());
//   engine::BucketConfig bc = ToBucketConfig(*cfg);
//   StreamConfig shown = StreamConfigForBucket(bucket_name, bucket->config());
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types.h"
#include "protocols/json.h"
#include "translate/nats/js_errors.h"

namespace kvgate::nats {

struct StreamConfig {
  std::string name;
  std::string description;
  std::vector<std::string> subjects;
  std::string retention = "limits";
  int64_t max_consumers = -1;
  int64_t max_msgs = -1;
  int64_t max_bytes = -1;
  int64_t max_age = 0;  // ns
  int64_t max_msgs_per_subject = -1;
  int64_t max_msg_size = -1;
  std::string discard = "old";
  std::string storage = "file";
  int64_t num_replicas = 1;
  int64_t duplicate_window = 0;  // ns
  bool sealed = false;
  bool deny_delete = false;
  bool deny_purge = false;
  bool allow_rollup_hdrs = false;
  bool allow_direct = false;
  bool mirror_direct = false;
  bool discard_new_per_subject = false;
  bool allow_msg_ttl = false;
  std::string compression = "none";
  int64_t subject_delete_marker_ttl = 0;  // ns
  uint64_t first_seq = 0;
  // Members kvgate keeps but does not interpret, as compact JSON ("" when absent or empty).
  std::string placement;
  std::string republish;
  std::string metadata;
  std::string subject_transform;
  std::string mirror;
  std::string sources;

  bool operator==(const StreamConfig& o) const = default;
};

// Reads the known members of a StreamConfig JSON object (unknown members are ignored, as Go
// does). Type errors and unknown enum strings -> kInvalidJson.
JsResult<StreamConfig> ParseStreamConfig(const protocols::JsonValue& body);
// nats-server's defaults (0 -> -1 limits, replicas 1, duplicate window 2 min or max_age, ...)
// and its validity checks.
JsStatus NormalizeStreamConfig(StreamConfig* cfg);
// kvgate serves KV streams only: name KV_<bucket>, subjects exactly [$KV.<bucket>.>], limits
// retention, no mirror/sources, 1..64 revisions per key (-1 = 64). Returns the bucket name.
JsResult<std::string> ValidateKvStream(const StreamConfig& cfg);

engine::BucketConfig ToBucketConfig(const StreamConfig& cfg);
// How a bucket presents itself as a stream: its stored StreamConfig when it was created over
// NATS, KV defaults otherwise (e.g. a Redis database bucket), with the engine-interpreted
// fields taken from the live engine config.
StreamConfig StreamConfigForBucket(std::string_view bucket, const engine::BucketConfig& config);

void WriteStreamConfig(protocols::JsonWriter& w, const StreamConfig& cfg);
std::string SerializeStreamConfig(const StreamConfig& cfg);

// Engine bucket <-> stream names and subjects.
inline constexpr std::string_view kKvStreamPrefix = "KV_";
inline constexpr std::string_view kKvSubjectPrefix = "$KV.";
// "KV_b" -> "b" if the rest is a valid bucket name; empty otherwise.
std::string_view BucketOfStream(std::string_view stream);
std::string StreamOfBucket(std::string_view bucket);
// "$KV.b.>"
std::string SubjectOfBucket(std::string_view bucket);

}  // namespace kvgate::nats

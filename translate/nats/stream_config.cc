#include "translate/nats/stream_config.h"

#include "translate/nats/json_fields.h"

namespace kvgate::nats {
namespace {

constexpr int64_t kDefaultDuplicateWindow = 120'000'000'000;  // 2 min
constexpr int64_t kMinMaxAge = 100'000'000;                   // 100 ms
constexpr int64_t kMaxHistory = 64;

}  // namespace

std::string_view BucketOfStream(std::string_view stream) {
  if (stream.substr(0, kKvStreamPrefix.size()) != kKvStreamPrefix) return {};
  std::string_view bucket = stream.substr(kKvStreamPrefix.size());
  return engine::IsValidBucketName(bucket) ? bucket : std::string_view{};
}

std::string StreamOfBucket(std::string_view bucket) {
  std::string s(kKvStreamPrefix);
  s.append(bucket);
  return s;
}

std::string SubjectOfBucket(std::string_view bucket) {
  std::string s(kKvSubjectPrefix);
  s.append(bucket);
  s.append(".>");
  return s;
}

JsResult<StreamConfig> ParseStreamConfig(const protocols::JsonValue& body) {
  if (!body.is_object()) return JsErr::kInvalidJson;
  FieldReader r(body);
  StreamConfig c;
  r.Str("name", &c.name);
  r.Str("description", &c.description);
  r.StrList("subjects", &c.subjects);
  r.Enum("retention", &c.retention, {"limits", "interest", "workqueue"});
  r.Int("max_consumers", &c.max_consumers);
  r.Int("max_msgs", &c.max_msgs);
  r.Int("max_bytes", &c.max_bytes);
  r.Int("max_age", &c.max_age);
  r.Int("max_msgs_per_subject", &c.max_msgs_per_subject);
  r.Int("max_msg_size", &c.max_msg_size);
  r.Enum("discard", &c.discard, {"old", "new"});
  r.Enum("storage", &c.storage, {"file", "memory"});
  r.Int("num_replicas", &c.num_replicas);
  r.Int("duplicate_window", &c.duplicate_window);
  r.Bool("sealed", &c.sealed);
  r.Bool("deny_delete", &c.deny_delete);
  r.Bool("deny_purge", &c.deny_purge);
  r.Bool("allow_rollup_hdrs", &c.allow_rollup_hdrs);
  r.Bool("allow_direct", &c.allow_direct);
  r.Bool("mirror_direct", &c.mirror_direct);
  r.Bool("discard_new_per_subject", &c.discard_new_per_subject);
  r.Bool("allow_msg_ttl", &c.allow_msg_ttl);
  r.Enum("compression", &c.compression, {"none", "s2"});
  r.Int("subject_delete_marker_ttl", &c.subject_delete_marker_ttl);
  r.Uint("first_seq", &c.first_seq);
  r.Opaque("placement", &c.placement);
  r.Opaque("republish", &c.republish);
  r.Opaque("metadata", &c.metadata);
  r.Opaque("subject_transform", &c.subject_transform);
  r.Opaque("mirror", &c.mirror);
  r.Opaque("sources", &c.sources);
  if (!r.ok()) return JsErr::kInvalidJson;
  if (c.max_msg_size > INT32_MAX || c.max_msg_size < INT32_MIN) {
    return JsErr::kInvalidJson;  // an int32 in nats-server
  }
  return c;
}

JsStatus NormalizeStreamConfig(StreamConfig* cfg) {
  StreamConfig& c = *cfg;
  if (c.name.empty()) return JsError(JsErr::kStreamInvalidConfig, "stream name required");
  if (c.name.size() > 255) {
    return JsError(JsErr::kStreamInvalidConfig, "stream name is too long, maximum allowed is 255");
  }
  if (c.name.find_first_of(".*> \t") != std::string::npos) {
    return JsError(JsErr::kStreamInvalidConfig,
                   "stream name can not contain whitespace, '.', '*', '>'");
  }
  if (c.num_replicas < 0) return JsErr::kNegativeReplicas;
  if (c.num_replicas == 0) c.num_replicas = 1;
  if (c.num_replicas > 1) return JsErr::kReplicasNotSupported;
  for (int64_t* limit :
       {&c.max_consumers, &c.max_msgs, &c.max_bytes, &c.max_msgs_per_subject, &c.max_msg_size}) {
    if (*limit == 0) *limit = -1;
  }
  if (c.max_age < 0) {
    return JsError(JsErr::kStreamInvalidConfig, "max age can not be negative");
  }
  if (c.max_age != 0 && c.max_age < kMinMaxAge) {
    return JsError(JsErr::kStreamInvalidConfig, "max age needs to be >= 100ms");
  }
  if (c.duplicate_window < 0) {
    return JsError(JsErr::kStreamInvalidConfig, "duplicates window can not be negative");
  }
  if (c.duplicate_window == 0 && c.mirror.empty()) {
    c.duplicate_window = (c.max_age != 0 && c.max_age < kDefaultDuplicateWindow)
                             ? c.max_age
                             : kDefaultDuplicateWindow;
  }
  if (c.max_age != 0 && c.duplicate_window > c.max_age) {
    return JsError(JsErr::kStreamInvalidConfig, "duplicates window can not be larger then max age");
  }
  if (c.subject_delete_marker_ttl < 0) {
    return JsError(JsErr::kStreamInvalidConfig, "subject delete marker TTL can not be negative");
  }
  if (c.subjects.empty() && c.mirror.empty() && c.sources.empty()) c.subjects.push_back(c.name);
  return {};
}

JsResult<std::string> ValidateKvStream(const StreamConfig& cfg) {
  std::string_view b = BucketOfStream(cfg.name);
  if (b.empty()) {
    return JsError(JsErr::kStreamInvalidConfig,
                   "kvgate serves key-value streams only: the name must be KV_<bucket>");
  }
  if (!cfg.mirror.empty() || !cfg.sources.empty()) {
    return JsError(JsErr::kStreamInvalidConfig,
                   "kvgate does not support stream mirrors or sources");
  }
  if (cfg.subjects.size() != 1 || cfg.subjects[0] != SubjectOfBucket(b)) {
    return JsError(
        JsErr::kStreamInvalidConfig,
        "kvgate serves key-value streams only: subjects must be [\"" + SubjectOfBucket(b) + "\"]");
  }
  if (cfg.retention != "limits") {
    return JsError(JsErr::kStreamInvalidConfig,
                   "kvgate serves key-value streams only: retention must be limits");
  }
  if (cfg.max_msgs_per_subject > kMaxHistory) {
    return JsError(JsErr::kStreamInvalidConfig,
                   "kvgate keeps at most 64 revisions per key (max_msgs_per_subject)");
  }
  return std::string(b);
}

engine::BucketConfig ToBucketConfig(const StreamConfig& cfg) {
  engine::BucketConfig b;
  b.history =
      static_cast<uint32_t>(cfg.max_msgs_per_subject < 0 ? kMaxHistory : cfg.max_msgs_per_subject);
  b.max_age_ns = cfg.max_age;
  b.max_value_size = cfg.max_msg_size;
  b.max_bytes = cfg.max_bytes;
  b.max_keys = -1;
  b.allow_key_ttl = cfg.allow_msg_ttl;
  // Subject delete markers: a marker when max_age removes a key's last value, itself removed
  // after the marker TTL.
  b.marker_on_max_age = cfg.subject_delete_marker_ttl > 0;
  b.tombstone_ttl_ns = cfg.subject_delete_marker_ttl;
  b.description = cfg.description;
  // "file" streams are logged in the data directory (engine/redo.h); "memory" ones are not.
  b.storage = cfg.storage == "memory" ? engine::Storage::kMemory : engine::Storage::kFile;
  b.attachment = SerializeStreamConfig(cfg);
  return b;
}

StreamConfig StreamConfigForBucket(std::string_view bucket, const engine::BucketConfig& config) {
  StreamConfig c;
  bool stored = false;
  if (!config.attachment.empty()) {
    protocols::JsonValue v;
    if (protocols::ParseJson(config.attachment, &v)) {
      JsResult<StreamConfig> parsed = ParseStreamConfig(v);
      if (parsed.ok() && parsed->name == StreamOfBucket(bucket)) {
        c = std::move(*parsed);
        stored = true;
      }
    }
  }
  if (!stored) {
    // A bucket made elsewhere (a Redis database): present it as a typical KV stream.
    c = StreamConfig();
    c.name = StreamOfBucket(bucket);
    c.subjects = {SubjectOfBucket(bucket)};
    c.discard = "new";
    c.allow_direct = true;
    c.allow_rollup_hdrs = true;
    c.deny_delete = true;
  }
  // The engine's view wins for what it enforces (it may have been changed from the Redis side).
  const bool unlimited = c.max_msgs_per_subject < 0 && config.history == kMaxHistory;
  c.max_msgs_per_subject = unlimited ? int64_t{-1} : static_cast<int64_t>(config.history);
  c.max_age = config.max_age_ns;
  c.max_msg_size = config.max_value_size == 0 ? -1 : config.max_value_size;
  c.max_bytes = config.max_bytes == 0 ? -1 : config.max_bytes;
  c.allow_msg_ttl = config.allow_key_ttl;
  c.description = config.description;
  c.storage = config.storage == engine::Storage::kFile ? "file" : "memory";
  if (c.duplicate_window == 0 || (c.max_age != 0 && c.duplicate_window > c.max_age)) {
    c.duplicate_window = (c.max_age != 0 && c.max_age < kDefaultDuplicateWindow)
                             ? c.max_age
                             : kDefaultDuplicateWindow;
  }
  return c;
}

void WriteStreamConfig(protocols::JsonWriter& w, const StreamConfig& c) {
  w.BeginObject().Key("name").String(c.name);
  if (!c.description.empty()) w.Key("description").String(c.description);
  w.Key("subjects").BeginArray();
  for (const auto& s : c.subjects) w.String(s);
  w.EndArray();
  w.Key("retention").String(c.retention);
  w.Key("max_consumers").Int(c.max_consumers);
  w.Key("max_msgs").Int(c.max_msgs);
  w.Key("max_bytes").Int(c.max_bytes);
  w.Key("max_age").Int(c.max_age);
  w.Key("max_msgs_per_subject").Int(c.max_msgs_per_subject);
  w.Key("max_msg_size").Int(c.max_msg_size);
  w.Key("discard").String(c.discard);
  w.Key("storage").String(c.storage);
  w.Key("num_replicas").Int(c.num_replicas);
  w.Key("duplicate_window").Int(c.duplicate_window);
  if (!c.placement.empty()) w.Key("placement").Raw(c.placement);
  if (!c.mirror.empty()) w.Key("mirror").Raw(c.mirror);
  if (!c.sources.empty()) w.Key("sources").Raw(c.sources);
  // nats-server 2.9.10's member order.
  w.Key("allow_direct").Bool(c.allow_direct);
  w.Key("mirror_direct").Bool(c.mirror_direct);
  w.Key("sealed").Bool(c.sealed);
  w.Key("deny_delete").Bool(c.deny_delete);
  w.Key("deny_purge").Bool(c.deny_purge);
  w.Key("allow_rollup_hdrs").Bool(c.allow_rollup_hdrs);
  if (!c.republish.empty()) w.Key("republish").Raw(c.republish);
  if (c.discard_new_per_subject) w.Key("discard_new_per_subject").Bool(true);
  if (!c.metadata.empty()) w.Key("metadata").Raw(c.metadata);
  w.Key("compression").String(c.compression);
  if (c.first_seq != 0) w.Key("first_seq").Uint(c.first_seq);
  if (!c.subject_transform.empty()) w.Key("subject_transform").Raw(c.subject_transform);
  w.Key("consumer_limits").BeginObject().EndObject();
  if (c.allow_msg_ttl) w.Key("allow_msg_ttl").Bool(true);
  if (c.subject_delete_marker_ttl != 0) {
    w.Key("subject_delete_marker_ttl").Int(c.subject_delete_marker_ttl);
  }
  w.EndObject();
}

std::string SerializeStreamConfig(const StreamConfig& cfg) {
  std::string s;
  protocols::JsonWriter w(&s);
  WriteStreamConfig(w, cfg);
  return s;
}

}  // namespace kvgate::nats

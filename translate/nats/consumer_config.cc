#include "translate/nats/consumer_config.h"

#include "translate/nats/js_time.h"
#include "translate/nats/json_fields.h"
#include "translate/nats/subject.h"

namespace kvgate::nats {
namespace {

constexpr int64_t kDefaultAckWait = 30'000'000'000;  // 30 s

std::string PolicyName(std::string_view p) {
  if (p == "by_start_sequence") return "by start sequence";
  if (p == "by_start_time") return "by start time";
  if (p == "last_per_subject") return "last per subject";
  return std::string(p);
}

}  // namespace

std::vector<std::string> ConsumerConfig::Filters() const {
  if (!filter_subjects.empty()) return filter_subjects;
  if (!filter_subject.empty()) return {filter_subject};
  return {};
}

JsResult<ConsumerConfig> ParseConsumerConfig(const protocols::JsonValue& obj) {
  if (!obj.is_object()) return JsErr::kConsumerConfigRequired;
  FieldReader r(obj);
  ConsumerConfig c;
  r.Str("durable_name", &c.durable_name);
  r.Str("name", &c.name);
  r.Str("description", &c.description);
  r.Enum("deliver_policy", &c.deliver_policy,
         {"all", "last", "new", "by_start_sequence", "by_start_time", "last_per_subject"});
  r.Uint("opt_start_seq", &c.opt_start_seq);
  r.Str("opt_start_time", &c.opt_start_time);
  r.Enum("ack_policy", &c.ack_policy, {"none", "all", "explicit"});
  r.Int("ack_wait", &c.ack_wait);
  r.Int("max_deliver", &c.max_deliver);
  r.Opaque("backoff", &c.backoff);
  r.Str("filter_subject", &c.filter_subject);
  r.StrList("filter_subjects", &c.filter_subjects);
  r.Enum("replay_policy", &c.replay_policy, {"instant", "original"});
  r.Uint("rate_limit_bps", &c.rate_limit_bps);
  r.Str("sample_freq", &c.sample_freq);
  r.Int("max_waiting", &c.max_waiting);
  r.Int("max_ack_pending", &c.max_ack_pending);
  r.Int("idle_heartbeat", &c.idle_heartbeat);
  r.Bool("flow_control", &c.flow_control);
  r.Bool("headers_only", &c.headers_only);
  r.Int("max_batch", &c.max_batch);
  r.Int("max_expires", &c.max_expires);
  r.Int("max_bytes", &c.max_bytes);
  r.Str("deliver_subject", &c.deliver_subject);
  r.Str("deliver_group", &c.deliver_group);
  r.Int("inactive_threshold", &c.inactive_threshold);
  r.Int("num_replicas", &c.num_replicas);
  r.Bool("mem_storage", &c.mem_storage);
  r.Bool("direct", &c.direct);
  r.Opaque("metadata", &c.metadata);
  if (!r.ok()) return JsErr::kInvalidJson;
  int64_t ignored;
  if (!c.opt_start_time.empty() && !ParseRfc3339(c.opt_start_time, &ignored)) {
    return JsErr::kInvalidJson;
  }
  return c;
}

JsStatus CheckConsumerConfig(ConsumerConfig* cfg, std::string_view stream_subject, bool ephemeral,
                             int64_t default_inactive_ns) {
  ConsumerConfig& c = *cfg;
  // Defaults (nats-server setConsumerConfigDefaults).
  if (c.max_deliver == 0) c.max_deliver = -1;
  if (c.ack_wait == 0 && c.ack_policy != "none") c.ack_wait = kDefaultAckWait;
  if (ephemeral && c.inactive_threshold == 0) c.inactive_threshold = default_inactive_ns;
  if (c.num_replicas < 0) return JsErr::kNegativeReplicas;

  for (const std::string* n : {&c.durable_name, &c.name}) {
    if (n->find_first_of(".*> \t") != std::string::npos) {
      return JsErr::kBadDurableName;
    }
  }
  if (!c.durable_name.empty() && !c.name.empty() && c.durable_name != c.name) {
    return JsErr::kDurableNameMismatch;
  }
  if (c.deliver_subject.empty()) {
    return JsError(JsErr::kConsumerCreate,
                   "kvgate supports push consumers only (deliver_subject is required)");
  }
  if (!IsValidSubject(c.deliver_subject)) return JsErr::kInvalidDeliverSubject;
  if (!IsValidLiteralSubject(c.deliver_subject)) {
    return JsErr::kDeliverToWildcards;
  }
  if (c.flow_control && c.idle_heartbeat <= 0) return JsErr::kFlowControlNeedsHb;
  if (c.ack_policy != "none") {
    return JsError(JsErr::kConsumerCreate, "kvgate supports consumers with ack policy none only");
  }

  // Deliver policy and its optional start (messages as nats-server words them).
  const std::string policy = PolicyName(c.deliver_policy);
  const bool has_seq = c.opt_start_seq > 0;
  const bool has_time = !c.opt_start_time.empty();
  if (c.deliver_policy == "by_start_sequence") {
    if (!has_seq) {
      return JsError(JsErr::kInvalidPolicy,
                     "consumer delivery policy is deliver by start sequence, but optional start "
                     "sequence is not set");
    }
    if (has_time) {
      return JsError(JsErr::kInvalidPolicy,
                     "consumer delivery policy is deliver by start sequence, but optional start "
                     "time is also set");
    }
  } else if (c.deliver_policy == "by_start_time") {
    if (!has_time) {
      return JsError(JsErr::kInvalidPolicy,
                     "consumer delivery policy is deliver by start time, but optional start time "
                     "is not set");
    }
    if (has_seq) {
      return JsError(JsErr::kInvalidPolicy,
                     "consumer delivery policy is deliver by start time, but optional start "
                     "sequence is also set");
    }
  } else if (has_seq || has_time) {
    return JsError(JsErr::kInvalidPolicy, "consumer delivery policy is deliver " + policy +
                                              ", but optional start " +
                                              (has_seq ? "sequence" : "time") + " is also set");
  }

  // Filters: one or several, each a subset of the stream's subject, not overlapping.
  if (!c.filter_subject.empty() && !c.filter_subjects.empty()) {
    return JsErr::kDuplicateFilters;
  }
  const std::vector<std::string> filters = c.Filters();
  for (size_t i = 0; i < filters.size(); ++i) {
    if (filters[i].empty()) return JsErr::kEmptyFilter;
    if (!IsValidSubject(filters[i]) || !SubjectIsSubsetOf(filters[i], stream_subject)) {
      return JsErr::kFilterNotSubset;
    }
    for (size_t j = 0; j < i; ++j) {
      if (SubjectsCollide(filters[i], filters[j])) {
        return JsErr::kOverlappingFilters;
      }
    }
  }
  return {};
}

void WriteConsumerConfig(protocols::JsonWriter& w, const ConsumerConfig& c) {
  w.BeginObject();
  if (!c.durable_name.empty()) w.Key("durable_name").String(c.durable_name);
  if (!c.name.empty()) w.Key("name").String(c.name);
  if (!c.description.empty()) w.Key("description").String(c.description);
  w.Key("deliver_policy").String(c.deliver_policy);
  if (c.opt_start_seq != 0) w.Key("opt_start_seq").Uint(c.opt_start_seq);
  if (!c.opt_start_time.empty()) w.Key("opt_start_time").String(c.opt_start_time);
  w.Key("ack_policy").String(c.ack_policy);
  if (c.ack_wait != 0) w.Key("ack_wait").Int(c.ack_wait);
  if (c.max_deliver != 0) w.Key("max_deliver").Int(c.max_deliver);
  if (!c.backoff.empty()) w.Key("backoff").Raw(c.backoff);
  if (!c.filter_subject.empty()) w.Key("filter_subject").String(c.filter_subject);
  if (!c.filter_subjects.empty()) {
    w.Key("filter_subjects").BeginArray();
    for (const auto& f : c.filter_subjects) w.String(f);
    w.EndArray();
  }
  w.Key("replay_policy").String(c.replay_policy);
  if (c.rate_limit_bps != 0) w.Key("rate_limit_bps").Uint(c.rate_limit_bps);
  if (!c.sample_freq.empty()) w.Key("sample_freq").String(c.sample_freq);
  if (c.max_waiting != 0) w.Key("max_waiting").Int(c.max_waiting);
  if (c.max_ack_pending != 0) w.Key("max_ack_pending").Int(c.max_ack_pending);
  if (c.idle_heartbeat != 0) w.Key("idle_heartbeat").Int(c.idle_heartbeat);
  if (c.flow_control) w.Key("flow_control").Bool(true);
  if (c.headers_only) w.Key("headers_only").Bool(true);
  if (c.max_batch != 0) w.Key("max_batch").Int(c.max_batch);
  if (c.max_expires != 0) w.Key("max_expires").Int(c.max_expires);
  if (c.max_bytes != 0) w.Key("max_bytes").Int(c.max_bytes);
  if (!c.deliver_subject.empty()) w.Key("deliver_subject").String(c.deliver_subject);
  if (!c.deliver_group.empty()) w.Key("deliver_group").String(c.deliver_group);
  if (c.inactive_threshold != 0) w.Key("inactive_threshold").Int(c.inactive_threshold);
  w.Key("num_replicas").Int(c.num_replicas);
  if (c.mem_storage) w.Key("mem_storage").Bool(true);
  if (c.direct) w.Key("direct").Bool(true);
  if (!c.metadata.empty()) w.Key("metadata").Raw(c.metadata);
  w.EndObject();
}

}  // namespace kvgate::nats

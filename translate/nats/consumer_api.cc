// JetStream consumer API handlers: CONSUMER.CREATE (all three subject forms),
// CONSUMER.DURABLE.CREATE, CONSUMER.INFO, CONSUMER.DELETE, CONSUMER.NAMES, CONSUMER.LIST.
//
//   $JS.API.CONSUMER.CREATE.KV_b                      {"stream_name":"KV_b","config":{..}}
//   $JS.API.CONSUMER.CREATE.KV_b.oc_1                 (name from the subject)
//   $JS.API.CONSUMER.CREATE.KV_b.oc_1.$KV.b.k3        (name and filter from the subject)
#include "translate/nats/consumer.h"
#include "translate/nats/jetstream.h"
#include "translate/nats/json_fields.h"
#include "translate/nats/nats_front.h"

namespace kvgate::nats {
namespace {

constexpr std::string_view kCreateType = "consumer_create_response";
constexpr size_t kNamesLimit = 1024;
constexpr size_t kListLimit = 256;

// Splits "a.b.c.d" into "a" and "b.c.d" at the first '.'.
std::pair<std::string_view, std::string_view> SplitFirst(std::string_view s) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return {s, {}};
  return {s.substr(0, dot), s.substr(dot + 1)};
}

// Request bodies of the paged list APIs: {"offset":n}; an empty body means offset 0.
bool ParseOffset(std::string_view payload, uint64_t* offset) {
  *offset = 0;
  if (payload.empty()) return true;
  protocols::JsonValue v;
  if (!protocols::ParseJson(payload, &v)) return false;
  if (v.is_null()) return true;
  FieldReader r(v);
  r.Uint("offset", offset);
  return r.ok();
}

}  // namespace

void JetStream::ConsumerCreate(const JsRequest& req) {
  auto [stream, rest] = SplitFirst(req.arg);
  auto [name, filter] = SplitFirst(rest);
  if (!rest.empty() && name.empty()) {
    return RespondError(req, kCreateType, JsErr::kBadRequest);
  }
  CreateConsumerFrom(req, stream, std::string(name), filter, /*durable=*/false);
}

void JetStream::ConsumerDurableCreate(const JsRequest& req) {
  auto [stream, name] = SplitFirst(req.arg);
  if (name.empty() || name.find('.') != std::string_view::npos) {
    return RespondError(req, kCreateType, JsErr::kBadDurableName);
  }
  CreateConsumerFrom(req, stream, std::string(name), {}, /*durable=*/true);
}

void JetStream::CreateConsumerFrom(const JsRequest& req, std::string_view stream, std::string name,
                                   std::string_view subject_filter, bool durable) {
  JsResult<engine::BucketRef> stream_bucket = FindStreamBucket(stream);
  if (!stream_bucket.ok()) return RespondError(req, kCreateType, stream_bucket.error());
  engine::BucketRef bucket = *stream_bucket;
  protocols::JsonValue body;
  if (!protocols::ParseJson(req.payload, &body) || !body.is_object()) {
    return RespondError(req, kCreateType, JsErr::kInvalidJson);
  }
  std::string stream_name, action;
  FieldReader r(body);
  r.Str("stream_name", &stream_name);
  r.Enum("action", &action, {"create", "update"});
  if (!r.ok()) return RespondError(req, kCreateType, JsErr::kInvalidJson);
  if (!stream_name.empty() && stream_name != stream) {
    return RespondError(req, kCreateType, JsErr::kStreamMismatch);
  }
  const protocols::JsonValue* cfg_json = protocols::GetMember(body, "config");
  if (cfg_json == nullptr || cfg_json->is_null()) {
    return RespondError(req, kCreateType, JsErr::kConsumerConfigRequired);
  }
  JsResult<ConsumerConfig> parsed = ParseConsumerConfig(*cfg_json);
  if (!parsed.ok()) return RespondError(req, kCreateType, parsed.error());
  ConsumerConfig& cfg = *parsed;

  // Names and filters carried by the subject must agree with the body.
  if (durable) {
    if (!cfg.durable_name.empty() && cfg.durable_name != name) {
      return RespondError(req, kCreateType, JsErr::kDurableNameMismatch);
    }
    cfg.durable_name = name;
  } else if (!name.empty()) {
    if (!cfg.name.empty() && cfg.name != name) {
      return RespondError(req, kCreateType, JsErr::kDurableNameMismatch);
    }
    if (!cfg.durable_name.empty() && cfg.durable_name != name) {
      return RespondError(req, kCreateType, JsErr::kDurableNameMismatch);
    }
    cfg.name = name;
  } else {
    name = !cfg.durable_name.empty() ? cfg.durable_name : cfg.name;
  }
  if (!subject_filter.empty()) {
    if (!cfg.filter_subjects.empty()) {
      return RespondError(req, kCreateType, JsErr::kMultipleFiltersNotAllowed);
    }
    if (cfg.filter_subject != subject_filter) {
      return RespondError(req, kCreateType, JsErr::kFilterMismatch);
    }
  }
  const bool ephemeral = cfg.durable_name.empty();
  if (JsStatus st = CheckConsumerConfig(&cfg, SubjectOfBucket(bucket->name()), ephemeral,
                                        front_.config().default_inactive_threshold_ms * 1'000'000);
      !st.ok()) {
    return RespondError(req, kCreateType, st.error());
  }
  if (name.empty()) name = consumers_.NewName(stream);

  if (Consumer* existing = consumers_.Find(stream, name)) {
    if (existing->config() == cfg) {
      std::string s;
      protocols::JsonWriter w(&s);
      existing->WriteInfo(w, kCreateType);
      return Respond(req, s);
    }
    return RespondError(
        req, kCreateType,
        action == "create" ? JsErr::kConsumerAlreadyExists : JsErr::kConsumerNameExists);
  }
  if (action == "update") return RespondError(req, kCreateType, JsErr::kConsumerDoesNotExist);
  const StreamConfig& scfg = CachedStreamConfig(*bucket);
  if (consumers_.Total() >= front_.config().max_consumers ||
      (scfg.max_consumers > 0 &&
       consumers_.Count(stream) >= static_cast<size_t>(scfg.max_consumers))) {
    return RespondError(req, kCreateType, JsErr::kMaxConsumers);
  }

  auto consumer = std::make_unique<Consumer>(*this, std::string(stream), bucket->name(), name,
                                             std::move(cfg), store().clock().NowNs());
  if (JsStatus st = consumer->Start(*bucket); !st.ok()) {
    return RespondError(req, kCreateType, st.error());
  }
  if (!consumer->CountReady()) {
    // A filtered initial part is counted in slices (Consumer::Run); num_pending is known, and
    // the response sent, once that is done. Nothing is delivered before it.
    consumer->DeferCreateResponse(std::string(req.reply), std::string(kCreateType));
    consumers_.Add(std::move(consumer));
    return;
  }
  std::string s;
  protocols::JsonWriter w(&s);
  consumer->WriteInfo(w, kCreateType);
  // Deliveries start in RunPending, i.e. after this response (nats.js subscribes only then).
  consumers_.Add(std::move(consumer));
  Respond(req, s);
}

void JetStream::ConsumerInfo(const JsRequest& req) {
  constexpr std::string_view kType = "consumer_info_response";
  auto [stream, name] = SplitFirst(req.arg);
  if (JsResult<engine::BucketRef> b = FindStreamBucket(stream); !b.ok()) {
    return RespondError(req, kType, b.error());
  }
  Consumer* c = consumers_.Find(stream, name);
  if (c == nullptr) return RespondError(req, kType, JsErr::kConsumerNotFound);
  std::string s;
  protocols::JsonWriter w(&s);
  c->WriteInfo(w, kType);
  Respond(req, s);
}

void JetStream::ConsumerDelete(const JsRequest& req) {
  constexpr std::string_view kType = "consumer_delete_response";
  auto [stream, name] = SplitFirst(req.arg);
  if (JsResult<engine::BucketRef> b = FindStreamBucket(stream); !b.ok()) {
    return RespondError(req, kType, b.error());
  }
  if (consumers_.Find(stream, name) == nullptr) {
    return RespondError(req, kType, JsErr::kConsumerNotFound);
  }
  consumers_.Delete(stream, name);
  std::string s;
  protocols::JsonWriter w(&s);
  BeginResponse(w, kType);
  w.Key("success").Bool(true).EndObject();
  Respond(req, s);
}

void JetStream::ConsumerNamesApi(const JsRequest& req) {
  ConsumerNamesOrList(req, /*list=*/false);
}

void JetStream::ConsumerListApi(const JsRequest& req) {
  ConsumerNamesOrList(req, /*list=*/true);
}

void JetStream::ConsumerNamesOrList(const JsRequest& req, bool list) {
  const std::string_view type = list ? "consumer_list_response" : "consumer_names_response";
  std::string_view stream = req.arg;
  if (JsResult<engine::BucketRef> b = FindStreamBucket(stream); !b.ok()) {
    return RespondPagedError(req, type, b.error());
  }
  uint64_t offset = 0;
  if (!ParseOffset(req.payload, &offset)) {
    return RespondPagedError(req, type, JsErr::kInvalidJson);
  }
  std::vector<std::string> names = consumers_.Names(stream);
  const size_t limit = list ? kListLimit : kNamesLimit;
  std::string s;
  protocols::JsonWriter w(&s);
  BeginResponse(w, type);
  w.Key("total").Uint(names.size()).Key("offset").Uint(offset).Key("limit").Uint(limit);
  w.Key("consumers");
  size_t begin = std::min<uint64_t>(offset, names.size());
  size_t end = std::min(names.size(), begin + limit);
  if (!list && begin == end) {
    w.Null();
  } else {
    w.BeginArray();
    for (size_t i = begin; i < end; ++i) {
      if (list) {
        consumers_.Find(stream, names[i])->WriteInfo(w, {});
      } else {
        w.String(names[i]);
      }
    }
    w.EndArray();
  }
  w.EndObject();
  Respond(req, s);
}

}  // namespace kvgate::nats

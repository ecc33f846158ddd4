#include "translate/nats/jetstream.h"

#include "translate/nats/js_time.h"
#include "translate/nats/nats_front.h"
#include "translate/nats/subject.h"

namespace kvgate::nats {
namespace {

constexpr std::string_view kApiPrefix = "$JS.API.";
// JetStream API level reported in $JS.API.INFO (jsm.go gates features on it): level 1 is
// per-message TTL plus subject delete markers, both implemented.
constexpr uint64_t kApiLevel = 1;

}  // namespace

// Longer names before their prefixes ("STREAM.MSG.GET" is not "STREAM.MSG" + arg).
const JetStream::ApiRoute JetStream::kRoutes[] = {
    {"INFO", false, &JetStream::AccountInfo, "account_info_response"},
    {"STREAM.CREATE", true, &JetStream::StreamCreate, "stream_create_response"},
    {"STREAM.UPDATE", true, &JetStream::StreamUpdate, "stream_update_response"},
    {"STREAM.INFO", true, &JetStream::StreamInfo, "stream_info_response"},
    {"STREAM.DELETE", true, &JetStream::StreamDelete, "stream_delete_response"},
    {"STREAM.PURGE", true, &JetStream::StreamPurge, "stream_purge_response"},
    {"STREAM.NAMES", false, &JetStream::StreamNames, "stream_names_response"},
    {"STREAM.LIST", false, &JetStream::StreamList, "stream_list_response"},
    {"STREAM.MSG.GET", true, &JetStream::StreamMsgGet, "stream_msg_get_response"},
    {"STREAM.MSG.DELETE", true, &JetStream::StreamMsgDelete, "stream_msg_delete_response"},
    {"CONSUMER.CREATE", true, &JetStream::ConsumerCreate, "consumer_create_response"},
    {"CONSUMER.DURABLE.CREATE", true, &JetStream::ConsumerDurableCreate,
     "consumer_create_response"},
    {"CONSUMER.INFO", true, &JetStream::ConsumerInfo, "consumer_info_response"},
    {"CONSUMER.DELETE", true, &JetStream::ConsumerDelete, "consumer_delete_response"},
    {"CONSUMER.NAMES", true, &JetStream::ConsumerNamesApi, "consumer_names_response"},
    {"CONSUMER.LIST", true, &JetStream::ConsumerListApi, "consumer_list_response"},
};

JetStream::JetStream(NatsFront& front)
    : front_(front), consumers_(static_cast<uint64_t>(front.store().clock().NowNs()) ^ 0x5bd1e995) {
}

JetStream::~JetStream() = default;

engine::Store& JetStream::store() {
  return front_.store();
}

bool JetStream::OnPublish(const natswire::PubFrame& frame) {
  if (!front_.config().jetstream) return false;
  if (front_.persistence() != nullptr && front_.persistence()->loading()) return Unavailable(frame);
  if (HasPrefix(frame.subject, kApiPrefix)) {
    JsRequest req{frame.subject, {}, frame.reply, frame.headers, frame.payload};
    std::string_view api = frame.subject.substr(kApiPrefix.size());
    if (HasPrefix(api, "DIRECT.GET.")) {
      req.arg = api.substr(std::string_view("DIRECT.GET.").size());
      return DirectGet(req);
    }
    HandleApi(req);
    return true;
  }
  // Flow-control replies and acks: accepted and ignored (kvgate never asks for flow control,
  // and KV consumers use ack policy none).
  if (HasPrefix(frame.subject, "$JS.FC.") || HasPrefix(frame.subject, "$JS.ACK.")) return true;
  if (HasPrefix(frame.subject, kKvSubjectPrefix)) return KvPublish(frame);
  return false;
}

void JetStream::HandleApi(const JsRequest& in) {
  ++api_total_;
  std::string_view api = in.subject.substr(kApiPrefix.size());
  for (const ApiRoute& route : kRoutes) {
    JsRequest req = in;
    if (route.takes_arg) {
      if (api.size() <= route.name.size() + 1 || !HasPrefix(api, route.name) ||
          api[route.name.size()] != '.') {
        continue;
      }
      req.arg = api.substr(route.name.size() + 1);
    } else if (api != route.name) {
      continue;
    }
    if (RequiresNewerApi(req)) {
      return RespondError(req, route.response_type, JsErr::kRequiredApiLevel);
    }
    (this->*route.handler)(req);
    return;
  }
  Unsupported(in);
}

bool JetStream::RequiresNewerApi(const JsRequest& req) {
  // jsm.go asks for features of newer servers with this header (nats-server 2.12+). kvgate is
  // at API level 1: per-message TTL (Nats-TTL) and subject delete markers (max_age markers).
  if (req.headers.empty()) return false;
  natswire::HeaderBlock& h = header_scratch_;
  if (!natswire::ParseHeaderBlock(req.headers, &h)) return false;
  std::optional<std::string_view> level = h.Get("Nats-Required-Api-Level");
  if (!level || level->empty()) return false;
  uint64_t required = 0;
  for (char ch : *level) {
    if (ch < '0' || ch > '9') return true;  // unparsable: not something we can promise
    required = required * 10 + static_cast<uint64_t>(ch - '0');
    if (required > kApiLevel) return true;
  }
  return required > kApiLevel;
}

bool JetStream::Unavailable(const natswire::PubFrame& frame) {
  // The data directory is still being replayed: no stream may be read or written yet.
  if (HasPrefix(frame.subject, kApiPrefix)) {
    if (HasPrefix(frame.subject.substr(kApiPrefix.size()), "DIRECT.GET.")) return false;
    std::string s;
    protocols::JsonWriter w(&s);
    w.BeginObject();
    WriteJsError(w, JsErr::kUnavailable);
    w.EndObject();
    Respond({frame.subject, {}, frame.reply, frame.headers, frame.payload}, s);
    return true;
  }
  if (!HasPrefix(frame.subject, kKvSubjectPrefix)) return false;
  std::string_view rest = frame.subject.substr(kKvSubjectPrefix.size());
  const std::string stream =
      std::string(kKvStreamPrefix) + std::string(rest.substr(0, rest.find('.')));
  PubAckError(frame.reply, stream, JsErr::kUnavailable);
  return true;
}

void JetStream::Unsupported(const JsRequest& req) {
  std::string s;
  protocols::JsonWriter w(&s);
  w.BeginObject();
  WriteJsError(w, {JsErr::kNotSupported, "kvgate does not implement " + std::string(req.subject)});
  w.EndObject();
  ++api_errors_;
  Respond(req, s);
}

void JetStream::BeginResponse(protocols::JsonWriter& w, std::string_view type) {
  std::string t(kTypePrefix);
  t.append(type);
  w.BeginObject().Key("type").String(t);
}

void JetStream::Respond(const JsRequest& req, std::string_view json) {
  if (req.reply.empty()) return;
  front_.Reply(req.reply, {}, json);
}

void JetStream::RespondError(const JsRequest& req, std::string_view type, const JsError& err) {
  RespondErrorWith(req, type, err, /*paged=*/false);
}

void JetStream::RespondPagedError(const JsRequest& req, std::string_view type, const JsError& err) {
  RespondErrorWith(req, type, err, /*paged=*/true);
}

void JetStream::RespondErrorWith(const JsRequest& req, std::string_view type, const JsError& err,
                                 bool paged) {
  ++api_errors_;
  std::string s;
  protocols::JsonWriter w(&s);
  BeginResponse(w, type);
  WriteJsError(w, err);
  if (paged) w.Key("total").Int(0).Key("offset").Int(0).Key("limit").Int(0);
  w.EndObject();
  Respond(req, s);
}

JsResult<engine::BucketRef> JetStream::FindStreamBucket(std::string_view stream) {
  std::string_view name = BucketOfStream(stream);
  engine::BucketRef bucket = name.empty() ? nullptr : store().FindBucket(name);
  if (bucket == nullptr) return JsErr::kStreamNotFound;
  return bucket;
}

void JetStream::AccountInfo(const JsRequest& req) {
  std::vector<std::string> buckets = store().ListBuckets();
  std::string s;
  protocols::JsonWriter w(&s);
  BeginResponse(w, "account_info_response");
  w.Key("memory")
      .Uint(store().MemoryUsed())
      .Key("storage")
      .Int(0)
      .Key("streams")
      .Uint(buckets.size())
      .Key("consumers")
      .Uint(consumers_.Total());
  w.Key("limits")
      .BeginObject()
      .Key("max_memory")
      .Int(-1)
      .Key("max_storage")
      .Int(-1)
      .Key("max_streams")
      .Int(-1)
      .Key("max_consumers")
      .Int(-1)
      .Key("max_ack_pending")
      .Int(-1)
      .Key("memory_max_stream_bytes")
      .Int(-1)
      .Key("storage_max_stream_bytes")
      .Int(-1)
      .Key("max_bytes_required")
      .Bool(false)
      .EndObject();
  w.Key("api")
      .BeginObject()
      .Key("level")
      .Uint(kApiLevel)
      .Key("total")
      .Uint(api_total_)
      .Key("errors")
      .Uint(api_errors_)
      .EndObject();
  w.EndObject();
  Respond(req, s);
}

void JetStream::WriteStreamInfoFields(protocols::JsonWriter& w, engine::StoreBucket& bucket,
                                      const SubjectCounts* subjects) {
  engine::BucketStatus st = bucket.GetStatus();
  w.Key("config");
  WriteStreamConfig(w, StreamConfigForBucket(bucket.name(), bucket.config()));
  w.Key("created").String(FormatRfc3339Nano(st.created_ns));
  uint64_t span = st.entries == 0 ? 0 : st.last_revision - st.first_revision + 1;
  uint64_t deleted = span > st.entries ? span - st.entries : 0;
  // nats-server's byte accounting: subject + headers + payload + 16 per stored message.
  const uint64_t overhead = 16 + kKvSubjectPrefix.size() + bucket.name().size() + 1;
  w.Key("state")
      .BeginObject()
      .Key("messages")
      .Uint(st.entries)
      .Key("bytes")
      .Uint(st.bytes + st.entries * overhead)
      // A stream that never stored anything reports first_seq 0; after a purge, last + 1.
      .Key("first_seq")
      .Uint(st.last_revision == 0 ? 0 : st.first_revision)
      .Key("first_ts")
      .String(FormatRfc3339Nano(st.entries == 0 ? 0 : st.first_ns))
      .Key("last_seq")
      .Uint(st.last_revision)
      .Key("last_ts")
      .String(FormatRfc3339Nano(st.last_ns));
  if (st.keys > 0) w.Key("num_subjects").Uint(st.keys);
  if (deleted > 0) w.Key("num_deleted").Uint(deleted);
  if (subjects != nullptr) {
    w.Key("subjects").BeginObject();
    for (const auto& [subject, n] : *subjects) w.Key(subject).Uint(n);
    w.EndObject();
  }
  w.Key("consumer_count").Uint(consumers_.Count(StreamOfBucket(bucket.name())));
  w.EndObject();
}

const StreamConfig& JetStream::CachedStreamConfig(engine::StoreBucket& bucket) {
  auto it = config_cache_.find(bucket.name());
  if (it == config_cache_.end()) {
    it = config_cache_.emplace(bucket.name(), CachedConfig()).first;
  } else if (it->second.attachment == bucket.config().attachment &&
             !it->second.config.name.empty()) {
    return it->second.config;
  }
  it->second.attachment = bucket.config().attachment;
  it->second.config = StreamConfigForBucket(bucket.name(), bucket.config());
  return it->second.config;
}

void JetStream::ForgetStreamConfig(std::string_view bucket) {
  config_cache_.erase(std::string(bucket));
  msg_ids_.Forget(bucket);
}

void JetStream::RunPending() {
  answers_.RunPending();
  consumers_.RunPending(front_.config().consumer_batch);
}

void JetStream::Tick() {
  consumers_.Tick(store().clock().NowNs());
}

}  // namespace kvgate::nats

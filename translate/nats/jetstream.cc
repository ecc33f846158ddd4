#include "translate/nats/jetstream.h"

#include <algorithm>

#include "translate/nats/consumer.h"
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
    : front_(front), rng_(static_cast<uint64_t>(front.engine().clock().NowNs()) ^ 0x5bd1e995) {
}

JetStream::~JetStream() = default;

engine::Engine& JetStream::engine() {
  return front_.engine();
}

uint64_t JetStream::Random() {
  uint64_t z = (rng_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool JetStream::OnPublish(const PubFrame& frame) {
  if (!front_.config().jetstream) return false;
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
  HeaderBlock& h = header_scratch_;
  if (!ParseHeaderBlock(req.headers, &h)) return false;
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

void JetStream::Unsupported(const JsRequest& req) {
  std::string s;
  protocols::JsonWriter w(&s);
  w.BeginObject();
  WriteJsError(w, JsErr::kNotSupported, "kvgate does not implement " + std::string(req.subject));
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

void JetStream::RespondError(const JsRequest& req, std::string_view type, JsErr err,
                             std::string_view detail, bool paged) {
  ++api_errors_;
  std::string s;
  protocols::JsonWriter w(&s);
  BeginResponse(w, type);
  WriteJsError(w, err, detail);
  if (paged) w.Key("total").Int(0).Key("offset").Int(0).Key("limit").Int(0);
  w.EndObject();
  Respond(req, s);
}

engine::Bucket* JetStream::FindStreamBucket(std::string_view stream) {
  std::string_view bucket = BucketOfStream(stream);
  if (bucket.empty()) return nullptr;
  return engine().FindBucket(bucket);
}

void JetStream::AccountInfo(const JsRequest& req) {
  std::vector<std::string> buckets = engine().ListBuckets();
  std::string s;
  protocols::JsonWriter w(&s);
  BeginResponse(w, "account_info_response");
  w.Key("memory")
      .Uint(engine().MemoryUsed())
      .Key("storage")
      .Int(0)
      .Key("streams")
      .Uint(buckets.size())
      .Key("consumers")
      .Uint(total_consumers_);
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

void JetStream::WriteStreamInfoFields(protocols::JsonWriter& w, engine::Bucket& bucket,
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
  w.Key("consumer_count").Uint(ConsumerCount(StreamOfBucket(bucket.name())));
  w.EndObject();
}

const StreamConfig& JetStream::CachedStreamConfig(engine::Bucket& bucket) {
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
  msg_ids_.erase(std::string(bucket));
}

// ---- consumers ----

void JetStream::MarkReady(Consumer* consumer) {
  if (consumer->queued) return;
  consumer->queued = true;
  ready_.push_back(consumer);
}

size_t JetStream::ConsumerCount(std::string_view stream) const {
  auto it = consumers_.find(std::string(stream));
  return it == consumers_.end() ? 0 : it->second.size();
}

Consumer* JetStream::FindConsumer(std::string_view stream, std::string_view name) {
  auto it = consumers_.find(std::string(stream));
  if (it == consumers_.end()) return nullptr;
  auto c = it->second.find(std::string(name));
  return c == it->second.end() ? nullptr : c->second.get();
}

void JetStream::AddConsumer(std::unique_ptr<Consumer> consumer) {
  Consumer* raw = consumer.get();
  auto& by_name = consumers_[raw->stream()];
  by_name[raw->name()] = std::move(consumer);
  ++total_consumers_;
  raw->tick_index = tick_order_.size();
  tick_order_.push_back(raw);
  MarkReady(raw);
}

void JetStream::DeleteConsumer(std::string_view stream, std::string_view name) {
  auto it = consumers_.find(std::string(stream));
  if (it == consumers_.end()) return;
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
  --total_consumers_;
  if (it->second.empty()) consumers_.erase(it);
}

void JetStream::DeleteStreamConsumers(std::string_view stream) {
  for (const std::string& name : ConsumerNames(stream)) DeleteConsumer(stream, name);
}

std::vector<std::string> JetStream::ConsumerNames(std::string_view stream) const {
  std::vector<std::string> names;
  auto it = consumers_.find(std::string(stream));
  if (it == consumers_.end()) return names;
  for (const auto& [name, c] : it->second) names.push_back(name);
  return names;
}

std::string JetStream::NewConsumerName(std::string_view stream) {
  static constexpr char kAlnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (;;) {
    std::string name;
    uint64_t r = Random();
    for (int i = 0; i < 8; ++i) {
      name.push_back(kAlnum[r % 62]);
      r /= 62;
    }
    if (FindConsumer(stream, name) == nullptr) return name;
  }
}

void JetStream::RunPending() {
  if (ready_.empty()) return;
  std::vector<Consumer*> batch;
  batch.swap(ready_);
  for (Consumer* c : batch) c->queued = false;
  std::vector<std::pair<std::string, std::string>> dead;
  for (Consumer* c : batch) {
    switch (c->Run(front_.config().consumer_batch)) {
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
  for (const auto& [stream, name] : dead) DeleteConsumer(stream, name);
}

void JetStream::Park(std::vector<Consumer*>* list, Consumer* c) {
  if (std::find(list->begin(), list->end(), c) == list->end()) list->push_back(c);
}

void JetStream::Tick() {
  const int64_t now = engine().clock().NowNs();
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
    switch (c->Tick(now)) {
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
  for (const auto& [stream, name] : dead) DeleteConsumer(stream, name);
}

void JetStream::OnInterestAdded(std::string_view subject) {
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

void JetStream::OnOutputDrained() {
  for (Consumer* c : paused_) MarkReady(c);
  paused_.clear();
}

}  // namespace kvgate::nats

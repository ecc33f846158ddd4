// JetStream stream API handlers over engine buckets: STREAM.CREATE / UPDATE / INFO / DELETE /
// PURGE / NAMES / LIST / MSG.DELETE. Bucket `b` is stream `KV_b` with subjects `$KV.b.>`.
//
//   $JS.API.STREAM.CREATE.KV_b  {"name":"KV_b","subjects":["$KV.b.>"],"max_msgs_per_subject":5,..}
//   $JS.API.STREAM.NAMES        {"subject":"$KV.b.k"}  -> {"streams":["KV_b"],..}
#include <map>

#include "translate/nats/jetstream.h"
#include "translate/nats/json_fields.h"
#include "translate/nats/kv_headers.h"
#include "translate/nats/nats_front.h"
#include "translate/nats/subject.h"

namespace kvgate::nats {
namespace {

constexpr size_t kNamesLimit = 1024;
constexpr size_t kListLimit = 256;
constexpr size_t kMaxSubjectDetails = 100'000;

}  // namespace

void JetStream::StreamCreate(const JsRequest& req) {
  StreamCreateOrUpdate(req, /*update=*/false);
}

void JetStream::StreamUpdate(const JsRequest& req) {
  StreamCreateOrUpdate(req, /*update=*/true);
}

void JetStream::StreamCreateOrUpdate(const JsRequest& req, bool update) {
  const std::string_view type = update ? "stream_update_response" : "stream_create_response";
  protocols::JsonValue body;
  if (!protocols::ParseJson(req.payload, &body) || !body.is_object()) {
    return RespondError(req, type, JsErr::kInvalidJson);
  }
  JsResult<StreamConfig> parsed = ParseStreamConfig(body);
  if (!parsed.ok()) return RespondError(req, type, parsed.error());
  StreamConfig& cfg = *parsed;
  if (cfg.name != req.arg) return RespondError(req, type, JsErr::kStreamMismatch);
  if (JsStatus st = NormalizeStreamConfig(&cfg); !st.ok()) {
    return RespondError(req, type, st.error());
  }
  // Another stream already captures some of these subjects (checked first, like nats-server).
  for (const std::string& other : store().ListBuckets()) {
    if (StreamOfBucket(other) == cfg.name || !engine::IsValidBucketName(other)) continue;
    for (const std::string& subject : cfg.subjects) {
      if (SubjectsCollide(subject, SubjectOfBucket(other))) {
        return RespondError(req, type, JsErr::kSubjectsOverlap);
      }
    }
  }
  JsResult<std::string> kv_bucket = ValidateKvStream(cfg);
  if (!kv_bucket.ok()) return RespondError(req, type, kv_bucket.error());
  const std::string& bucket_name = *kv_bucket;
  engine::BucketRef bucket = store().FindBucket(bucket_name);

  // The response, once the store has made the change (now, or later for a remote store).
  auto respond = [this, reply = std::string(req.reply), type = std::string(type), bucket_name,
                  update](engine::WriteResult r) {
    JsRequest out;
    out.reply = reply;
    if (!r.ok()) return RespondError(out, type, JsErrorFromErrc(JsOp::kStreamConfig, r.errc()));
    ForgetStreamConfig(bucket_name);
    engine::BucketRef made = store().FindBucket(bucket_name);
    if (made == nullptr) return RespondError(out, type, JsErr::kStreamNotFound);
    std::string s;
    protocols::JsonWriter w(&s);
    BeginResponse(w, type);
    WriteStreamInfoFields(w, *made);
    if (!update) w.Key("did_create").Bool(true);
    w.EndObject();
    Respond(out, s);
  };
  if (!update) {
    if (bucket != nullptr) {
      // Idempotent create: equal after normalization (clients send different field sets).
      if (!(StreamConfigForBucket(bucket_name, bucket->config()) == cfg)) {
        return RespondError(req, type, JsErr::kStreamNameExists);
      }
      return respond(uint64_t{0});
    }
    const engine::BucketConfig bc = ToBucketConfig(cfg);
    return answers().Await(
        [&](translate::LateAnswers::Answer a) {
          store().CreateBucket(bucket_name, bc, a.Bucket());
        },
        respond);
  }
  if (bucket == nullptr) return RespondError(req, type, JsErr::kStreamNotFound);
  const engine::BucketConfig& old_bc = bucket->config();
  StreamConfig old_cfg = StreamConfigForBucket(bucket_name, old_bc);
  if (old_cfg.storage != cfg.storage) {
    return RespondError(
        req, type,
        {JsErr::kStreamInvalidConfig, "stream configuration update can not change storage type"});
  }
  engine::BucketConfig bc = ToBucketConfig(cfg);
  // Keep what only the engine (or the Redis side) knows about.
  bc.max_keys = old_bc.max_keys;
  if (cfg.subject_delete_marker_ttl == 0) bc.tombstone_ttl_ns = old_bc.tombstone_ttl_ns;
  answers().Await(
      [&](translate::LateAnswers::Answer a) { store().UpdateBucket(bucket_name, bc, a.Write()); },
      respond);
}

void JetStream::StreamInfo(const JsRequest& req) {
  constexpr std::string_view kType = "stream_info_response";
  JsResult<engine::BucketRef> stream_bucket = FindStreamBucket(req.arg);
  if (!stream_bucket.ok()) return RespondPagedError(req, kType, stream_bucket.error());
  engine::BucketRef bucket = *stream_bucket;
  std::string subjects_filter;
  uint64_t offset = 0;
  if (!req.payload.empty()) {
    protocols::JsonValue body;
    if (!protocols::ParseJson(req.payload, &body)) {
      return RespondPagedError(req, kType, JsErr::kInvalidJson);
    }
    if (!body.is_null()) {
      FieldReader r(body);
      bool deleted_details = false;
      r.Str("subjects_filter", &subjects_filter);
      r.Uint("offset", &offset);
      r.Bool("deleted_details", &deleted_details);
      if (!r.ok()) return RespondPagedError(req, kType, JsErr::kInvalidJson);
    }
  }

  // Per-subject message counts when asked (cold path: one pass over the matching history).
  std::map<std::string, uint64_t> counts;
  engine::Result<engine::KeyFilter> filter = engine::Errc::kNotFound;
  if (!subjects_filter.empty()) filter = KeyFilterForSubject(bucket->name(), subjects_filter);
  if (filter.ok()) {
    engine::WatchOptions o;
    o.filters.push_back(*filter);
    o.start = engine::WatchStart::kAllHistory;
    o.meta_only = true;
    // A failed scan reports the counts it reached (the stream info itself is still right).
    (void)engine::ScanInitialPart(*bucket, o, [&](const engine::EntryView& e) {
      ++counts[KvSubject(bucket->name(), e.key)];
      return true;
    });
  }

  const bool paged = !subjects_filter.empty();
  SubjectCounts page;
  if (paged) {
    size_t index = 0;
    for (auto& [subject, n] : counts) {
      if (index++ < offset) continue;
      if (page.size() == kMaxSubjectDetails) break;
      page.emplace_back(subject, n);
    }
  }
  std::string s;
  protocols::JsonWriter w(&s);
  BeginResponse(w, kType);
  w.Key("total")
      .Uint(paged ? counts.size() : 0)
      .Key("offset")
      .Uint(paged ? offset : 0)
      .Key("limit")
      .Uint(paged ? kMaxSubjectDetails : 0);
  WriteStreamInfoFields(w, *bucket, paged ? &page : nullptr);
  w.EndObject();
  Respond(req, s);
}

void JetStream::StreamDelete(const JsRequest& req) {
  constexpr std::string_view kType = "stream_delete_response";
  JsResult<engine::BucketRef> stream_bucket = FindStreamBucket(req.arg);
  if (!stream_bucket.ok()) return RespondError(req, kType, stream_bucket.error());
  engine::BucketRef bucket = *stream_bucket;
  std::string name = bucket->name();
  consumers_.DeleteStream(req.arg);
  answers().Await(
      [&](translate::LateAnswers::Answer a) { store().DeleteBucket(name, a.Write()); },
      [this, reply = std::string(req.reply), name, type = kType](engine::WriteResult r) {
        JsRequest out;
        out.reply = reply;
        if (!r.ok()) return RespondError(out, type, JsErr::kStreamNotFound);
        ForgetStreamConfig(name);
        std::string s;
        protocols::JsonWriter w(&s);
        BeginResponse(w, type);
        w.Key("success").Bool(true).EndObject();
        Respond(out, s);
      });
}

void JetStream::StreamPurge(const JsRequest& req) {
  constexpr std::string_view kType = "stream_purge_response";
  JsResult<engine::BucketRef> stream_bucket = FindStreamBucket(req.arg);
  if (!stream_bucket.ok()) return RespondError(req, kType, stream_bucket.error());
  engine::BucketRef bucket = *stream_bucket;
  std::string filter_subject;
  uint64_t keep = 0, seq = 0;
  if (!req.payload.empty()) {
    protocols::JsonValue body;
    if (!protocols::ParseJson(req.payload, &body)) {
      return RespondError(req, kType, JsErr::kInvalidJson);
    }
    if (!body.is_null()) {
      FieldReader r(body);
      r.Str("filter", &filter_subject);
      r.Uint("keep", &keep);
      r.Uint("seq", &seq);
      if (!r.ok()) return RespondError(req, kType, JsErr::kInvalidJson);
    }
  }
  if (keep > 0 && seq > 0) return RespondError(req, kType, JsErr::kBadRequest);
  if (CachedStreamConfig(*bucket).deny_purge) {
    return RespondError(req, kType, {JsErr::kStreamInvalidConfig, "stream purge not permitted"});
  }
  engine::Result<engine::KeyFilter> filter = engine::KeyFilter::All();
  if (!filter_subject.empty()) filter = KeyFilterForSubject(bucket->name(), filter_subject);
  answers().Await(
      [&](translate::LateAnswers::Answer a) {
        if (filter_subject.empty() && keep == 0 && seq == 0) return bucket->Flush(a.Write());
        // A filter no key can match purges nothing.
        if (!filter.ok()) return a.Write()(engine::WriteResult(uint64_t{0}));
        bucket->PurgeEntries(*filter, keep, seq, a.Write());
      },
      [this, reply = std::string(req.reply), type = kType](engine::WriteResult r) {
        JsRequest out;
        out.reply = reply;
        std::string s;
        protocols::JsonWriter w(&s);
        BeginResponse(w, type);
        w.Key("success").Bool(true).Key("purged").Uint(r.ok() ? *r : 0).EndObject();
        Respond(out, s);
      });
}

void JetStream::StreamNames(const JsRequest& req) {
  StreamNamesOrList(req, /*list=*/false);
}

void JetStream::StreamList(const JsRequest& req) {
  StreamNamesOrList(req, /*list=*/true);
}

void JetStream::StreamNamesOrList(const JsRequest& req, bool list) {
  const std::string_view type = list ? "stream_list_response" : "stream_names_response";
  uint64_t offset = 0;
  std::string subject;
  if (!req.payload.empty()) {
    protocols::JsonValue body;
    if (!protocols::ParseJson(req.payload, &body)) {
      return RespondPagedError(req, type, JsErr::kInvalidJson);
    }
    if (!body.is_null()) {
      FieldReader r(body);
      r.Uint("offset", &offset);
      r.Str("subject", &subject);
      if (!r.ok()) return RespondPagedError(req, type, JsErr::kInvalidJson);
    }
  }
  // Streams whose subject collides with the filter (both may hold wildcards), sorted by name.
  std::vector<std::string> matches;
  for (const std::string& bucket : store().ListBuckets()) {
    if (!engine::IsValidBucketName(bucket)) continue;  // not addressable as a stream
    if (subject.empty() || SubjectsCollide(subject, SubjectOfBucket(bucket))) {
      matches.push_back(bucket);
    }
  }
  const size_t limit = list ? kListLimit : kNamesLimit;
  const size_t begin = std::min<uint64_t>(offset, matches.size());
  const size_t end = std::min(matches.size(), begin + limit);
  std::string s;
  protocols::JsonWriter w(&s);
  BeginResponse(w, type);
  w.Key("total").Uint(matches.size()).Key("offset").Uint(offset).Key("limit").Uint(limit);
  w.Key("streams");
  if (!list && begin == end) {
    w.Null();  // nats-server's empty names page; nats.c treats it as "no stream"
  } else {
    w.BeginArray();
    for (size_t i = begin; i < end; ++i) {
      if (list) {
        engine::BucketRef bucket = store().FindBucket(matches[i]);
        w.BeginObject();
        WriteStreamInfoFields(w, *bucket);
        w.EndObject();
      } else {
        w.String(StreamOfBucket(matches[i]));
      }
    }
    w.EndArray();
  }
  w.EndObject();
  Respond(req, s);
}

void JetStream::StreamMsgDelete(const JsRequest& req) {
  constexpr std::string_view kType = "stream_msg_delete_response";
  JsResult<engine::BucketRef> stream_bucket = FindStreamBucket(req.arg);
  if (!stream_bucket.ok()) return RespondError(req, kType, stream_bucket.error());
  engine::BucketRef bucket = *stream_bucket;
  if (CachedStreamConfig(*bucket).deny_delete) {
    return RespondError(req, kType, {JsErr::kMsgDeleteFailed, "message delete not permitted"});
  }
  // The engine keeps revisions per key; removing one arbitrary revision is not supported.
  RespondError(req, kType,
               {JsErr::kMsgDeleteFailed,
                "kvgate cannot delete individual messages (use KV delete or purge)"});
}

}  // namespace kvgate::nats

// Single-message reads: STREAM.MSG.GET (JSON response with base64 data/hdrs) and DIRECT.GET
// (the raw message: stored headers + Nats-Stream/Subject/Sequence/Time-Stamp, status headers
// for errors). Both accept {"seq":n}, {"last_by_subj":s}, {"next_by_subj":s[,"seq":n]};
// DIRECT.GET also takes the subject as trailing tokens: $JS.API.DIRECT.GET.KV_b.$KV.b.k.
#include "translate/nats/collection_json.h"
#include "translate/nats/jetstream.h"
#include "translate/nats/js_time.h"
#include "translate/nats/json_fields.h"
#include "translate/nats/kv_headers.h"
#include "translate/nats/nats_front.h"
#include "translate/nats/subject.h"

namespace kvgate::nats {
namespace {

struct GetRequest {
  uint64_t seq = 0;
  std::string last_by_subj;
  std::string next_by_subj;
};

enum class GetParse : uint8_t { kOk, kEmpty, kMalformed, kBad };

GetParse ParseGetRequest(std::string_view payload, GetRequest* out) {
  if (payload.empty()) return GetParse::kEmpty;
  protocols::JsonValue body;
  if (!protocols::ParseJson(payload, &body) || !body.is_object()) return GetParse::kMalformed;
  FieldReader r(body);
  r.Uint("seq", &out->seq);
  r.Str("last_by_subj", &out->last_by_subj);
  r.Str("next_by_subj", &out->next_by_subj);
  if (!r.ok()) return GetParse::kMalformed;
  // nats-server: exactly one way of selecting the message.
  const bool last = !out->last_by_subj.empty(), next = !out->next_by_subj.empty();
  if ((out->seq > 0 && last) || (last && next) || (out->seq == 0 && !last && !next)) {
    return GetParse::kBad;
  }
  return GetParse::kOk;
}

// Finds the entry; the view is valid until the bucket is next mutated.
engine::Result<engine::EntryView> Lookup(engine::StoreBucket& bucket, const GetRequest& g) {
  if (!g.next_by_subj.empty()) {
    engine::Result<engine::KeyFilter> f = KeyFilterForSubject(bucket.name(), g.next_by_subj);
    if (!f.ok()) return f.errc();
    return bucket.GetNextMatching(g.seq, *f);
  }
  if (g.last_by_subj.empty()) return bucket.GetByRevision(g.seq);
  engine::Result<engine::KeyFilter> filter = KeyFilterForSubject(bucket.name(), g.last_by_subj);
  if (!filter.ok()) return filter.errc();
  const engine::KeyFilter& f = *filter;
  if (f.kind() == engine::KeyFilter::Kind::kExact) return bucket.GetLatest(f.text());
  // A wildcard subject: the newest entry among the matching keys (cold path).
  engine::WatchOptions o;
  o.filters.push_back(f);
  o.start = engine::WatchStart::kLatestPerKey;
  o.meta_only = true;
  engine::Revision newest = 0;
  // A watch that cannot start finds nothing: not found, as for no matching key.
  (void)engine::ScanInitialPart(bucket, o, [&](const engine::EntryView& e) {
    newest = std::max(newest, e.revision);
    return true;
  });
  if (newest == 0) return engine::Errc::kNotFound;
  return bucket.GetByRevision(newest);
}

}  // namespace

void JetStream::StreamMsgGet(const JsRequest& req) {
  constexpr std::string_view kType = "stream_msg_get_response";
  JsResult<engine::BucketRef> stream_bucket = FindStreamBucket(req.arg);
  if (!stream_bucket.ok()) return RespondError(req, kType, stream_bucket.error());
  engine::BucketRef bucket = *stream_bucket;
  GetRequest g;
  switch (ParseGetRequest(req.payload, &g)) {
    case GetParse::kOk:
      break;
    case GetParse::kMalformed:
      return RespondError(req, kType, JsErr::kInvalidJson);
    case GetParse::kEmpty:
    case GetParse::kBad:
      return RespondError(req, kType, JsErr::kBadRequest);
  }
  auto found = Lookup(*bucket, g);
  if (!found.ok()) return RespondError(req, kType, JsErr::kNoMessageFound);
  const engine::EntryView& e = *found;
  std::string block;
  AppendEntryHeaderBlock(e, {}, &block);
  std::string s;
  protocols::JsonWriter w(&s);
  BeginResponse(w, kType);
  w.Key("message").BeginObject();
  w.Key("subject").String(KvSubject(bucket->name(), e.key));
  w.Key("seq").Uint(e.revision);
  if (!block.empty()) w.Key("hdrs").String(Base64Encode(block));
  if (e.object != nullptr) {
    w.Key("data").String(Base64Encode(CollectionJson(*e.object)));
  } else if (!e.value.empty()) {
    w.Key("data").String(Base64Encode(e.value));
  }
  w.Key("time").String(FormatRfc3339Nano(e.created_ns));
  w.EndObject().EndObject();
  Respond(req, s);
}

bool JetStream::DirectGet(const JsRequest& req) {
  size_t dot = req.arg.find('.');
  std::string_view stream = req.arg.substr(0, dot);
  JsResult<engine::BucketRef> stream_bucket = FindStreamBucket(stream);
  // nats-server does not answer for unknown streams or streams without allow_direct; here
  // nobody serves the subject, so the requester gets no-responders instead of a timeout.
  if (!stream_bucket.ok() || !CachedStreamConfig(**stream_bucket).allow_direct) return false;
  engine::BucketRef bucket = *stream_bucket;
  if (req.reply.empty()) return true;
  auto status = [&](std::string_view block) { front_.Reply(req.reply, block, {}); };
  GetRequest g;
  if (dot != std::string_view::npos) {
    g.last_by_subj.assign(req.arg.substr(dot + 1));
    if (!IsValidSubject(g.last_by_subj)) {
      status("NATS/1.0 408 Bad Request\r\n\r\n");
      return true;
    }
  } else {
    switch (ParseGetRequest(req.payload, &g)) {
      case GetParse::kOk:
        break;
      case GetParse::kEmpty:
        status("NATS/1.0 408 Empty Request\r\n\r\n");
        return true;
      case GetParse::kMalformed:
        status("NATS/1.0 408 Malformed Request\r\n\r\n");
        return true;
      case GetParse::kBad:
        status("NATS/1.0 408 Bad Request\r\n\r\n");
        return true;
    }
  }
  auto found = Lookup(*bucket, g);
  if (!found.ok()) {
    status("NATS/1.0 404 Message Not Found\r\n\r\n");
    return true;
  }
  const engine::EntryView& e = *found;
  std::string block;
  natswire::HeaderBuilder b(&block);
  b.Start();
  AppendEntryFieldLines(e, &block);
  b.Add("Nats-Stream", stream);
  b.Add("Nats-Subject", KvSubject(bucket->name(), e.key));
  b.AddUint("Nats-Sequence", e.revision);
  b.Add("Nats-Time-Stamp", FormatRfc3339Nano(e.created_ns));
  b.Finish();
  if (e.object != nullptr) {
    front_.Reply(req.reply, block, CollectionJson(*e.object));
  } else {
    front_.Reply(req.reply, block, e.value);
  }
  return true;
}

}  // namespace kvgate::nats

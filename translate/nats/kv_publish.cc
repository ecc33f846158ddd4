// `$KV.<bucket>.<key>` publishes: the message is stored as the key's next revision with its
// header block verbatim (returned by get/watch), and the publisher gets a PubAck
// {"stream":"KV_b","seq":N} or a JetStream error in the PubAck.
//
// Headers honoured: KV-Operation (DEL / PURGE), Nats-Expected-Last-Subject-Sequence (CAS),
// Nats-Expected-Last-Sequence, Nats-Expected-Stream, Nats-Rollup (sub / all), Nats-TTL
// (per-key expiry; needs allow_msg_ttl), Nats-Msg-Id (dedupe within duplicate_window).
#include <charconv>
#include <limits>

#include "protocols/ascii.h"
#include "translate/nats/jetstream.h"
#include "translate/nats/js_time.h"
#include "translate/nats/nats_front.h"

namespace kvgate::nats {
namespace {

constexpr int64_t kNsPerSec = 1'000'000'000;
constexpr uint64_t kNatsMsgOverhead = 16;  // nats-server memStoreMsgSize's fixed part

// Decimal sequence header; nats-server turns an unparsable value into a value that never matches.
uint64_t ParseSeq(std::string_view s) {
  uint64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    return std::numeric_limits<uint64_t>::max();
  }
  return v;
}

}  // namespace

void JetStream::PubAckError(std::string_view reply, std::string_view stream, const JsError& err) {
  if (reply.empty()) return;
  std::string s;
  protocols::JsonWriter w(&s);
  w.BeginObject();
  WriteJsError(w, err);
  w.Key("stream").String(stream).Key("seq").Int(0).EndObject();
  front_.Reply(reply, {}, s);
}

void JetStream::PubAck(std::string_view reply, std::string_view stream, uint64_t seq,
                       bool duplicate) {
  if (reply.empty()) return;
  std::string s;
  protocols::JsonWriter w(&s);
  w.BeginObject().Key("stream").String(stream).Key("seq").Uint(seq);
  if (duplicate) w.Key("duplicate").Bool(true);
  w.EndObject();
  front_.Reply(reply, {}, s);
}

bool JetStream::KvPublish(const natswire::PubFrame& f) {
  std::string_view rest = f.subject.substr(kKvSubjectPrefix.size());
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return false;
  std::string_view bucket_name = rest.substr(0, dot);
  std::string_view key = rest.substr(dot + 1);
  engine::BucketRef bucket = store().FindBucket(bucket_name);
  if (bucket == nullptr) return false;  // no stream: the publisher gets no-responders
  stream_scratch_.assign(kKvStreamPrefix);
  stream_scratch_.append(bucket_name);
  const std::string& stream = stream_scratch_;

  if (!engine::IsValidNatsKey(key)) {
    PubAckError(f.reply, stream, {JsErr::kNotSupported, "invalid key"});
    return true;
  }
  natswire::HeaderBlock& h = header_scratch_;
  h.Clear();
  if (!f.headers.empty() && !natswire::ParseHeaderBlock(f.headers, &h)) {
    PubAckError(f.reply, stream, {JsErr::kNotSupported, "malformed message headers"});
    return true;
  }
  const StreamConfig& scfg = CachedStreamConfig(*bucket);
  // Checks in nats-server's order (processJetStreamMsg): expected stream, duplicate id,
  // expected last subject sequence, expected last sequence, rollup, message size, limits.
  if (auto expected = h.Get("Nats-Expected-Stream"); expected && *expected != stream) {
    PubAckError(f.reply, stream, JsErr::kStreamNotMatch);
    return true;
  }
  std::optional<std::string_view> msg_id = h.Get("Nats-Msg-Id");
  if (msg_id && !msg_id->empty()) {
    if (uint64_t seq = msg_ids_.Find(bucket->name(), *msg_id, scfg.duplicate_window,
                                     store().clock().NowNs())) {
      PubAck(f.reply, stream, seq, /*duplicate=*/true);
      return true;
    }
  }
  engine::WriteOptions o;
  o.meta = f.headers;
  if (auto expected = h.Get("Nats-Expected-Last-Subject-Sequence")) {
    o.expected_revision = ParseSeq(*expected);
    // Checked here too (the engine re-checks atomically) so that a CAS failure wins over the
    // size and limit errors below, as in nats-server.
    auto latest = bucket->GetLatest(key);
    engine::Revision current = latest.ok() ? latest->revision : 0;
    if (current != *o.expected_revision) {
      PubAckError(f.reply, stream, {JsErr::kWrongLastSequence, std::to_string(current)});
      return true;
    }
  }
  if (auto expected = h.Get("Nats-Expected-Last-Sequence")) {
    engine::Revision last = bucket->LastRevision();
    if (ParseSeq(*expected) != last) {
      PubAckError(f.reply, stream, {JsErr::kWrongLastSequence, std::to_string(last)});
      return true;
    }
  }
  enum class Rollup : uint8_t { kNone, kSubject, kAll } rollup = Rollup::kNone;
  if (auto r = h.Get("Nats-Rollup")) {
    if (!scfg.allow_rollup_hdrs || scfg.deny_purge) {
      PubAckError(f.reply, stream, {JsErr::kRollupFailed, "rollup not permitted"});
      return true;
    }
    if (protocols::EqualsIgnoreCase(*r, "sub")) {
      rollup = Rollup::kSubject;
    } else if (protocols::EqualsIgnoreCase(*r, "all")) {
      rollup = Rollup::kAll;
    } else {
      PubAckError(f.reply, stream,
                  {JsErr::kRollupFailed, "rollup value invalid: \"" + std::string(*r) + "\""});
      return true;
    }
  }
  const engine::BucketConfig& bc = bucket->config();
  if (bc.max_value_size >= 0 &&
      f.headers.size() + f.payload.size() > static_cast<uint64_t>(bc.max_value_size)) {
    PubAckError(f.reply, stream, JsErr::kMessageTooLarge);
    return true;
  }
  if (scfg.discard == "new" && bc.max_bytes > 0 && !FitsMaxBytes(*bucket, key, f)) {
    PubAckError(f.reply, stream, {JsErr::kStoreFailed, "maximum bytes exceeded"});
    return true;
  }
  if (auto ttl = h.Get("Nats-TTL")) {
    int64_t ns = 0;
    if (!ParseNatsTtl(*ttl, &ns) || (ns >= 0 && ns < kNsPerSec)) {
      PubAckError(f.reply, stream, JsErr::kInvalidTtl);
      return true;
    }
    if (!bc.allow_key_ttl) {
      PubAckError(f.reply, stream, JsErr::kTtlDisabled);
      return true;
    }
    if (ns > 0) o.expire_at_ms = front_.NowMs() + ns / 1'000'000;
  }

  std::optional<std::string_view> op = h.Get("KV-Operation");
  engine::WriteRequest request = engine::WriteRequest::Put(key, f.payload, o);
  bool purge_marker = false;
  if (op && *op == "DEL") {
    request = engine::WriteRequest::Delete(key, o);
  } else if (op && *op == "PURGE") {
    request = engine::WriteRequest::Purge(key, o);  // the engine's purge is itself a rollup
    purge_marker = true;
  }
  KvPubOutcome outcome{f.reply, stream, bucket->name(), key, msg_id.value_or("")};
  if (rollup == Rollup::kSubject && !purge_marker) {
    outcome.rollup = KvPubOutcome::Rollup::kSubject;
  } else if (rollup == Rollup::kAll) {
    outcome.rollup = KvPubOutcome::Rollup::kAll;
  }
  // The PubAck goes out with the store's answer: at once from the in-memory engine (views of
  // this frame, nothing allocated), or later with owned copies.
  answers_.Await([&](translate::LateAnswers::Answer a) { bucket->Write(request, a.Write()); },
                 [&](engine::WriteResult r) { FinishKvPublish(outcome, std::move(r)); },
                 [&] {
                   return [this, owned = OwnedKvPubOutcome(outcome)](engine::WriteResult r) {
                     FinishKvPublish(owned.view(), std::move(r));
                   };
                 });
  return true;
}

void JetStream::FinishKvPublish(const KvPubOutcome& out, engine::WriteResult r) {
  if (!r.ok()) {
    PubAckError(out.reply, out.stream, JsErrorFromErrc(JsOp::kWrite, r.errc(), r.detail()));
    return;
  }
  const engine::Revision seq = *r;
  if (!out.msg_id.empty()) {
    msg_ids_.Remember(std::string(out.bucket), out.msg_id, seq, store().clock().NowNs());
  }
  if (out.rollup == KvPubOutcome::Rollup::kNone) {
    PubAck(out.reply, out.stream, seq, /*duplicate=*/false);
    return;
  }
  // The rollup drops what the new entry supersedes, then the publisher is acknowledged.
  engine::BucketRef bucket = store().FindBucket(out.bucket);
  if (bucket == nullptr) return PubAck(out.reply, out.stream, seq, /*duplicate=*/false);
  const engine::KeyFilter filter = out.rollup == KvPubOutcome::Rollup::kSubject
                                       ? engine::KeyFilter::Exact(out.key)
                                       : engine::KeyFilter::All();
  answers_.Await(
      [&](translate::LateAnswers::Answer a) {
        bucket->PurgeEntries(filter, /*keep=*/1, /*below=*/0, a.Write());
      },
      [&](engine::WriteResult) { PubAck(out.reply, out.stream, seq, /*duplicate=*/false); },
      [&] {
        return [this, reply = std::string(out.reply), stream = std::string(out.stream),
                seq](engine::WriteResult) { PubAck(reply, stream, seq, /*duplicate=*/false); };
      });
}

bool JetStream::FitsMaxBytes(engine::StoreBucket& bucket, std::string_view key,
                             const natswire::PubFrame& f) {
  // nats-server 2.9's discard-new byte limit (memstore/filestore storeRawMsg), in its units: a
  // stored message counts subject + headers + payload + 16 (the engine counts key + value +
  // meta per entry); the incoming one counts headers + payload only.
  const uint64_t overhead = kNatsMsgOverhead + kKvSubjectPrefix.size() + bucket.name().size() + 1;
  const engine::BucketStatus st = bucket.GetStatus();
  const uint64_t used = st.bytes + st.entries * overhead;
  const uint64_t size = f.headers.size() + f.payload.size();
  const uint64_t max = static_cast<uint64_t>(bucket.config().max_bytes);
  if (used + size < max) return true;
  // At the key's history limit its oldest revision is dropped: enough if it is no smaller.
  std::vector<engine::EntryView> history = bucket.History(key);
  if (history.empty() || history.size() < bucket.config().history) return false;
  const engine::EntryView& oldest = history.front();
  return oldest.key.size() + oldest.value.size() + oldest.meta.size() + overhead >= size;
}

}  // namespace kvgate::nats

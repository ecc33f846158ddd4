#include "translate/nats/consumer.h"

#include <algorithm>
#include <charconv>

#include "translate/nats/jetstream.h"
#include "translate/nats/js_time.h"
#include "translate/nats/kv_headers.h"
#include "translate/nats/nats_front.h"
#include "translate/nats/stream_config.h"

namespace kvgate::nats {
namespace {

constexpr size_t kPollChunk = 32;      // entries per Poll between output checks
constexpr size_t kCountSlice = 16384;  // retained entries counted per Run (~1-2 ms)

void AppendUint(std::string* s, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  s->append(buf, static_cast<size_t>(r.ptr - buf));
}

void AppendInt(std::string* s, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  s->append(buf, static_cast<size_t>(r.ptr - buf));
}

// "$KV.b.<pattern>" -> a key filter (the subject was checked to be a subset of "$KV.b.>").
engine::KeyFilter FilterOf(std::string_view subject, std::string_view subject_prefix) {
  return engine::KeyFilter::Tokens(subject.substr(subject_prefix.size()));
}

}  // namespace

Consumer::Consumer(JetStream& js, std::string stream, std::string bucket, std::string name,
                   ConsumerConfig config, int64_t created_ns)
    : js_(js),
      stream_(std::move(stream)),
      bucket_(std::move(bucket)),
      name_(std::move(name)),
      config_(std::move(config)),
      created_ns_(created_ns),
      last_send_ns_(created_ns),
      last_interest_ns_(created_ns) {
  ack_prefix_ = "$JS.ACK." + stream_ + "." + name_ + ".1.";
  subject_prefix_ = KvSubject(bucket_, "");
}

Consumer::~Consumer() = default;

JsStatus Consumer::Start(engine::StoreBucket& bucket) {
  for (const std::string& f : config_.Filters()) {
    watch_options_.filters.push_back(FilterOf(f, subject_prefix_));
  }
  watch_options_.meta_only = config_.headers_only;
  watch_options_.incremental_count = true;
  engine::WatchStart start = engine::WatchStart::kAllHistory;
  engine::Revision revision = 0;
  const std::string& p = config_.deliver_policy;
  if (p == "last_per_subject") {
    start = engine::WatchStart::kLatestPerKey;
  } else if (p == "new") {
    start = engine::WatchStart::kNewOnly;
    delivered_stream_seq_ = bucket.LastRevision();
  } else if (p == "by_start_sequence") {
    start = engine::WatchStart::kFromRevision;
    revision = config_.opt_start_seq;
    delivered_stream_seq_ = revision - 1;
  } else if (p == "by_start_time" || p == "last") {
    revision = FindStart(bucket, p == "by_start_time");
    start = revision == 0 ? engine::WatchStart::kNewOnly : engine::WatchStart::kFromRevision;
    delivered_stream_seq_ = revision == 0 ? bucket.LastRevision() : revision - 1;
  }
  // Keys written by the Redis side need not be valid NATS subjects; they are never delivered
  // (their subject would corrupt the MSG line). Count those in the initial part so num_pending
  // and the pending tokens still reach 0 exactly at the end of the initial values. Only buckets
  // not created over NATS can hold them.
  if (bucket.config().attachment.empty())
    initial_invalid_ = CountInvalidKeys(bucket, start, revision);
  engine::Errc e = engine::Errc::kOk;
  if (!StartWatch(bucket, start, revision, &e)) return JsErrorFromErrc(JsOp::kConsumerWatch, e);
  return {};
}

bool Consumer::StartWatch(engine::StoreBucket& bucket, engine::WatchStart start,
                          engine::Revision revision, engine::Errc* error) {
  watch_options_.start = start;
  watch_options_.revision = revision;
  watch_.reset();
  auto w = bucket.StartWatch(watch_options_, this);
  if (!w.ok()) {
    *error = w.errc();
    return false;
  }
  watch_ = std::move(*w);
  return true;
}

engine::Revision Consumer::FindStart(engine::StoreBucket& bucket, bool by_time) {
  // Cold path (these policies are not used by KV clients): one pass over a temporary watch.
  int64_t start_ns = 0;
  if (by_time) ParseRfc3339(config_.opt_start_time, &start_ns);
  engine::WatchOptions o = watch_options_;
  o.start = by_time ? engine::WatchStart::kAllHistory : engine::WatchStart::kLatestPerKey;
  o.meta_only = true;
  engine::Revision found = 0;
  // A failed scan leaves what it found so far: the consumer then starts there or at new.
  (void)engine::ScanInitialPart(bucket, o, [&](const engine::EntryView& e) {
    if (!by_time) {
      found = std::max(found, e.revision);
      return true;
    }
    if (e.created_ns < start_ns) return true;
    found = e.revision;
    return false;
  });
  return found;
}

uint64_t Consumer::CountInvalidKeys(engine::StoreBucket& bucket, engine::WatchStart start,
                                    engine::Revision revision) {
  engine::WatchOptions o = watch_options_;
  o.start = start;
  o.revision = revision;
  o.meta_only = true;
  uint64_t invalid = 0;
  // A failed scan counts what it passed; the consumer's own watch reports the failure.
  (void)engine::ScanInitialPart(bucket, o, [&](const engine::EntryView& e) {
    if (!engine::IsValidNatsKey(e.key)) ++invalid;
    return true;
  });
  return invalid;
}

uint64_t Consumer::InvalidAhead() const {
  return initial_invalid_ > invalid_seen_ ? initial_invalid_ - invalid_seen_ : 0;
}

void Consumer::OnWatchReady(engine::Watch& /*watch*/) {
  js_.consumers().MarkReady(this);
}

size_t Consumer::SubscriberPending() const {
  return js_.front().MaxPendingFor(config_.deliver_subject);
}

bool Consumer::HasSubscriber() {
  const uint64_t generation = js_.front().interest_generation();
  if (generation != interest_generation_) {
    interest_ = js_.front().HasInterest(config_.deliver_subject);
    interest_generation_ = generation;
  }
  return interest_;
}

Consumer::RunResult Consumer::Run(size_t budget) {
  if (gone_ || !watch_) return RunResult::kGone;
  if (!watch_->CountReady() && !watch_->AdvanceCount(kCountSlice)) return RunResult::kMore;
  NatsFront& front = js_.front();
  if (response_deferred_) {
    response_deferred_ = false;
    std::string s;
    protocols::JsonWriter w(&s);
    WriteInfo(w, deferred_type_);
    front.Reply(deferred_reply_, {}, s);
  }
  if (!HasSubscriber()) {
    waiting_for_interest_ = true;
    return RunResult::kNoInterest;
  }
  waiting_for_interest_ = false;
  if (SubscriberPending() > front.config().consumer_high_water_bytes) {
    paused_for_output_ = true;
    return RunResult::kOutputFull;
  }
  paused_for_output_ = false;
  size_t done = 0;
  while (done < budget) {
    size_t max_pending = 0;
    engine::Errc failed = engine::Errc::kOk;
    size_t n = watch_->Poll(std::min(kPollChunk, budget - done), [&](const engine::WatchEvent& ev) {
      switch (ev.kind) {
        case engine::WatchEvent::Kind::kEntry:
          DeliverEntry(ev, &max_pending);
          break;
        case engine::WatchEvent::Kind::kInitialDone:
          break;
        case engine::WatchEvent::Kind::kFailed:
          failed = ev.error;
          break;
      }
    });
    if (failed == engine::Errc::kSlowConsumer) {
      // The watch's bounded queue overflowed while we were paused: resume right after what was
      // delivered. Consumer sequence numbers stay contiguous.
      engine::BucketRef bucket = js_.store().FindBucket(bucket_);
      engine::Errc e;
      if (bucket == nullptr ||
          !StartWatch(*bucket, engine::WatchStart::kFromRevision, watch_->Position() + 1, &e)) {
        gone_ = true;
        return RunResult::kGone;
      }
      initial_invalid_ = invalid_seen_ = 0;
      continue;
    }
    if (failed != engine::Errc::kOk) {
      gone_ = true;  // bucket deleted (or an error a consumer cannot recover from)
      return RunResult::kGone;
    }
    if (n == 0) break;
    done += n;
    if (max_pending > front.config().consumer_high_water_bytes) {
      paused_for_output_ = true;
      return watch_->HasEvents() ? RunResult::kOutputFull : RunResult::kIdle;
    }
  }
  return watch_->HasEvents() ? RunResult::kMore : RunResult::kIdle;
}

void Consumer::DeliverEntry(const engine::WatchEvent& ev, size_t* max_pending) {
  const engine::EntryView& e = ev.entry;
  if (!engine::IsValidNatsKey(e.key)) {
    if (ev.initial) ++invalid_seen_;
    return;  // not addressable over NATS (see Start); consumer sequence stays contiguous
  }
  const uint64_t ahead = ev.initial ? InvalidAhead() : 0;
  const uint64_t pending = ev.pending > ahead ? ev.pending - ahead : 0;
  ++consumer_seq_;
  delivered_stream_seq_ = e.revision;

  subject_.assign(subject_prefix_);
  subject_.append(e.key);

  reply_.assign(ack_prefix_);
  AppendUint(&reply_, e.revision);
  reply_.push_back('.');
  AppendUint(&reply_, consumer_seq_);
  reply_.push_back('.');
  AppendInt(&reply_, e.created_ns);
  reply_.push_back('.');
  AppendUint(&reply_, pending);

  headers_.clear();
  std::string_view payload = e.value;
  if (config_.headers_only) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof(buf), ev.value_size);
    AppendEntryHeaderBlock(e, {{"Nats-Msg-Size", std::string_view(buf, r.ptr - buf)}}, &headers_);
    payload = {};
  } else {
    AppendEntryHeaderBlock(e, {}, &headers_);
  }
  RouteResult r =
      js_.front().Route(nullptr, config_.deliver_subject, subject_, reply_, headers_, payload);
  *max_pending = std::max(*max_pending, r.max_pending);
  last_send_ns_ = js_.store().clock().NowNs();
}

void Consumer::SendHeartbeat(int64_t now_ns) {
  headers_.assign("NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: ");
  AppendUint(&headers_, consumer_seq_);
  headers_.append("\r\nNats-Last-Stream: ");
  AppendUint(&headers_, std::max<uint64_t>(delivered_stream_seq_, watch_->Position()));
  headers_.append("\r\n\r\n");
  js_.front().Route(nullptr, config_.deliver_subject, config_.deliver_subject, {}, headers_, {});
  last_send_ns_ = now_ns;
}

Consumer::RunResult Consumer::Tick(int64_t now_ns) {
  if (gone_ || !watch_) return RunResult::kGone;
  NatsFront& front = js_.front();
  const bool interest = HasSubscriber();
  if (interest) {
    last_interest_ns_ = now_ns;
  } else if (config_.inactive_threshold > 0 &&
             now_ns - last_interest_ns_ >= config_.inactive_threshold) {
    return RunResult::kGone;
  }
  if (!interest) return RunResult::kIdle;
  if (paused_for_output_) {
    if (SubscriberPending() > front.config().consumer_low_water_bytes) return RunResult::kIdle;
    paused_for_output_ = false;
    return RunResult::kMore;
  }
  if (waiting_for_interest_ || (watch_->HasEvents() && !queued)) return RunResult::kMore;
  if (config_.idle_heartbeat > 0 && !watch_->HasEvents() &&
      now_ns - last_send_ns_ >= config_.idle_heartbeat) {
    SendHeartbeat(now_ns);
  }
  return RunResult::kIdle;
}

void Consumer::WriteInfo(protocols::JsonWriter& w, std::string_view type) const {
  if (type.empty()) {
    w.BeginObject();  // an item of a consumer list
  } else {
    JetStream::BeginResponse(w, type);
  }
  w.Key("stream_name").String(stream_);
  w.Key("name").String(name_);
  w.Key("created").String(FormatRfc3339Nano(created_ns_));
  w.Key("config");
  WriteConsumerConfig(w, config_);
  w.Key("delivered")
      .BeginObject()
      .Key("consumer_seq")
      .Uint(consumer_seq_)
      .Key("stream_seq")
      .Uint(delivered_stream_seq_)
      .EndObject();
  w.Key("ack_floor")
      .BeginObject()
      .Key("consumer_seq")
      .Uint(consumer_seq_)
      .Key("stream_seq")
      .Uint(consumer_seq_ == 0 ? 0 : delivered_stream_seq_)
      .EndObject();
  w.Key("num_ack_pending").Int(0);
  w.Key("num_redelivered").Int(0);
  w.Key("num_waiting").Int(0);
  const uint64_t pending = watch_ ? watch_->Pending() : 0;
  w.Key("num_pending").Uint(pending > InvalidAhead() ? pending - InvalidAhead() : 0);
  // Only with a subscriber: nats.js refuses a consumer reported as bound before it subscribed.
  if (js_.front().HasInterest(config_.deliver_subject)) w.Key("push_bound").Bool(true);
  w.EndObject();
}

}  // namespace kvgate::nats

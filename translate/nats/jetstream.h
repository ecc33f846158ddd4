// File: translate/nats/jetstream.h
// The JetStream layer of the NATS front: routes `$JS.API.*` requests (a table of API name ->
// handler, the handlers in stream_api.cc, msg_get.cc and consumer_api.cc) and
// `$KV.<bucket>.<key>` publishes (kv_publish.cc), and formats their responses. The push
// consumers that back KV watch/keys/history live in its ConsumerSet (consumer_set.h), the
// Nats-Msg-Id windows in its MsgIdDedupe (msg_id_dedupe.h). Every KV bucket is the stream
// KV_<bucket> with subjects $KV.<bucket>.>; revisions are stream sequences.
//
//   JetStream js(front);
//   bool served = js.OnPublish(frame);   // from NatsFront::Publish, before subscriber routing
//   js.RunPending();                     // consumer deliveries, bounded per pass
//   js.Tick();                           // heartbeats, consumer GC
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/store.h"
#include "protocols/json.h"
#include "protocols/nats/headers.h"
#include "protocols/nats/parser.h"
#include "translate/late_answers.h"
#include "translate/nats/consumer_set.h"
#include "translate/nats/js_errors.h"
#include "translate/nats/msg_id_dedupe.h"
#include "translate/nats/stream_config.h"

namespace kvgate::nats {

class NatsFront;

// One API request. Views valid for the duration of the handler call.
struct JsRequest {
  std::string_view subject;  // full subject
  std::string_view arg;      // what follows the API name: "KV_b", "KV_b.name.filter", ""
  std::string_view reply;
  std::string_view headers;
  std::string_view payload;
};

// Response type names (the `type` member).
inline constexpr std::string_view kTypePrefix = "io.nats.jetstream.api.v1.";

class JetStream {
 public:
  explicit JetStream(NatsFront& front);
  ~JetStream();
  JetStream(const JetStream&) = delete;
  JetStream& operator=(const JetStream&) = delete;

  // A publish to `$JS.*` or `$KV.*`. Returns true if JetStream serves the subject (so the
  // requester must not get a no-responders status).
  bool OnPublish(const natswire::PubFrame& frame);

  void RunPending();
  bool HasPending() const {
    return consumers_.HasPending() || answers_.HasPending();
  }
  void Tick();
  void OnInterestAdded(std::string_view subject) {
    consumers_.OnInterestAdded(subject);
  }
  void OnOutputDrained() {
    consumers_.OnOutputDrained();
  }

  // ---- shared by the handler files ----
  NatsFront& front() {
    return front_;
  }
  engine::Store& store();
  // Continuations of changes the store answers later (translate/late_answers.h).
  translate::LateAnswers& answers() {
    return answers_;
  }
  // The bucket behind a stream name; kStreamNotFound if the name is not KV_<bucket> or the
  // bucket does not exist.
  JsResult<engine::BucketRef> FindStreamBucket(std::string_view stream);
  // Sends a response body to the request's reply subject (nothing if it has none).
  void Respond(const JsRequest& req, std::string_view json);
  // {"type":..,"error":{..}}
  void RespondError(const JsRequest& req, std::string_view type, const JsError& err);
  // {"type":..,"error":{..},"total":0,"offset":0,"limit":0}: errors of the paged list APIs.
  void RespondPagedError(const JsRequest& req, std::string_view type, const JsError& err);
  // Starts a response object with its type member.
  static void BeginResponse(protocols::JsonWriter& w, std::string_view type);
  // Writes a StreamInfo body (config, created, state) into an open object; `subjects` adds
  // state.subjects (STREAM.INFO with subjects_filter).
  using SubjectCounts = std::vector<std::pair<std::string, uint64_t>>;
  void WriteStreamInfoFields(protocols::JsonWriter& w, engine::StoreBucket& bucket,
                             const SubjectCounts* subjects = nullptr);

  ConsumerSet& consumers() {
    return consumers_;
  }

  // Per-bucket stream flags the publish path needs, cached against the bucket's attachment.
  const StreamConfig& CachedStreamConfig(engine::StoreBucket& bucket);
  void ForgetStreamConfig(std::string_view bucket);

  // Scratch buffers for hot paths (single-threaded).
  natswire::HeaderBlock& header_scratch() {
    return header_scratch_;
  }

 private:
  void HandleApi(const JsRequest& req);
  bool RequiresNewerApi(const JsRequest& req);
  void RespondErrorWith(const JsRequest& req, std::string_view type, const JsError& err,
                        bool paged);

  // API handlers (stream_api.cc, msg_get.cc, consumer_api.cc).
  void AccountInfo(const JsRequest& req);
  void StreamCreate(const JsRequest& req);
  void StreamUpdate(const JsRequest& req);
  void StreamCreateOrUpdate(const JsRequest& req, bool update);
  void StreamInfo(const JsRequest& req);
  void StreamDelete(const JsRequest& req);
  void StreamPurge(const JsRequest& req);
  void StreamNames(const JsRequest& req);
  void StreamList(const JsRequest& req);
  void StreamNamesOrList(const JsRequest& req, bool list);
  void StreamMsgGet(const JsRequest& req);
  void StreamMsgDelete(const JsRequest& req);
  // Returns false when not served (unknown stream or no allow_direct: no responders).
  bool DirectGet(const JsRequest& req);
  void ConsumerCreate(const JsRequest& req);
  void ConsumerDurableCreate(const JsRequest& req);
  void ConsumerInfo(const JsRequest& req);
  void ConsumerDelete(const JsRequest& req);
  void ConsumerNamesApi(const JsRequest& req);
  void ConsumerListApi(const JsRequest& req);
  void ConsumerNamesOrList(const JsRequest& req, bool list);
  void Unsupported(const JsRequest& req);
  // While the data directory is replayed: the JetStream "temporarily unavailable" error.
  bool Unavailable(const natswire::PubFrame& frame);
  void CreateConsumerFrom(const JsRequest& req, std::string_view stream, std::string name,
                          std::string_view subject_filter, bool durable);

  // $KV.<bucket>.<key> publish (kv_publish.cc). Returns false if no bucket serves it.
  bool KvPublish(const natswire::PubFrame& frame);
  // What a publish does once the store has answered its write: the rollup, the Nats-Msg-Id
  // record, the PubAck. Views of the publish frame (KvPubOutcome) while it is alive; copies
  // (OwnedKvPubOutcome) when the store answers later.
  struct KvPubOutcome {
    enum class Rollup : uint8_t { kNone, kSubject, kAll };
    std::string_view reply;
    std::string_view stream;
    std::string_view bucket;
    std::string_view key;
    std::string_view msg_id;
    Rollup rollup = Rollup::kNone;
  };
  struct OwnedKvPubOutcome {
    explicit OwnedKvPubOutcome(const KvPubOutcome& o)
        : reply(o.reply),
          stream(o.stream),
          bucket(o.bucket),
          key(o.key),
          msg_id(o.msg_id),
          rollup(o.rollup) {
    }
    KvPubOutcome view() const {
      return {reply, stream, bucket, key, msg_id, rollup};
    }
    std::string reply, stream, bucket, key, msg_id;
    KvPubOutcome::Rollup rollup;
  };
  void FinishKvPublish(const KvPubOutcome& out, engine::WriteResult r);
  void PubAck(std::string_view reply, std::string_view stream, uint64_t seq, bool duplicate);
  void PubAckError(std::string_view reply, std::string_view stream, const JsError& err);
  // nats-server's discard-new max_bytes check in its own byte units.
  bool FitsMaxBytes(engine::StoreBucket& bucket, std::string_view key,
                    const natswire::PubFrame& frame);

  struct ApiRoute {
    std::string_view name;  // "STREAM.CREATE" (arg follows a '.') or "INFO" (exact)
    bool takes_arg;
    void (JetStream::*handler)(const JsRequest&);
    std::string_view response_type;  // for the generic error paths
  };
  static const ApiRoute kRoutes[];

  NatsFront& front_;
  uint64_t api_total_ = 0;
  uint64_t api_errors_ = 0;
  ConsumerSet consumers_;
  MsgIdDedupe msg_ids_;
  translate::LateAnswers answers_;

  struct CachedConfig {
    std::string attachment;
    StreamConfig config;
  };
  std::unordered_map<std::string, CachedConfig> config_cache_;
  natswire::HeaderBlock header_scratch_;
  std::string stream_scratch_;
};

}  // namespace kvgate::nats

#include "translate/redis/front.h"

#include <charconv>
#include <string>
#include <string_view>
#include <utility>

#include "translate/redis/notifications.h"
#include "translate/redis/script_engine.h"
#include "translate/redis/session.h"

namespace kvgate::redis {

namespace {
constexpr std::string_view kFunctionsMeta = "redis.functions";
}  // namespace

RedisFront::RedisFront(engine::Store& store, RedisConfig config)
    : store_(store), config_(std::move(config)) {
  stats_.start_ms = store_.clock().NowMs();
  uint32_t flags = 0;
  if (ParseKeyspaceEvents(config_.notify_keyspace_events, &flags)) notify_flags_ = flags;
  if (!config_.requirepass.empty()) acl_.SetRequirePass(config_.requirepass);
  store_.AddChangeListener(this);
}

RedisFront::~RedisFront() {
  store_.RemoveChangeListener(this);
}

ScriptEngine& RedisFront::scripts() {
  if (scripts_ == nullptr) scripts_ = std::make_unique<ScriptEngine>(*this);
  return *scripts_;
}

std::unique_ptr<translate::Session> RedisFront::NewSession(translate::Transport& transport) {
  uint64_t id = next_client_id_++;
  auto session = std::make_unique<RedisSession>(*this, transport, id);
  clients_[id] = session.get();
  ++stats_.connections_received;
  return session;
}

void RedisFront::Unregister(RedisSession* session) {
  auto it = clients_.find(session->id());
  if (it != clients_.end() && it->second == session) clients_.erase(it);
}

void RedisFront::RequestClose(RedisSession* session) {
  for (uint64_t id : pending_close_) {
    if (id == session->id()) return;
  }
  pending_close_.push_back(session->id());
}

void RedisFront::CloseClientsOf(const AclUser* user) {
  for (const auto& [id, session] : clients_) {
    if (&session->user() != user) continue;
    // As redis-server: back to the default user, unauthenticated, until the close.
    session->Deauthenticate();
    if (session == current_) {
      session->CloseAfterReply();
    } else {
      RequestClose(session);
    }
  }
}

void RedisFront::QueueKvWatch(RedisSession* session) {
  kv_watch_ready_.push_back(session->id());
}

void RedisFront::RunPending() {
  if (blocked_.has_ready()) ServeReadyKeys();  // readied by NATS writes
  if (pending_.HasQueued() || pending_.HasDeadlines()) RunWakes();
  // The clock is read only while a pause is on: RunPending runs every loop iteration.
  if (pause_.active() && pause_.Due(store_.clock().NowMs())) EndPause();
  if (pause_.has_released()) ReleasePostponed();
  if (tracking_.has_broadcast_pending()) tracking_.BroadcastPending();
  if (!kv_watch_ready_.empty()) {
    std::vector<uint64_t> ids;
    ids.swap(kv_watch_ready_);
    for (uint64_t id : ids) {
      auto it = clients_.find(id);
      if (it != clients_.end()) it->second->PumpKvWatch();
    }
  }
  while (!pending_close_.empty()) {
    std::vector<uint64_t> ids;
    ids.swap(pending_close_);
    for (uint64_t id : ids) {
      auto it = clients_.find(id);
      if (it != clients_.end()) it->second->CloseNow();
    }
  }
}

bool RedisFront::HasPending() const {
  if (!pending_close_.empty() || !kv_watch_ready_.empty() || tracking_.has_broadcast_pending() ||
      pending_.HasQueued() || pause_.has_released() || blocked_.has_ready()) {
    return true;
  }
  if (!pending_.HasDeadlines() && !pause_.active()) return false;
  const int64_t now = store_.clock().NowMs();
  return pending_.HasDueDeadline(now) || pause_.Due(now);
}

int64_t RedisFront::MsUntilNextWake() const {
  int64_t next = pending_.HasDeadlines() ? pending_.NextDeadline() : -1;
  // A pause ends once its end has passed: 1 ms after it.
  if (pause_.active() && (next < 0 || pause_.end_ms() + 1 < next)) next = pause_.end_ms() + 1;
  if (next < 0) return -1;
  const int64_t ms = next - store_.clock().NowMs();
  return ms > 0 ? ms : 0;
}

// ---- blocking commands ----

void RedisFront::ServeReadyKeys() {
  // Never in the middle of a script (a client served from its busy hook): after it.
  if (serving_blocked_ || scripts().running()) return;
  serving_blocked_ = true;
  while (blocked_.has_ready()) {
    for (const ReadyKey& ready : blocked_.TakeReady()) {
      engine::BucketRef bucket = store_.FindBucket(ready.bucket);
      if (bucket == nullptr) continue;
      for (uint64_t id : blocked_.Waiters(ready)) {
        // Looked up again after each serve: the previous client may have taken the last element.
        // A stream reader is told of a key that went or changed type: XREADGROUP stops waiting.
        auto entry = bucket->Get(ready.key);
        const engine::ValueType wanted = blocked_.WantedType(id);
        const bool holds = entry.ok() && entry->type == wanted;
        if (!holds && wanted != engine::ValueType::kStream) continue;
        auto it = clients_.find(id);
        if (it != clients_.end()) it->second->ServeBlocked(ready.key);
      }
    }
  }
  serving_blocked_ = false;
}

// ---- CLIENT PAUSE ----

void RedisFront::StartPause(PauseMode mode, int64_t end_ms) {
  pause_.Start(mode, end_ms);
  store_.PauseExpiry(true);
}

void RedisFront::EndPause() {
  pause_.End();
  store_.PauseExpiry(false);
}

void RedisFront::ReleasePostponed() {
  for (uint64_t id : pause_.TakeReleased()) {
    auto it = clients_.find(id);
    if (it != clients_.end()) it->second->RunPostponed();
  }
}

// ---- commands that complete later ----

void RedisFront::BeginAwait(RedisSession* session, uint64_t ticket) {
  issuing_ = IssuingAwait{session, ticket, std::nullopt};
}

engine::WriteDone RedisFront::AwaitCompletion(RedisSession* session, uint64_t ticket) {
  // The session pointer is only compared, never followed, once the issuing call has returned:
  // a later answer names the client by id, which may have gone.
  return [this, session, id = session->id(), ticket](engine::WriteResult r) {
    OnAwaitAnswer(session, id, ticket, std::move(r));
  };
}

void RedisFront::OnAwaitAnswer(RedisSession* session, uint64_t client_id, uint64_t ticket,
                               engine::WriteResult result) {
  if (issuing_.session == session && issuing_.ticket == ticket) {
    issuing_.answer.emplace(std::move(result));
    return;
  }
  pending_.Queue(client_id, ticket, WakeReason::kResult, std::move(result));
}

std::optional<engine::WriteResult> RedisFront::EndAwait(uint64_t ticket) {
  std::optional<engine::WriteResult> answer;
  if (issuing_.ticket == ticket) answer = std::move(issuing_.answer);
  issuing_ = IssuingAwait{};
  return answer;
}

void RedisFront::RunWakes() {
  pending_.TakeDue(store_.clock().NowMs(), &due_);
  for (PendingWakes::Due& d : due_) {
    auto it = clients_.find(d.client_id);
    if (it != clients_.end()) it->second->WakeUp(d.ticket, d.reason, std::move(d.result));
  }
  due_.clear();
}

void RedisFront::Tick() {
  const int64_t now = store_.clock().NowMs();
  if (tracking_.active()) tracking_.LimitKeys(config_.tracking_table_max_keys);
  for (const auto& [id, session] : clients_) {
    if (session->closing()) continue;
    // A KV.WATCH paused on output gets another chance even if OnDrained never comes.
    if (session->kv_watching()) QueueKvWatch(session);
    if (session->in_pubsub()) {
      CheckOutputLimit(session, now);
    } else if (config_.timeout_seconds > 0 && !session->suspended() &&
               now - session->last_interaction_ms() > config_.timeout_seconds * 1000) {
      RequestClose(session);  // Redis closes idle normal clients silently
    }
  }
}

void RedisFront::CheckOutputLimit(RedisSession* session, int64_t now_ms) {
  const OutputBufferLimit& limit =
      session->in_pubsub() ? config_.pubsub_output_limit : config_.normal_output_limit;
  const uint64_t pending = session->transport().PendingOutputBytes();
  if (limit.hard_bytes > 0 && pending > limit.hard_bytes) {
    RequestClose(session);
    return;
  }
  int64_t& since = session->soft_limit_since_ms();
  if (limit.soft_bytes > 0 && pending > limit.soft_bytes) {
    if (now_ms < 0) now_ms = store_.clock().NowMs();  // only over the soft limit
    if (since == 0) {
      since = now_ms;
    } else if (now_ms - since > limit.soft_seconds * 1000) {
      RequestClose(session);
    }
  } else {
    since = 0;
  }
}

// ---- databases ----

void RedisFront::ApplyDatabaseStorage() {
  // While the log is replayed nothing may change the engine; the gateway applies it after.
  if (persistence() != nullptr && persistence()->loading()) return;
  const engine::Storage storage = config_.bucket_defaults.storage;
  for (int db = 0; db < config_.databases; ++db) {
    const std::string name = BucketName(db);
    engine::BucketRef b = store_.FindBucket(name);
    if (b == nullptr || b->config().storage == storage) continue;
    engine::BucketConfig c = b->config();
    c.storage = storage;
    store_.UpdateBucket(name, c, [](engine::WriteResult) {});
  }
  if (!std::exchange(functions_restored_, true)) {
    // The payload is this front's own FUNCTION DUMP, checksummed in the log's framing too.
    const std::string saved = store_.GetMeta(kFunctionsMeta);
    std::string error;
    if (!saved.empty()) {
      (void)scripts().functions().Restore(saved, FunctionLibraries::RestorePolicy::kReplace,
                                          &error);
    }
  }
  // The libraries follow the databases' storage (in or out of the log).
  if (scripts_ != nullptr && !scripts_->functions().libraries().empty()) SaveFunctions();
}

void RedisFront::SaveFunctions() {
  const bool durable = config_.bucket_defaults.storage == engine::Storage::kFile;
  const FunctionLibraries& libs = scripts().functions();
  store_.SetMeta(kFunctionsMeta, libs.libraries().empty() ? std::string() : libs.Dump(), durable);
}

std::string RedisFront::BucketName(int db) const {
  auto it = config_.db_buckets.find(db);
  if (it != config_.db_buckets.end()) return it->second;
  return "db" + std::to_string(db);
}

int RedisFront::DatabaseOf(std::string_view bucket) const {
  for (const auto& [db, name] : config_.db_buckets) {
    if (name == bucket) return db;
  }
  if (bucket.size() < 3 || bucket.substr(0, 2) != "db") return -1;
  int db = -1;
  auto digits = bucket.substr(2);
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), db);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return -1;
  if (db < 0 || db >= config_.databases || config_.db_buckets.count(db) != 0) return -1;
  if (digits.size() > 1 && digits[0] == '0') return -1;
  return db;
}

engine::StoreBucket* RedisFront::Database(int db, engine::Errc* err) {
  if (db < 0 || db >= config_.databases) {
    *err = engine::Errc::kInvalidArgument;
    return nullptr;
  }
  if (db_cache_.size() != static_cast<size_t>(config_.databases)) {
    db_cache_.assign(static_cast<size_t>(config_.databases), nullptr);
  }
  engine::BucketRef& slot = db_cache_[static_cast<size_t>(db)];
  if (slot != nullptr && slot->alive()) return slot.get();
  std::string name = BucketName(db);
  slot = store_.FindBucket(name);
  if (slot == nullptr) {
    create_error_ = engine::Errc::kBucketNotFound;
    store_.CreateBucket(name, config_.bucket_defaults,
                        [this, db](engine::Result<engine::BucketRef> r) {
                          if (!r.ok()) {
                            create_error_ = r.errc();
                          } else if (static_cast<size_t>(db) < db_cache_.size()) {
                            db_cache_[static_cast<size_t>(db)] = std::move(*r);
                          }
                        });
    // A store that creates buckets later (a remote one) answers into the cache; until it has,
    // commands on that database fail (kBucketNotFound) rather than wait.
    if (slot == nullptr) {
      *err = create_error_;
      return nullptr;
    }
  }
  return slot.get();
}

// ---- notifications and the change stream ----

void RedisFront::set_notify_flags(uint32_t flags) {
  notify_flags_ = flags;
}

void RedisFront::Notify(int db, uint32_t type, std::string_view event, std::string_view key) {
  if (!(notify_flags_ & type) || pubsub_.empty() || db < 0) return;
  std::string channel;
  if (notify_flags_ & kNotifyKeyspace) {
    channel = "__keyspace@" + std::to_string(db) + "__:";
    channel.append(key);
    pubsub_.Publish(channel, event);
  }
  if (notify_flags_ & kNotifyKeyevent) {
    channel = "__keyevent@" + std::to_string(db) + "__:";
    channel.append(event);
    pubsub_.Publish(channel, key);
  }
}

void RedisFront::OnChange(const engine::ChangeEvent& event) {
  using engine::ChangeKind;
  if (!blocked_.empty()) {
    // A new value can serve a waiting client (a push, a store, RENAME, MOVE, SWAPDB); a key
    // that goes ends an XREADGROUP's wait (Redis 7.0 answers it -UNBLOCKED).
    switch (event.kind) {
      case ChangeKind::kPut:
      case ChangeKind::kDelete:
      case ChangeKind::kPurge:
      case ChangeKind::kExpired:
      case ChangeKind::kMaxAge:
        blocked_.MarkReady(event.bucket, event.key);
        break;
      case ChangeKind::kFlushed:
        blocked_.MarkBucketReady(event.bucket);
        break;
      case ChangeKind::kBucketsSwapped:
        blocked_.MarkBucketReady(event.bucket);
        blocked_.MarkBucketReady(event.key);
        break;
      default:
        break;
    }
  }
  if (event.kind == ChangeKind::kBucketsSwapped) {
    // SWAPDB touched exactly the watched keys it changed; a swap from elsewhere, every watcher.
    // Redis fires no keyspace event and no tracking invalidation for SWAPDB.
    if (!flushing_) {
      watches_.TouchBucket(event.bucket);
      watches_.TouchBucket(event.key);
    }
    return;
  }
  if (!watches_.empty()) {
    switch (event.kind) {
      case ChangeKind::kFlushed:
      case ChangeKind::kBucketDeleted:
        if (!flushing_) watches_.TouchBucket(event.bucket);
        break;
      case ChangeKind::kRemoved:
        break;  // compaction of dead traces: not a modification of the key's value
      default:
        watches_.Touch(event.bucket, event.key);
        break;
    }
  }
  if (event.kind == ChangeKind::kExpired || event.kind == ChangeKind::kMaxAge) {
    ++stats_.expired_keys;
  }
  if (tracking_.active()) {
    // Client-side caching is by key name across databases, as in Redis. A flush by FLUSHDB /
    // FLUSHALL is reported once by the command itself; one from NATS (stream purge, bucket
    // deletion) here.
    if (event.kind == ChangeKind::kFlushed || event.kind == ChangeKind::kBucketDeleted) {
      if (!flushing_) tracking_.InvalidateAll(current_);
    } else {
      tracking_.KeyChanged(event.key, current_);
    }
  }
  if (notify_flags_ == 0 || pubsub_.empty()) return;
  int db = DatabaseOf(event.bucket);
  if (db < 0) return;
  switch (event.kind) {
    case ChangeKind::kExpired:
    case ChangeKind::kMaxAge:
      Notify(db, kNotifyExpired, "expired", event.key);
      return;
    default:
      break;
  }
  // As Redis's dbAdd: a key coming to life fires "new" before the writer's own event.
  if (event.kind == ChangeKind::kPut && event.created) Notify(db, kNotifyNew, "new", event.key);
  // Writes by Redis commands fire their own, more specific events (incrby, append, ...).
  if (command_depth_ > 0) return;
  switch (event.kind) {
    case ChangeKind::kPut:
      Notify(db, kNotifyString, "set", event.key);
      break;
    case ChangeKind::kDelete:
    case ChangeKind::kPurge:
      Notify(db, kNotifyGeneric, "del", event.key);
      break;
    case ChangeKind::kExpiryChanged:
      Notify(db, kNotifyGeneric, "expire", event.key);
      break;
    default:
      break;
  }
}

}  // namespace kvgate::redis

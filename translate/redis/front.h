// File: translate/redis/front.h
// The Redis front: makes a RedisSession per connection and owns what sessions share: the
// engine, the live configuration, the database -> bucket mapping, the client registry (CLIENT
// LIST/KILL), pub/sub, WATCH bookkeeping and keyspace notifications (fed by the engine's change
// stream, so writes from NATS clients and expiry are seen too).
//
//   RedisFront front(store, RedisConfig{});   // store: engine::LocalStore or another backend
//   server.Listen("127.0.0.1", 6379, front);
//   // the gateway calls front.RunPending() before polling and front.Tick() every ~50 ms
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store.h"
#include "translate/front.h"
#include "translate/redis/acl_registry.h"
#include "translate/redis/blocked_keys.h"
#include "translate/redis/client_pause.h"
#include "translate/redis/pending.h"
#include "translate/redis/pubsub.h"
#include "translate/redis/redis_config.h"
#include "translate/redis/tracking.h"
#include "translate/redis/watch_registry.h"
#include "translate/tls_control.h"

namespace kvgate::redis {

class RedisSession;
class ScriptEngine;

struct RedisStats {
  int64_t start_ms = 0;
  uint64_t connections_received = 0;
  uint64_t commands_processed = 0;
  uint64_t expired_keys = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t pubsub_messages = 0;
  uint64_t rejected_connections = 0;  // protected mode (max clients: LiveLimits::refused)
};

class RedisFront final : public translate::Front, private engine::ChangeListener {
 public:
  RedisFront(engine::Store& store, RedisConfig config);
  ~RedisFront() override;
  RedisFront(const RedisFront&) = delete;
  RedisFront& operator=(const RedisFront&) = delete;

  // translate::Front
  std::unique_ptr<translate::Session> NewSession(translate::Transport& transport) override;
  void RunPending() override;
  bool HasPending() const override;
  int64_t MsUntilNextWake() const override;
  void Tick() override;
  // Redis's text for a connection over maxclients.
  std::string_view MaxClientsReply() const override {
    return "-ERR max number of clients reached\r\n";
  }

  engine::Store& store() {
    return store_;
  }
  RedisConfig& config() {
    return config_;
  }
  RedisStats& stats() {
    return stats_;
  }
  PubSub& pubsub() {
    return pubsub_;
  }
  // ACL users and the ACL LOG (acl_registry.h).
  AclRegistry& acl() {
    return acl_;
  }
  // ACL DELUSER: closes every connection authenticated as `user` (after the current command
  // for the client running it, as Redis does).
  void CloseClientsOf(const AclUser* user);
  WatchRegistry& watches() {
    return watches_;
  }
  Tracking& tracking() {
    return tracking_;
  }
  // Lua scripting (script_engine.h): the Lua state is made on first use.
  ScriptEngine& scripts();
  // Null until a script command has run.
  ScriptEngine* scripts_if_open() {
    return scripts_.get();
  }

  // ---- databases ----
  // The bucket backing database `db`, created with config().bucket_defaults on first use.
  // Returns nullptr and sets *err when the store refuses (or answers the creation later:
  // kBucketNotFound until it has).
  engine::StoreBucket* Database(int db, engine::Errc* err);
  std::string BucketName(int db) const;
  // Gives every existing database the storage of config().bucket_defaults (CONFIG SET
  // appendonly): the engine logs an image of a database turning into a file bucket.
  // The first call after the log is replayed also brings back the FUNCTION libraries.
  void ApplyDatabaseStorage();
  // After FUNCTION LOAD/DELETE/FLUSH/RESTORE: the libraries (FUNCTION DUMP's payload) are kept
  // with the data, durable while the databases are file buckets, as Redis keeps them in its
  // AOF and RDB.
  void SaveFunctions();
  // The database a bucket backs, or -1.
  int DatabaseOf(std::string_view bucket) const;

  // ---- keyspace notifications ----
  uint32_t notify_flags() const {
    return notify_flags_;
  }
  void set_notify_flags(uint32_t flags);
  void Notify(int db, uint32_t type, std::string_view event, std::string_view key);

  // ---- clients ----
  const std::map<uint64_t, RedisSession*>& clients() const {
    return clients_;
  }
  void Unregister(RedisSession* session);
  // Closes a client outside the current call chain (before the loop next polls): used for
  // CLIENT KILL and output-buffer limits, so no registry is modified while it is iterated.
  void RequestClose(RedisSession* session);
  // Pub/sub output limit: closes the client (deferred) when over the hard limit, or over the
  // soft limit for too long. now_ms < 0: read the clock if needed.
  void CheckOutputLimit(RedisSession* session, int64_t now_ms);

  // A session's KV.WATCH has events: pumped in RunPending (never inside engine calls).
  void QueueKvWatch(RedisSession* session);

  // ---- CLIENT PAUSE (client_pause.h): expiry pauses with the clients ----
  ClientPause& client_pause() {
    return pause_;
  }
  void StartPause(PauseMode mode, int64_t end_ms);
  // Ends the pause (CLIENT UNPAUSE, its timeout); postponed clients run from RunPending.
  void EndPause();

  // ---- blocking commands (blocked_keys.h) ----
  BlockedKeys& blocked() {
    return blocked_;
  }
  // Serves the clients waiting on keys that changes have readied, oldest first per key, until
  // no key is ready (a served BLMOVE readies its destination). Called after each command and
  // from RunPending (changes from NATS); never inside a command.
  void ServeReadyKeys();

  // ---- commands that complete later (pending.h) ----
  PendingWakes& pending() {
    return pending_;
  }
  // An await being issued by `session` (CommandContext::Await): an answer that comes before the
  // store call returns is kept here; a later one is queued as a wake for the session.
  void BeginAwait(RedisSession* session, uint64_t ticket);
  engine::WriteDone AwaitCompletion(RedisSession* session, uint64_t ticket);
  // Ends the await: the answer if it came in.
  std::optional<engine::WriteResult> EndAwait(uint64_t ticket);

  // Commands run between Begin/EndCommand; the change listener then leaves the specific
  // keyspace events to the command (Redis fires "incrby", not "set", for INCR), and knows which
  // client made a change (tracking NOLOOP). Invalidations owed to that client follow its reply.
  void BeginCommand(RedisSession* session) {
    if (command_depth_++ == 0) current_ = session;
  }
  void EndCommand() {
    if (--command_depth_ == 0) {
      if (tracking_.has_deferred()) tracking_.FlushDeferred();
      current_ = nullptr;
    }
  }
  // The client whose command is running (nullptr between commands, e.g. for NATS writes).
  RedisSession* current_session() const {
    return current_;
  }
  // FLUSHDB/FLUSHALL/SWAPDB touch exactly the watched keys they change, then flush or swap: the
  // engine's bucket-wide event must not touch the others.
  void set_flushing(bool flushing) {
    flushing_ = flushing;
  }
  // The gateway's TLS settings for CONFIG tls-* (nullptr: not available; outlives the front).
  void AttachTlsControl(translate::TlsControl* tls) {
    tls_control_ = tls;
  }
  translate::TlsControl* tls_control() const {
    return tls_control_;
  }

 private:
  void OnChange(const engine::ChangeEvent& event) override;
  void OnAwaitAnswer(RedisSession* session, uint64_t client_id, uint64_t ticket,
                     engine::WriteResult result);
  void RunWakes();
  void ReleasePostponed();

  // The await being issued (issuing is synchronous, so there is at most one).
  struct IssuingAwait {
    RedisSession* session = nullptr;
    uint64_t ticket = 0;
    std::optional<engine::WriteResult> answer;
  };

  engine::Store& store_;
  RedisConfig config_;
  RedisStats stats_;
  AclRegistry acl_;
  PubSub pubsub_;
  WatchRegistry watches_;
  Tracking tracking_{*this};
  std::unique_ptr<ScriptEngine> scripts_;
  std::map<uint64_t, RedisSession*> clients_;
  std::vector<uint64_t> pending_close_;   // client ids
  std::vector<uint64_t> kv_watch_ready_;  // client ids
  uint64_t next_client_id_ = 1;
  uint32_t notify_flags_ = 0;
  int command_depth_ = 0;
  RedisSession* current_ = nullptr;
  bool flushing_ = false;
  bool functions_restored_ = false;  // ApplyDatabaseStorage brought the saved libraries back
  translate::TlsControl* tls_control_ = nullptr;
  // Bucket refs per database; a ref whose bucket was deleted is looked up (or created) again.
  std::vector<engine::BucketRef> db_cache_;
  PendingWakes pending_;
  BlockedKeys blocked_;
  bool serving_blocked_ = false;
  ClientPause pause_;
  IssuingAwait issuing_;
  engine::Errc create_error_ = engine::Errc::kOk;  // the last database bucket creation's error
  std::vector<PendingWakes::Due> due_;             // scratch for RunWakes
};

}  // namespace kvgate::redis

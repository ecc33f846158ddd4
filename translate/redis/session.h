// File: translate/redis/session.h
// One Redis client connection: reads requests with the RESP reader, looks commands up in the
// table, checks arity / subscribed mode / MULTI queueing in Redis's order, runs handlers, and
// keeps the per-client state (protocol version, database, name, transaction, watched keys,
// subscriptions).
//
//   auto session = front.NewSession(transport);   // gateway, on accept
//   session->OnBytes(in);                         // replies appended to transport.Out()
//   session->OnClose();                           // unsubscribes, unwatches, unregisters
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/watch.h"
#include "protocols/resp/reply_writer.h"
#include "protocols/resp/request_reader.h"
#include "translate/redis/acl_registry.h"
#include "translate/redis/command.h"
#include "translate/redis/pending.h"
#include "translate/redis/tracking.h"
#include "translate/session.h"

namespace kvgate::redis {

class RedisFront;
class PubSub;

class RedisSession final : public translate::Session, private engine::WatchSink {
 public:
  RedisSession(RedisFront& front, translate::Transport& transport, uint64_t id);
  ~RedisSession() override;

  // Protected mode: a client from beyond loopback is refused while no password is set.
  void OnOpen() override;
  void OnBytes(protocols::InBuffer& in) override;
  uint64_t requests() const override {
    return requests_;
  }
  // Served while a script is past busy-reply-threshold: every command but the kAllowBusy
  // ones is answered -BUSY (the gateway pumps this session from the script's hook).
  bool ServesWhileBusy() const override {
    return true;
  }
  void OnClose() override;
  // A command is suspended: the rest of the pipeline waits in the input buffer.
  bool InputHeld() const override {
    return suspended_ != nullptr;
  }

  // ---- state read and changed by command handlers ----
  uint64_t id() const {
    return id_;
  }
  translate::Transport& transport() {
    return transport_;
  }
  resp::ReplyWriter& writer() {
    return writer_;
  }
  int resp() const {
    return writer_.resp();
  }
  void set_resp(int v) {
    writer_.set_resp(v);
  }
  int db() const {
    return db_;
  }
  // SELECT: also leaves a bucket chosen with KV.USE.
  void set_db(int db) {
    db_ = db;
    kv_bucket_.clear();
  }
  // ---- the bucket commands work on (KV.USE) ----
  // KV.USE of a bucket that backs no database: commands then work on it (db() keeps its value
  // for CLIENT LIST; keyspace notifications are off, as the bucket has no database number).
  void UseBucket(std::string_view bucket) {
    kv_bucket_.assign(bucket);
  }
  bool uses_kv_bucket() const {
    return !kv_bucket_.empty();
  }
  // The bucket commands work on: the KV.USE bucket, else the database's (created on first use).
  // nullptr with *err set when it cannot be had.
  engine::StoreBucket* CurrentBucket(engine::Errc* err);
  std::string CurrentBucketName() const;
  // The database number keyspace notifications use, -1 for a KV.USE bucket.
  int notify_db() const {
    return kv_bucket_.empty() ? db_ : -1;
  }
  const std::string& name() const {
    return name_;
  }
  void set_name(std::string_view name) {
    name_.assign(name);
  }
  int64_t created_ms() const {
    return created_ms_;
  }
  int64_t last_interaction_ms() const {
    return last_interaction_ms_;
  }
  // ---- authentication (acl_registry.h) ----
  // The user commands run as: the default user until AUTH / HELLO AUTH names another.
  const AclUser& user() const {
    return *user_;
  }
  const std::shared_ptr<AclUser>& user_ptr() const {
    return user_;
  }
  bool authenticated() const {
    return authenticated_;
  }
  // A successful AUTH: commands run as `user` from now on.
  void Authenticate(std::shared_ptr<AclUser> user) {
    user_ = std::move(user);
    authenticated_ = true;
  }
  // Back to the default user, authenticated only if it needs no password (connect, RESET).
  void SetDefaultAuth();
  // The user was deleted: the default user, not authenticated (the connection is closing).
  void Deauthenticate();
  // redis.call / pcall of a command the user may not run: logged (context lua) and Redis's
  // "The user executing the script can't ..." text returned.
  std::optional<std::string> CheckScriptAcl(const CommandSpec* spec, const CommandSpec* parent,
                                            std::span<const std::string_view> args);
  // An ACL LOG entry for this client (denied command, key, channel, or failed AUTH).
  void LogDenied(AclDenied reason, AclContext context, std::string object,
                 std::string_view username);

  // Full name of the last command run ("client|info"), for CLIENT INFO/LIST.
  std::string LastCommandName() const;
  size_t query_buffer_bytes() const {
    return reader_.buffered_bytes() + last_input_bytes_;
  }
  bool closing() const {
    return closing_;
  }
  // QUIT: reply already written; flush and close, run nothing after this.
  void CloseAfterReply();
  // Close now (CLIENT KILL, output limits); called by the front outside any handler chain.
  void CloseNow();

  // ---- scripts (script_engine.h) ----
  // The database a script starts on and returns the client to: SELECT inside a script affects
  // the script only (Redis 7).
  struct DbSelection {
    int db = 0;
    std::string kv_bucket;
  };
  DbSelection db_selection() const {
    return {db_, kv_bucket_};
  }
  void restore_db_selection(DbSelection s) {
    db_ = s.db;
    kv_bucket_ = std::move(s.kv_bucket);
  }
  // A command called from a script suspended (a store that answers later): it is forgotten
  // (its change still completes) and the script gets an error.
  void AbandonSuspended() {
    DropSuspended();
  }

  // ---- transactions ----
  bool in_multi() const {
    return in_multi_;
  }
  void StartMulti();
  void DiscardMulti();  // also clears the watches
  // Runs the queued commands (or answers EXECABORT / null); EXEC's handler (multi_cmds.cc)
  // calls it, the body is in session.cc.
  void Exec(int64_t now_ms);
  size_t queued_count() const {
    return queued_.size();
  }
  // Running EXEC's commands: blocking commands answer at once there (Redis CLIENT_DENY_BLOCKING).
  bool executing_transaction() const {
    return !exec_queue_.empty();
  }
  void Watch(std::string_view bucket, std::string_view key);
  void UnwatchAll();
  void MarkDirtyCas() {
    dirty_cas_ = true;
  }
  size_t watched_count() const {
    return watched_.size();
  }

  // ---- pub/sub ----
  const std::set<std::string, std::less<>>& channels() const {
    return channels_;
  }
  const std::set<std::string, std::less<>>& patterns() const {
    return patterns_;
  }
  const std::set<std::string, std::less<>>& shard_channels() const {
    return shard_channels_;
  }
  // Channels and patterns: the count (P)(UN)SUBSCRIBE replies carry. Shard channels are
  // counted apart, in (S)(UN)SUBSCRIBE replies, as Redis 7.0 does.
  size_t subscription_count() const {
    return channels_.size() + patterns_.size();
  }
  // Subscribed to anything, shard channels included (Redis CLIENT_PUBSUB: RESP2 subscribed
  // mode, CLIENT LIST flag P, the pubsub client class).
  bool in_pubsub() const {
    return subscription_count() + shard_channels_.size() > 0;
  }
  // The reply for (un)subscribe: [kind, name or null, count] as an array (RESP2) or push; `shard`
  // counts shard channels.
  void WriteSubscriptionReply(std::string_view kind, const std::string_view* name,
                              bool shard = false);
  bool Subscribe(std::string_view channel);
  bool Unsubscribe(std::string_view channel);
  bool PSubscribe(std::string_view pattern);
  bool PUnsubscribe(std::string_view pattern);
  bool SSubscribe(std::string_view channel);
  bool SUnsubscribe(std::string_view channel);
  // Messages from PUBLISH ("message") and SPUBLISH ("smessage"), possibly written while another
  // session runs a command.
  void DeliverMessage(std::string_view kind, std::string_view channel, std::string_view message);
  void DeliverPMessage(std::string_view pattern, std::string_view channel,
                       std::string_view message);
  // After writing output outside this session's own command (pub/sub, invalidations).
  void AsyncOutputDone() {
    AfterAsyncOutput();
  }
  // Soft output-limit bookkeeping (0: under the soft limit).
  int64_t& soft_limit_since_ms() {
    return soft_limit_since_ms_;
  }

  // RESET: back to a fresh connection's state (keeps id and connection).
  void Reset();

  // ---- commands that complete later (pending.h; session_pending.cc) ----
  // Suspends the command being run: `resume` writes its reply when it is woken (by the ticket's
  // answer, the deadline if > 0, or CLIENT UNBLOCK if unblockable). Until then the session runs
  // no further command of this client.
  void Suspend(uint64_t ticket, int64_t deadline_ms, bool unblockable, Resume resume);
  // Suspends the running blocking command (CommandContext::BlockOnKeys): unblockable, served
  // by `serve` when a key it waits on is ready, or on its deadline.
  void SuspendOnKeys(int64_t deadline_ms, BlockedServe serve,
                     std::span<const std::string_view> serve_args = {});
  // A key this client waits on is ready: serves it (true) or leaves it waiting in place.
  bool ServeBlocked(std::string_view ready_key);
  bool suspended() const {
    return suspended_ != nullptr;
  }
  // Blocked in a blocking command or postponed by CLIENT PAUSE (CLIENT LIST flag "b", INFO
  // blocked_clients).
  bool blocked() const {
    return suspended_ != nullptr && (suspended_->unblockable || suspended_->postponed);
  }
  // CLIENT PAUSE ended: the postponed command is dispatched again (it may be postponed anew).
  void RunPostponed();
  uint64_t NewTicket() {
    return ++next_ticket_;
  }
  // Wakes the suspended command if `ticket` is its own (stale wakes are ignored).
  void WakeUp(uint64_t ticket, WakeReason reason, engine::WriteResult result);
  // CLIENT UNBLOCK: wakes a blocked command (soon); false if there is none.
  bool Unblock(WakeReason reason);

  // ---- client-side caching (CLIENT TRACKING; tracking.h) ----
  TrackingState& tracking() {
    return tracking_;
  }
  const TrackingState& tracking() const {
    return tracking_;
  }

  // ---- KV.WATCH (kv_watch.cc) ----
  // Starts streaming the current bucket's changes as push frames. `globs` (empty: no residual
  // check) are matched against each key the engine's prefix filters let through.
  engine::Status StartKvWatch(const engine::WatchOptions& options, std::vector<std::string> globs);
  void StopKvWatch();
  bool kv_watching() const {
    return kv_watch_ != nullptr;
  }
  // Writes queued watch events (called by the front before the loop polls). Returns true if
  // events remain (output is over the high-water mark; resumed by OnDrained).
  bool PumpKvWatch();
  void OnDrained() override;
  // RESP2 push mode: subscribed to channels or streaming a KV.WATCH.
  bool in_push_mode() const {
    return in_pubsub() || kv_watch_ != nullptr;
  }

 private:
  struct Queued {
    const CommandSpec* spec;
    const CommandSpec* parent;
    std::vector<std::string> args;
  };

  // A suspended command: what is needed to resume it once the input buffer has moved on.
  struct Suspended {
    uint64_t ticket = 0;
    const CommandSpec* spec = nullptr;
    const CommandSpec* parent = nullptr;
    std::vector<std::string> args;
    int64_t now_ms = 0;
    int64_t deadline_ms = 0;
    bool unblockable = false;
    bool postponed = false;  // by CLIENT PAUSE: dispatched again when the pause ends
    Resume resume;
    BlockedServe serve = nullptr;  // a blocking command waiting on keys (resume unused)
  };
  // The command Call() is running (what Suspend copies).
  struct Running {
    const CommandSpec* spec = nullptr;
    const CommandSpec* parent = nullptr;
    std::span<const std::string_view> args;
    int64_t now_ms = 0;
  };

  void Dispatch(std::span<const std::string_view> args);
  // NOAUTH and ACL checks (Redis processCommand); false when the command was refused. Only
  // reached for a client not yet authenticated or whose user is restricted.
  bool CheckAccess(const CommandSpec* spec, const CommandSpec* parent,
                   std::span<const std::string_view> args);
  // EXEC checks each queued command again (the rules may have changed since it was queued).
  bool ExecAclAllows(const CommandSpec* spec, const CommandSpec* parent,
                     std::span<const std::string_view> args);
  // Runs EXEC's queued commands from exec_next_; stops early when one suspends.
  void RunExecQueue();
  // After a resumed command: the EXEC it belongs to goes on, then the pipeline.
  // input_now: the held pipeline runs before returning (Transport::ResumeInputNow).
  void AfterResume(bool input_now = false);
  // Forgets the suspended command without waking it (the client is going away).
  void DropSuspended();
  void Call(const CommandSpec* spec, const CommandSpec* parent,
            std::span<const std::string_view> args, int64_t now_ms);
  // An error found before running a command: flags the transaction, and EXEC's own errors
  // become EXECABORT.
  void Reject(const CommandSpec* spec, std::string_view message);
  void AfterAsyncOutput();
  // Leaves every channel, pattern and shard channel (close, RESET).
  void DropSubscriptions();
  using Names = std::set<std::string, std::less<>>;
  using PubSubOp = bool (PubSub::*)(RedisSession*, std::string_view);
  // Adds / removes one name of this session's set and the shared registry; false if unchanged.
  bool Join(Names& mine, std::string_view name, PubSubOp add);
  bool Leave(Names& mine, std::string_view name, PubSubOp remove);

  RedisFront& front_;
  translate::Transport& transport_;
  std::shared_ptr<AclUser> user_;
  bool authenticated_ = false;
  resp::ReplyWriter writer_;
  resp::RequestReader reader_;
  uint64_t id_;
  int db_ = 0;
  std::string name_;
  int64_t created_ms_ = 0;
  int64_t last_interaction_ms_ = 0;
  int64_t batch_now_ms_ = 0;
  const CommandSpec* last_spec_ = nullptr;
  const CommandSpec* last_parent_ = nullptr;
  size_t last_input_bytes_ = 0;
  bool closing_ = false;
  bool closed_ = false;
  bool in_on_bytes_ = false;

  bool in_multi_ = false;
  bool multi_error_ = false;  // a queued command was rejected: EXEC answers EXECABORT
  bool dirty_cas_ = false;    // a watched key changed: EXEC answers null
  std::vector<Queued> queued_;
  std::vector<Queued> exec_queue_;  // an EXEC's commands while one of them is suspended
  size_t exec_next_ = 0;
  int64_t exec_now_ms_ = 0;
  const CommandSpec* exec_spec_ = nullptr;  // EXEC itself, restored as the last command
  const CommandSpec* exec_parent_ = nullptr;

  Running running_;
  std::unique_ptr<Suspended> suspended_;  // allocated only when a command really waits
  uint64_t next_ticket_ = 0;
  uint64_t requests_ = 0;  // commands read from the client
  // While a pause is active: holds the command (and the pipeline behind it) until the pause
  // ends if the pause covers it; true if it did. Dispatch checks active() first (hot path).
  bool PostponeIfPaused(const CommandSpec* spec, const CommandSpec* parent,
                        std::span<const std::string_view> args);
  std::vector<std::pair<std::string, std::string>> watched_;  // (bucket, key)

  void OnWatchReady(engine::Watch& watch) override;

  std::unique_ptr<engine::Watch> kv_watch_;
  std::vector<std::string> kv_watch_globs_;
  std::string kv_watch_bucket_;

  std::set<std::string, std::less<>> channels_;
  std::set<std::string, std::less<>> patterns_;
  std::set<std::string, std::less<>> shard_channels_;
  int64_t soft_limit_since_ms_ = 0;

  TrackingState tracking_;
  std::string kv_bucket_;            // KV.USE bucket; empty: the database's bucket
  engine::BucketRef kv_bucket_ref_;  // the KV.USE bucket, looked up again once deleted
};

}  // namespace kvgate::redis

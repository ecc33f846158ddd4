#include "translate/redis/session.h"

#include <algorithm>

#include "translate/protected_mode.h"
#include "translate/redis/acl_check.h"
#include "translate/redis/client_info.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/script_engine.h"

namespace kvgate::redis {
namespace {

constexpr std::string_view kSubscribedContext =
    "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";

std::string FullName(const CommandSpec* spec, const CommandSpec* parent) {
  std::string name;
  if (parent != nullptr) {
    name.append(parent->name);
    name.push_back('|');
  }
  name.append(spec->name);
  return name;
}

// Redis authRequired() for a client not yet authenticated: the default user has a password or
// is off.
bool DefaultUserNeedsAuth(RedisFront& front) {
  const AclUser& def = *front.acl().default_user();
  return !def.nopass() || !def.enabled();
}

// What an ACL LOG entry names: the command, or the refused key or channel.
std::string DeniedObject(const AclCheck& check, std::span<const std::string_view> args) {
  return *check.denied == AclDenied::kCommand ? std::string(check.command)
                                              : std::string(args[check.pos]);
}

}  // namespace

void RedisSession::OnOpen() {
  if (!front_.config().protected_mode || !front_.acl().default_user()->nopass() ||
      translate::IsLocalPeer(transport_.PeerAddress())) {
    return;
  }
  transport_.Out().Append(kProtectedModeDenied);
  ++front_.stats().rejected_connections;
  transport_.CloseAfterFlush();
}

RedisSession::RedisSession(RedisFront& front, translate::Transport& transport, uint64_t id)
    : front_(front),
      transport_(transport),
      writer_(&transport.Out(), 2),
      reader_(&front.config().limits),
      id_(id) {
  created_ms_ = front_.store().clock().NowMs();
  last_interaction_ms_ = created_ms_;
  SetDefaultAuth();
}

void RedisSession::SetDefaultAuth() {
  user_ = front_.acl().default_user();
  authenticated_ = user_->nopass() && user_->enabled();
}

void RedisSession::Deauthenticate() {
  user_ = front_.acl().default_user();
  authenticated_ = false;
}

RedisSession::~RedisSession() {
  OnClose();
}

void RedisSession::OnBytes(protocols::InBuffer& in) {
  if (closing_ || closed_) {
    in.Consume(in.size());
    return;
  }
  if (suspended_ != nullptr) return;  // the pipeline waits; ResumeInput brings us back
  in_on_bytes_ = true;
  // One time snapshot per read batch: every command of a pipeline sees the same "now" (Redis
  // snapshots per command; the difference is the batch's processing time), and the clock is
  // read once per read() instead of once per command.
  batch_now_ms_ = front_.store().clock().NowMs();
  last_interaction_ms_ = batch_now_ms_;
  std::string_view data = in.Data();
  size_t pos = 0;
  while (!closing_) {
    size_t n = 0;
    // Until AUTH succeeds, Redis's small request limits apply (10 arguments of 16 KiB).
    if (!authenticated_) [[unlikely]] {
      reader_.set_unauthenticated(DefaultUserNeedsAuth(front_));
    } else {
      reader_.set_unauthenticated(false);
    }
    resp::ReadStatus status = reader_.Next(data.substr(pos), &n);
    pos += n;
    if (status == resp::ReadStatus::kNeedMore) break;
    if (status == resp::ReadStatus::kError) {
      // Redis replies to the protocol error, flushes what precedes it, then closes.
      if (!reader_.error().empty()) writer_.Error(reader_.error());
      CloseAfterReply();
      break;
    }
    ++requests_;
    Dispatch(reader_.args());
    // A command that completes later holds the rest of the pipeline, in order.
    if (suspended_ != nullptr) break;
    // Replies piling up unread: leave the rest of the pipeline for when they drain.
    if (transport_.OutputCongested()) break;
  }
  in_on_bytes_ = false;
  in.Consume(closing_ ? in.size() : pos);
  last_input_bytes_ = in.size();
}

void RedisSession::OnClose() {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  UnwatchAll();
  kv_watch_.reset();
  front_.tracking().Disable(*this);
  DropSubscriptions();
  queued_.clear();
  exec_queue_.clear();
  DropSuspended();
  front_.Unregister(this);
}

void RedisSession::CloseAfterReply() {
  closing_ = true;
  transport_.CloseAfterFlush();
}

void RedisSession::CloseNow() {
  if (closed_) return;
  closing_ = true;
  transport_.CloseNow();  // may call OnClose() synchronously
}

std::string RedisSession::LastCommandName() const {
  if (last_spec_ == nullptr) return "NULL";
  return FullName(last_spec_, last_parent_);
}

void RedisSession::Dispatch(std::span<const std::string_view> args) {
  const CommandTable& table = CommandTable::Get();
  const CommandSpec* spec = table.Find(args[0]);
  const CommandSpec* parent = nullptr;
  if (spec == nullptr) {
    Reject(nullptr, UnknownCommandError(args));
    return;
  }
  if (!spec->subcommands.empty() && args.size() >= 2) {
    const CommandSpec* sub = CommandTable::FindSub(*spec, args[1]);
    if (sub == nullptr) {
      std::string container(args[0]);
      for (char& c : container) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
      }
      std::string msg = "ERR unknown subcommand '";
      msg.append(CString(args[1]).substr(0, 128));
      msg.append("'. Try ");
      msg.append(CString(container));
      msg.append(" HELP.");
      Reject(nullptr, msg);
      return;
    }
    parent = spec;
    spec = sub;
  }
  const int argc = static_cast<int>(args.size());
  if ((spec->arity > 0 && argc != spec->arity) || argc < -spec->arity) {
    Reject(spec, "ERR wrong number of arguments for '" + FullName(spec, parent) + "' command");
    return;
  }
  // One branch for a client authenticated as an unrestricted user (the default user's case).
  if (!authenticated_ || !user_->unrestricted()) [[unlikely]] {
    if (!CheckAccess(spec, parent, args)) return;
  }
  if (resp() == 2 && in_push_mode() && !(spec->flags & kSubscribedOk)) {
    Reject(spec, "ERR Can't execute '" + FullName(spec, parent) + std::string(kSubscribedContext));
    return;
  }
  if (const ScriptRunner* busy = front_.scripts().timed_out_runner();
      busy != nullptr && !(spec->flags & kAllowBusy)) {
    Reject(spec, BusyScriptError(busy->kind()));
    return;
  }
  if (const translate::PersistenceControl* p = front_.persistence();
      p != nullptr && p->loading() && !(spec->flags & kLoading)) {
    Reject(spec, "LOADING Redis is loading the dataset in memory");
    return;
  }
  if (front_.client_pause().active() && PostponeIfPaused(spec, parent, args)) return;
  if (in_multi_ && (spec->flags & kNoMulti)) {
    Reject(spec, "ERR Command not allowed inside a transaction");
    return;
  }
  if (in_multi_ && !(spec->flags & kNotQueued)) {
    Queued q{spec, parent, {}};
    q.args.reserve(args.size());
    for (std::string_view a : args) q.args.emplace_back(a);
    queued_.push_back(std::move(q));
    writer_.SimpleString("QUEUED");
    return;
  }
  Call(spec, parent, args, batch_now_ms_);
  // Clients blocked on keys this command readied are served before this client's next command.
  if (front_.blocked().has_ready()) front_.ServeReadyKeys();
  // CLIENT CACHING applies to the next command (or transaction) only; Redis resetClient().
  if (tracking_.caching && !in_multi_ && (parent == nullptr ? spec : parent)->name != "client") {
    tracking_.caching = false;
  }
}

bool RedisSession::CheckAccess(const CommandSpec* spec, const CommandSpec* parent,
                               std::span<const std::string_view> args) {
  if (!authenticated_) {
    if (DefaultUserNeedsAuth(front_) && !(spec->flags & kNoAuth)) {
      Reject(spec, "NOAUTH Authentication required.");
      return false;
    }
  }
  // A no-multi command inside MULTI is refused for that first (Redis checks it before ACL).
  if (in_multi_ && (spec->flags & kNoMulti)) return true;
  const AclCheck check = CheckAcl(*user_, spec, args);
  if (!check.denied) return true;
  last_spec_ = spec;  // Redis has set the client's last command by now (ACL LOG client-info)
  last_parent_ = parent;
  const std::string name(check.command);
  LogDenied(*check.denied, in_multi_ ? AclContext::kMulti : AclContext::kToplevel,
            DeniedObject(check, args), user_->name());
  Reject(spec, NoPermError(*check.denied, name));
  return false;
}

std::optional<std::string> RedisSession::CheckScriptAcl(const CommandSpec* spec,
                                                        const CommandSpec* parent,
                                                        std::span<const std::string_view> args) {
  if (user_->unrestricted()) return std::nullopt;
  const AclCheck check = CheckAcl(*user_, spec, args);
  if (!check.denied) return std::nullopt;
  LogDenied(*check.denied, AclContext::kLua, DeniedObject(check, args), user_->name());
  return "The user executing the script " + std::string(ScriptAclError(*check.denied));
}

bool RedisSession::ExecAclAllows(const CommandSpec* spec, const CommandSpec* parent,
                                 std::span<const std::string_view> args) {
  const AclCheck check = CheckAcl(*user_, spec, args);
  if (!check.denied) return true;
  LogDenied(*check.denied, AclContext::kMulti, DeniedObject(check, args), user_->name());
  // Redis execCommand: the rules changed after the command was queued.
  std::string_view reason = *check.denied == AclDenied::kCommand
                                ? "no permission to execute the command or subcommand"
                            : *check.denied == AclDenied::kKey
                                ? "no permission to touch the specified keys"
                                : "no permission to access one of the channels used as arguments";
  writer_.Error(
      "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC "
      "call. This command is no longer allowed for the following reason: " +
      std::string(reason));
  return false;
}

void RedisSession::LogDenied(AclDenied reason, AclContext context, std::string object,
                             std::string_view username) {
  AclLogEntry entry;
  entry.reason = reason;
  entry.context = context;
  entry.object = std::move(object);
  entry.username.assign(username);
  entry.created_ms = front_.store().clock().NowMs();
  AppendClientInfo(*this, entry.created_ms, &entry.client_info);
  if (!entry.client_info.empty()) entry.client_info.pop_back();  // the line's '\n'
  front_.acl().Log(std::move(entry));
}

void RedisSession::Call(const CommandSpec* spec, const CommandSpec* parent,
                        std::span<const std::string_view> args, int64_t now_ms) {
  last_spec_ = spec;
  last_parent_ = parent;
  ++front_.stats().commands_processed;
  front_.BeginCommand(this);
  running_ = Running{spec, parent, args, now_ms};
  CommandContext ctx{*this, front_, args, writer_, spec, parent, now_ms};
  spec->handler(ctx);
  running_ = Running{};
  // Client-side caching: remember what a read-only command read (Redis call()).
  if (tracking_.on && (spec->flags & kReadOnly) && !(tracking_.options & kTrackBcast)) {
    front_.tracking().RememberKeys(*this, *spec, args);
  }
  front_.EndCommand();
}

void RedisSession::Reject(const CommandSpec* spec, std::string_view message) {
  if (tracking_.caching && !in_multi_) tracking_.caching = false;
  if (in_multi_) multi_error_ = true;
  if (spec != nullptr && spec->name == "exec") {
    // Redis execCommandAbort(): the transaction is discarded and the reason quoted.
    DiscardMulti();
    std::string_view reason = message;
    if (reason.substr(0, 4) == "ERR ") reason.remove_prefix(4);
    writer_.Error("EXECABORT Transaction discarded because of: " + std::string(reason));
    return;
  }
  writer_.Error(message);
}

// ---- transactions ----

void RedisSession::StartMulti() {
  in_multi_ = true;
  multi_error_ = false;
  queued_.clear();
}

void RedisSession::DiscardMulti() {
  in_multi_ = false;
  multi_error_ = false;
  queued_.clear();
  UnwatchAll();
}

void RedisSession::Exec(int64_t now_ms) {
  // A watched key whose TTL passed since WATCH counts as modified: reading it lets the engine
  // expire it lazily, which reaches the watch registry through the change listener.
  for (const auto& [bucket, key] : watched_) {
    if (engine::BucketRef b = front_.store().FindBucket(bucket)) (void)b->Get(key);
  }
  if (multi_error_ || dirty_cas_) {
    if (multi_error_) {
      writer_.Error("EXECABORT Transaction discarded because of previous errors.");
    } else {
      writer_.NullArray();
    }
    DiscardMulti();
    return;
  }
  exec_queue_ = std::move(queued_);
  queued_.clear();
  exec_next_ = 0;
  exec_now_ms_ = now_ms;
  in_multi_ = false;
  UnwatchAll();
  writer_.ArrayHeader(exec_queue_.size());
  exec_spec_ = last_spec_;
  exec_parent_ = last_parent_;
  RunExecQueue();
}

void RedisSession::RunExecQueue() {
  std::vector<std::string_view> views;
  while (exec_next_ < exec_queue_.size()) {
    const Queued& q = exec_queue_[exec_next_++];
    views.assign(q.args.begin(), q.args.end());
    if (!user_->unrestricted() && !ExecAclAllows(q.spec, q.parent, views)) continue;
    Call(q.spec, q.parent, views, exec_now_ms_);
    // A command that completes later: the rest of the transaction follows its reply.
    if (suspended_ != nullptr || closed_) return;
  }
  exec_queue_.clear();
  exec_next_ = 0;
  last_spec_ = exec_spec_;
  last_parent_ = exec_parent_;
}

void RedisSession::Watch(std::string_view bucket, std::string_view key) {
  for (const auto& [b, k] : watched_) {
    if (b == bucket && k == key) return;
  }
  // Expire a stale key first, so its expiry is not mistaken for a later change.
  if (engine::BucketRef b = front_.store().FindBucket(bucket)) (void)b->Get(key);
  front_.watches().Watch(this, bucket, key);
  watched_.emplace_back(std::string(bucket), std::string(key));
}

void RedisSession::UnwatchAll() {
  for (const auto& [bucket, key] : watched_) front_.watches().Unwatch(this, bucket, key);
  watched_.clear();
  dirty_cas_ = false;
}

engine::StoreBucket* RedisSession::CurrentBucket(engine::Errc* err) {
  if (kv_bucket_.empty()) return front_.Database(db_, err);
  if (kv_bucket_ref_ == nullptr || !kv_bucket_ref_->alive() ||
      kv_bucket_ref_->name() != kv_bucket_) {
    kv_bucket_ref_ = front_.store().FindBucket(kv_bucket_);
  }
  if (kv_bucket_ref_ == nullptr) *err = engine::Errc::kBucketNotFound;
  return kv_bucket_ref_.get();
}

std::string RedisSession::CurrentBucketName() const {
  return kv_bucket_.empty() ? front_.BucketName(db_) : kv_bucket_;
}

// ---- pub/sub ----

void RedisSession::WriteSubscriptionReply(std::string_view kind, const std::string_view* name,
                                          bool shard) {
  writer_.PushHeader(3);
  writer_.Bulk(kind);
  if (name != nullptr) {
    writer_.Bulk(*name);
  } else {
    writer_.Null();
  }
  writer_.Integer(static_cast<int64_t>(shard ? shard_channels_.size() : subscription_count()));
}

void RedisSession::DropSubscriptions() {
  PubSub& pubsub = front_.pubsub();
  for (const std::string& c : channels_) pubsub.UnsubscribeChannel(this, c);
  for (const std::string& p : patterns_) pubsub.UnsubscribePattern(this, p);
  for (const std::string& c : shard_channels_) pubsub.UnsubscribeShard(this, c);
  channels_.clear();
  patterns_.clear();
  shard_channels_.clear();
}

bool RedisSession::Join(Names& mine, std::string_view name, PubSubOp add) {
  if (!mine.emplace(name).second) return false;
  (front_.pubsub().*add)(this, name);
  return true;
}

bool RedisSession::Leave(Names& mine, std::string_view name, PubSubOp remove) {
  auto it = mine.find(name);
  if (it == mine.end()) return false;
  (front_.pubsub().*remove)(this, name);
  mine.erase(it);
  return true;
}

bool RedisSession::Subscribe(std::string_view channel) {
  return Join(channels_, channel, &PubSub::SubscribeChannel);
}
bool RedisSession::Unsubscribe(std::string_view channel) {
  return Leave(channels_, channel, &PubSub::UnsubscribeChannel);
}
bool RedisSession::PSubscribe(std::string_view pattern) {
  return Join(patterns_, pattern, &PubSub::SubscribePattern);
}
bool RedisSession::PUnsubscribe(std::string_view pattern) {
  return Leave(patterns_, pattern, &PubSub::UnsubscribePattern);
}
bool RedisSession::SSubscribe(std::string_view channel) {
  return Join(shard_channels_, channel, &PubSub::SubscribeShard);
}
bool RedisSession::SUnsubscribe(std::string_view channel) {
  return Leave(shard_channels_, channel, &PubSub::UnsubscribeShard);
}

void RedisSession::DeliverMessage(std::string_view kind, std::string_view channel,
                                  std::string_view message) {
  if (closing_) return;
  writer_.PushHeader(3);
  writer_.Bulk(kind);
  writer_.Bulk(channel);
  writer_.Bulk(message);
  AfterAsyncOutput();
}

void RedisSession::DeliverPMessage(std::string_view pattern, std::string_view channel,
                                   std::string_view message) {
  if (closing_) return;
  writer_.PushHeader(4);
  writer_.Bulk("pmessage");
  writer_.Bulk(pattern);
  writer_.Bulk(channel);
  writer_.Bulk(message);
  AfterAsyncOutput();
}

void RedisSession::AfterAsyncOutput() {
  if (!in_on_bytes_) transport_.ScheduleFlush();
  front_.CheckOutputLimit(this, -1);
}

void RedisSession::Reset() {
  DiscardMulti();
  StopKvWatch();
  front_.tracking().Disable(*this);
  kv_bucket_.clear();
  DropSubscriptions();
  set_resp(2);
  db_ = 0;
  name_.clear();
  SetDefaultAuth();
}

}  // namespace kvgate::redis

// File: translate/redis/command.cc
// CommandContext's helpers: the current database's bucket, keyspace notifications, and the
// handler's side of commands that complete later (pending.h).
#include "translate/redis/command.h"

#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/script_engine.h"
#include "translate/redis/session.h"

namespace kvgate::redis {

engine::StoreBucket* CommandContext::Db() {
  engine::Errc err = engine::Errc::kOk;
  engine::StoreBucket* b = session.CurrentBucket(&err);
  if (b == nullptr) ReplyEngineError(w, err);
  return b;
}

engine::StoreBucket* CommandContext::DbAt(int index) {
  engine::Errc err = engine::Errc::kOk;
  engine::StoreBucket* b = front.Database(index, &err);
  if (b == nullptr) ReplyEngineError(w, err);
  return b;
}

int CommandContext::db_index() const {
  return session.notify_db();
}

void CommandContext::Notify(uint32_t type, std::string_view event, std::string_view key) {
  const int db = session.notify_db();
  if (db >= 0) front.Notify(db, type, event, key);
}

void CommandContext::WriteCurrent(const engine::WriteRequest& request, engine::WriteDone done) {
  engine::Errc err = engine::Errc::kOk;
  engine::StoreBucket* b = session.CurrentBucket(&err);
  if (b == nullptr) return std::move(done)(engine::WriteResult(err));
  b->Write(request, std::move(done));
}

void CommandContext::Suspend(int64_t deadline_ms, bool unblockable, Resume resume) {
  session.Suspend(session.NewTicket(), deadline_ms, unblockable, std::move(resume));
}

bool CommandContext::may_block() const {
  return !session.executing_transaction() && !in_script();
}

bool CommandContext::in_script() const {
  const ScriptEngine* scripts = front.scripts_if_open();
  return scripts != nullptr && scripts->running();
}

void CommandContext::BlockOnKeys(std::span<const std::string_view> keys, engine::ValueType type,
                                 int64_t deadline_ms, BlockedServe serve,
                                 std::span<const std::string_view> serve_args) {
  engine::Errc err = engine::Errc::kOk;
  engine::StoreBucket* b = session.CurrentBucket(&err);
  if (b == nullptr) return ReplyEngineError(w, err);
  session.SuspendOnKeys(deadline_ms, serve, serve_args);
  front.blocked().Add(session.id(), b->name(), keys, type);
}

uint64_t CommandContext::BeginAwait() {
  const uint64_t ticket = session.NewTicket();
  front.BeginAwait(&session, ticket);
  return ticket;
}

engine::WriteDone CommandContext::AwaitCompletion(uint64_t ticket) {
  return front.AwaitCompletion(&session, ticket);
}

std::optional<engine::WriteResult> CommandContext::EndAwait(uint64_t ticket) {
  return front.EndAwait(ticket);
}

void CommandContext::SuspendAwait(uint64_t ticket, Resume resume) {
  session.Suspend(ticket, 0, false, std::move(resume));
}

}  // namespace kvgate::redis

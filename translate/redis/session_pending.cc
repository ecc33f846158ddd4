// File: translate/redis/session_pending.cc
// The session's half of commands that complete later (pending.h): suspending the running
// command, waking it (an answer, its deadline, CLIENT UNBLOCK), dropping it when the client
// goes, and handing the held pipeline back to the gateway afterwards.
//
//   ctx.Suspend(deadline, true, resume);   // handler: Call() returns, OnBytes stops reading on
//   front.RunPending() -> session.WakeUp(ticket, kTimeout, 0) -> resume(Wake) -> ResumeInput()
#include <cassert>
#include <string_view>
#include <utility>
#include <vector>

#include "translate/redis/front.h"
#include "translate/redis/session.h"

namespace kvgate::redis {

void RedisSession::Suspend(uint64_t ticket, int64_t deadline_ms, bool unblockable, Resume resume) {
  assert(running_.spec != nullptr && suspended_ == nullptr);
  auto s = std::make_unique<Suspended>();
  s->ticket = ticket;
  s->spec = running_.spec;
  s->parent = running_.parent;
  s->args.assign(running_.args.begin(), running_.args.end());
  s->now_ms = running_.now_ms;
  s->deadline_ms = deadline_ms;
  s->unblockable = unblockable;
  s->resume = std::move(resume);
  if (deadline_ms > 0) front_.pending().AddDeadline(deadline_ms, id_, ticket);
  suspended_ = std::move(s);
}

void RedisSession::WakeUp(uint64_t ticket, WakeReason reason, engine::WriteResult result) {
  if (suspended_ == nullptr || suspended_->ticket != ticket || closing_) return;
  std::unique_ptr<Suspended> s = std::move(suspended_);
  if (s->deadline_ms > 0 && reason != WakeReason::kTimeout) {
    front_.pending().RemoveDeadline(s->deadline_ms, id_, s->ticket);
  }
  std::vector<std::string_view> views(s->args.begin(), s->args.end());
  front_.BeginCommand(this);
  running_ = Running{s->spec, s->parent, views, s->now_ms};
  CommandContext ctx{*this, front_, views, writer_, s->spec, s->parent, s->now_ms};
  if (s->serve != nullptr) {
    // A blocking command's deadline or CLIENT UNBLOCK: it stops waiting on its keys.
    front_.blocked().Remove(id_);
    if (reason == WakeReason::kUnblockError) {
      writer_.Error(kUnblockedError);
    } else {
      s->serve(ctx, nullptr);
    }
  } else {
    std::move(s->resume)(Wake{&ctx, reason, std::move(result)});
  }
  running_ = Running{};
  front_.EndCommand();
  // The command may have suspended again (a second round trip); it still holds the pipeline.
  if (suspended_ == nullptr) AfterResume();
  if (front_.blocked().has_ready()) front_.ServeReadyKeys();
}

void RedisSession::SuspendOnKeys(int64_t deadline_ms, BlockedServe serve,
                                 std::span<const std::string_view> serve_args) {
  Suspend(NewTicket(), deadline_ms, /*unblockable=*/true, Resume{});
  suspended_->serve = serve;
  if (!serve_args.empty()) suspended_->args.assign(serve_args.begin(), serve_args.end());
}

bool RedisSession::ServeBlocked(std::string_view ready_key) {
  if (suspended_ == nullptr || suspended_->serve == nullptr || !suspended_->unblockable ||
      closing_) {
    return false;  // not waiting on keys, or a CLIENT UNBLOCK wake is already queued
  }
  std::unique_ptr<Suspended> s = std::move(suspended_);
  std::vector<std::string_view> views(s->args.begin(), s->args.end());
  front_.BeginCommand(this);
  // Served now, so it runs at this moment's time (a consumer group's delivery time, say).
  const int64_t now_ms = front_.store().clock().NowMs();
  running_ = Running{s->spec, s->parent, views, now_ms};
  CommandContext ctx{*this, front_, views, writer_, s->spec, s->parent, now_ms};
  const bool served = s->serve(ctx, &ready_key);
  running_ = Running{};
  front_.EndCommand();
  if (!served) {
    assert(suspended_ == nullptr);
    suspended_ = std::move(s);  // waits on, in its place
    return false;
  }
  if (s->deadline_ms > 0) front_.pending().RemoveDeadline(s->deadline_ms, id_, s->ticket);
  front_.blocked().Remove(id_);
  // The pop may itself wait for a store that answers later; it still holds the pipeline.
  if (suspended_ == nullptr) AfterResume();
  return true;
}

bool RedisSession::Unblock(WakeReason reason) {
  if (suspended_ == nullptr || !suspended_->unblockable) return false;  // a postponed one: 0
  // Woken from RunPending, not inside the CLIENT UNBLOCK that asked: commands never nest. It
  // no longer counts as blocked, so a second CLIENT UNBLOCK answers 0 as in Redis.
  suspended_->unblockable = false;
  front_.pending().Queue(id_, suspended_->ticket, reason, uint64_t{0});
  return true;
}

bool RedisSession::PostponeIfPaused(const CommandSpec* spec, const CommandSpec* parent,
                                    std::span<const std::string_view> args) {
  ClientPause& pause = front_.client_pause();
  constexpr uint32_t kWrites = kWrite | kMayReplicate;
  bool writes = (spec->flags & kWrites) != 0;
  if (spec->name == "exec" && in_multi_) {
    for (const Queued& q : queued_) writes |= (q.spec->flags & kWrites) != 0;
  }
  if (!pause.Covers(writes)) return false;
  auto s = std::make_unique<Suspended>();
  s->ticket = NewTicket();
  s->spec = spec;
  s->parent = parent;
  s->args.assign(args.begin(), args.end());
  s->postponed = true;
  suspended_ = std::move(s);
  pause.Postpone(id_);
  return true;
}

void RedisSession::RunPostponed() {
  if (suspended_ == nullptr || !suspended_->postponed || closing_) return;
  std::unique_ptr<Suspended> s = std::move(suspended_);
  std::vector<std::string_view> views(s->args.begin(), s->args.end());
  batch_now_ms_ = front_.store().clock().NowMs();
  Dispatch(views);
  if (suspended_ == nullptr) AfterResume(/*input_now=*/true);
}

void RedisSession::AfterResume(bool input_now) {
  if (closed_) return;
  if (!exec_queue_.empty()) RunExecQueue();
  if (suspended_ != nullptr || closed_) return;
  AfterAsyncOutput();
  // Pipelined commands that arrived meanwhile run from the loop, not from inside this wake.
  if (closing_) return;
  if (input_now) {
    transport_.ResumeInputNow();
  } else {
    transport_.ResumeInput();
  }
}

void RedisSession::DropSuspended() {
  if (suspended_ == nullptr) return;
  if (suspended_->serve != nullptr) front_.blocked().Remove(id_);
  if (suspended_->deadline_ms > 0) {
    front_.pending().RemoveDeadline(suspended_->deadline_ms, id_, suspended_->ticket);
  }
  suspended_.reset();
}

}  // namespace kvgate::redis

// File: translate/redis/pending.h
// Commands that complete later (docs/design.md "Commands that complete later"): a command whose
// reply is not ready when it runs (a store that answers later, WAIT, a blocking pop, a durable
// write) suspends itself with a Resume callback. Its client's later pipelined commands stay in
// the input buffer, in order, until it is woken; every other client goes on. A wake is one of:
// the store's answer, the command's deadline, CLIENT UNBLOCK; a client that goes away (QUIT,
// CLIENT KILL, disconnect, shutdown) drops its suspended command without waking it.
//
//   // in a handler: reply when the store has answered (at once for the in-memory engine)
//   ctx.AwaitWrite(*db, engine::WriteRequest::Put(key, value),
//                  [](CommandContext& c, engine::WriteResult r) { c.w.Ok(); });
//   // or wait for a deadline (WAIT): reply from the Resume callback
//   ctx.Suspend(deadline_ms, /*unblockable=*/true, [](Wake w) { w.ctx->w.Integer(0); });
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <vector>

#include "engine/completion.h"
#include "engine/store.h"

namespace kvgate::redis {

struct CommandContext;

enum class WakeReason : uint8_t {
  kResult,          // the store answered (result holds it)
  kTimeout,         // the command's deadline passed
  kUnblockTimeout,  // CLIENT UNBLOCK id [TIMEOUT]: reply as on timeout
  kUnblockError,    // CLIENT UNBLOCK id ERROR: reply -UNBLOCKED
};

// What a suspended command is resumed with. `ctx` is rebuilt over the command's own copy of its
// arguments; it lives for the duration of the Resume call.
struct Wake {
  CommandContext* ctx = nullptr;
  WakeReason reason = WakeReason::kResult;
  engine::WriteResult result = uint64_t{0};
};

using Resume = engine::Completion<Wake>;

// How a blocking command (BLPOP, BZPOPMIN, ...) is served once it waits: called over the
// command's own copy of its arguments with the key that became ready, it pops and replies and
// returns true, or returns false to go on waiting in its place; called with nullptr when the
// command timed out (or CLIENT UNBLOCK ... TIMEOUT), it writes the timeout reply.
using BlockedServe = bool (*)(CommandContext& ctx, const std::string_view* ready_key);

// The error a command woken by CLIENT UNBLOCK ... ERROR replies with (Redis 7.0's text).
inline constexpr std::string_view kUnblockedError = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

// The front's bookkeeping of suspended commands: answers that arrived for them and their
// deadlines, delivered from RunPending (never inside another client's command or an engine
// call). Clients are named by id, so an answer for a client that has gone is dropped safely.
class PendingWakes {
 public:
  struct Due {
    uint64_t client_id;
    uint64_t ticket;
    WakeReason reason;
    engine::WriteResult result;
  };

  void Queue(uint64_t client_id, uint64_t ticket, WakeReason reason, engine::WriteResult result) {
    queued_.push_back(Due{client_id, ticket, reason, std::move(result)});
  }
  void AddDeadline(int64_t deadline_ms, uint64_t client_id, uint64_t ticket) {
    deadlines_.emplace(deadline_ms, client_id, ticket);
  }
  void RemoveDeadline(int64_t deadline_ms, uint64_t client_id, uint64_t ticket) {
    deadlines_.erase({deadline_ms, client_id, ticket});
  }
  // Moves queued answers and deadlines that have passed at `now_ms` into `out`.
  void TakeDue(int64_t now_ms, std::vector<Due>* out) {
    for (Due& d : queued_) out->push_back(std::move(d));
    queued_.clear();
    while (!deadlines_.empty() && std::get<0>(*deadlines_.begin()) <= now_ms) {
      auto [when, id, ticket] = *deadlines_.begin();
      deadlines_.erase(deadlines_.begin());
      out->push_back(Due{id, ticket, WakeReason::kTimeout, uint64_t{0}});
    }
  }
  bool HasQueued() const {
    return !queued_.empty();
  }
  bool HasDueDeadline(int64_t now_ms) const {
    return !deadlines_.empty() && std::get<0>(*deadlines_.begin()) <= now_ms;
  }
  bool HasDeadlines() const {
    return !deadlines_.empty();
  }
  // The earliest deadline (0: none).
  int64_t NextDeadline() const {
    return deadlines_.empty() ? 0 : std::get<0>(*deadlines_.begin());
  }

 private:
  std::vector<Due> queued_;
  std::set<std::tuple<int64_t, uint64_t, uint64_t>> deadlines_;  // (when, client id, ticket)
};

}  // namespace kvgate::redis

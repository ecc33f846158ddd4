// File: translate/redis/command.h
// The Redis command table as data. A family file (*_cmds.cc) holds its handlers, one constexpr
// CommandSpec array with one line per command, and a function returning that array:
//
//   void GetCmd(CommandContext& ctx);
//   // {name, arity, flags, handler[, first key, last key, key step]}
//   constexpr CommandSpec kCommands[] = {{"get", 2, kReadOnly | kFast, GetCmd, 1, 1, 1}};
//   std::span<const CommandSpec> StringCommands() { return kCommands; }
//
// Containers (CLIENT, CONFIG, ...) name their subcommand array:
//   constexpr CommandSpec kCommands[] = {Container("client", -2, kClientFlags, kSubcommands)};
// Handlers receive a CommandContext (the session, the front, the arguments, a reply writer and
// the command's time snapshot).
//
// Adding a family: write its *_cmds.cc, declare and list its function in command_table.cc
// (kFamilies; the order there is COMMAND's output order), and put its COMMAND DOCS summaries in
// command_docs.cc. Families do not register themselves from static constructors: those would run
// in link order (and so would COMMAND's output), and the linker drops an object file of a static
// library that nothing refers to. Instead CommandTable::Get() builds the lookup table on first
// use from the constexpr arrays, which are constant-initialized before any code runs, so even a
// lookup from another file's static initializer sees every command.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "engine/store.h"
#include "protocols/resp/reply_writer.h"
#include "translate/redis/pending.h"

namespace kvgate::redis {

class RedisSession;
class RedisFront;
struct CommandContext;

using Handler = void (*)(CommandContext&);

enum CommandFlag : uint32_t {
  kWrite = 1u << 0,
  kReadOnly = 1u << 1,
  kFast = 1u << 2,
  kAdmin = 1u << 3,
  kPubSub = 1u << 4,
  kNoScript = 1u << 5,
  kLoading = 1u << 6,
  kStale = 1u << 7,
  // Allowed in RESP2 subscribed mode (PING, (P)SUBSCRIBE, (P)UNSUBSCRIBE, QUIT, RESET).
  kSubscribedOk = 1u << 8,
  // Runs at once inside MULTI instead of being queued (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET).
  kNotQueued = 1u << 9,
  kNoAuth = 1u << 10,
  // Not a write, but replicated (PUBLISH, scripts): CLIENT PAUSE WRITE postpones it too.
  kMayReplicate = 1u << 11,
  // May wait for a key (BLPOP, BZPOPMIN, ...): COMMAND INFO flag "blocking".
  kBlocking = 1u << 12,
  // Runs while a script is past busy-reply-threshold (SCRIPT KILL, AUTH, MULTI, ...); every
  // other command is answered -BUSY then. COMMAND INFO flag "allow_busy".
  kAllowBusy = 1u << 13,
  // Refused inside MULTI: "Command not allowed inside a transaction" (COMMAND INFO "no_multi").
  kNoMulti = 1u << 14,
};

struct CommandSpec {
  std::string_view name;  // lower case; "client|setname" style for subcommands is built on use
  int arity = 0;          // Redis arity: N exactly, -N at least N (name included)
  uint32_t flags = 0;
  Handler handler = nullptr;  // nullptr for a container that only dispatches to subcommands
  int first_key = 0;          // COMMAND INFO key positions: 0 = no keys; last_key -1 = to the end
  int last_key = 0;
  int key_step = 0;
  std::span<const CommandSpec> subcommands = {};  // non-empty for containers (CLIENT, CONFIG, ...)
};

// A container: a command whose first argument names a subcommand (CLIENT, CONFIG, ...). Its
// `handler` runs when no subcommand is given (COMMAND alone).
constexpr CommandSpec Container(std::string_view name, int arity, uint32_t flags,
                                std::span<const CommandSpec> subcommands,
                                Handler handler = nullptr) {
  return {name, arity, flags, handler, 0, 0, 0, subcommands};
}

// One command invocation.
struct CommandContext {
  RedisSession& session;
  RedisFront& front;
  std::span<const std::string_view> args;
  resp::ReplyWriter& w;
  const CommandSpec* spec;    // the command (or subcommand) being run
  const CommandSpec* parent;  // the container for subcommands, else nullptr
  int64_t now_ms;             // time snapshot for the whole command (Redis commandTimeSnapshot)

  size_t argc() const {
    return args.size();
  }
  std::string_view arg(size_t i) const {
    return args[i];
  }
  // The bucket backing the session's current database (created on first use); nullptr after an
  // engine error, in which case an error reply has been written.
  engine::StoreBucket* Db();
  // Same for database `index`.
  engine::StoreBucket* DbAt(int index);
  // The session's database number; -1 while it works on a KV.USE bucket that backs none.
  int db_index() const;
  // Fires a keyspace notification for the session's database (no-op when disabled).
  void Notify(uint32_t type, std::string_view event, std::string_view key);

  // ---- commands that complete later (pending.h) ----
  // Runs then(ctx, result) with the store's answer to `request`: at once when the store answers
  // at once (the in-memory engine always does), else when it answers, this client's later
  // commands waiting meanwhile. `then` must capture nothing that dies with this call (argument
  // views: read them again from its ctx; values read from the store: copy them).
  template <typename Then>
  void AwaitWrite(engine::StoreBucket& bucket, const engine::WriteRequest& request, Then then) {
    Await([&](engine::WriteDone done) { bucket.Write(request, std::move(done)); }, std::move(then));
  }
  // The same for any change: issue(done) hands `done` to one store call.
  template <typename Issue, typename Then>
  void Await(Issue&& issue, Then then) {
    const uint64_t ticket = BeginAwait();
    issue(AwaitCompletion(ticket));
    std::optional<engine::WriteResult> now = EndAwait(ticket);
    if (now) return then(*this, std::move(*now));
    SuspendAwait(ticket, [then = std::move(then)](Wake wake) mutable {
      then(*wake.ctx, std::move(wake.result));
    });
  }
  // Several changes in order, each after the previous one's answer: issue(ctx, i, state, done)
  // for i in [from, n); each(ctx, i, result, state) after answer i returns false to stop (it
  // has replied); finish(ctx, state) after the last. `state` (a value that is cheap to move,
  // e.g. a count) goes along. A plain loop with the in-memory engine; resumed after each answer
  // with a store that answers later. The callables must be small and capture no views (as
  // `then` above).
  template <typename State, typename Issue, typename Each, typename Finish>
  void AwaitSequence(size_t from, size_t n, State state, Issue issue, Each each, Finish finish) {
    for (size_t i = from; i < n; ++i) {
      const uint64_t ticket = BeginAwait();
      issue(*this, i, state, AwaitCompletion(ticket));
      std::optional<engine::WriteResult> now = EndAwait(ticket);
      if (!now) {
        SuspendAwait(ticket,
                     [i, n, state = std::move(state), issue, each, finish](Wake wake) mutable {
                       if (!each(*wake.ctx, i, std::move(wake.result), state)) return;
                       wake.ctx->AwaitSequence(i + 1, n, std::move(state), issue, each, finish);
                     });
        return;
      }
      if (!each(*this, i, std::move(*now), state)) return;
    }
    finish(*this, state);
  }
  // A change to a key's collection (StoreBucket::Mutate): fn(collection, state) runs at once
  // and returns whether it changed anything (it may read views and write into `state`); then
  // then(ctx, result, state) runs when the store has acknowledged the change (result: the
  // revision appended, 0 for none, or an error such as kWrongType), at once in memory. `state`
  // carries what the reply needs (a count, the popped elements) and must be small to move.
  template <typename State, typename Fn, typename Then>
  void AwaitMutate(engine::StoreBucket& bucket, std::string_view key, engine::ValueType type,
                   engine::MutateOptions options, State state, Fn&& fn, Then then) {
    const uint64_t ticket = BeginAwait();
    bucket.Mutate(
        key, type, options, [&](engine::Collection& c) -> bool { return fn(c, state); },
        AwaitCompletion(ticket));
    std::optional<engine::WriteResult> now = EndAwait(ticket);
    if (now) return then(*this, std::move(*now), state);
    SuspendAwait(ticket, [then = std::move(then), state = std::move(state)](Wake wake) mutable {
      then(*wake.ctx, std::move(wake.result), state);
    });
  }
  // Writes to the session's current bucket; a lookup failure is answered to `done` (used by
  // AwaitSequence steps, which look the bucket up again after each answer).
  void WriteCurrent(const engine::WriteRequest& request, engine::WriteDone done);
  // Suspends this command until `deadline_ms` (0: none) or, if unblockable, CLIENT UNBLOCK;
  // `resume` then writes the reply (WAIT, blocking pops).
  void Suspend(int64_t deadline_ms, bool unblockable, Resume resume);

  // ---- blocking commands (BLPOP, BZPOPMIN, ...) ----
  // Whether this command may wait: not inside EXEC or a script, where a blocking command
  // answers at once as on timeout (Redis CLIENT_DENY_BLOCKING).
  bool may_block() const;
  // Waits until a change readies one of `keys` of the current database for a value of `type`
  // (clients waiting on a key are served oldest first), `deadline_ms` passes (0: never) or
  // CLIENT UNBLOCK; `serve` then replies (pending.h BlockedServe).
  // `serve_args` (when not empty) replaces the arguments serve is called over: XREAD keeps
  // the IDs its `$` stood for when it blocked.
  void BlockOnKeys(std::span<const std::string_view> keys, engine::ValueType type,
                   int64_t deadline_ms, BlockedServe serve,
                   std::span<const std::string_view> serve_args = {});
  // Whether a script is running this command (XREAD BLOCK is refused there).
  bool in_script() const;

 private:
  uint64_t BeginAwait();
  engine::WriteDone AwaitCompletion(uint64_t ticket);
  // The answer if it came before the store call returned.
  std::optional<engine::WriteResult> EndAwait(uint64_t ticket);
  void SuspendAwait(uint64_t ticket, Resume resume);
};

}  // namespace kvgate::redis

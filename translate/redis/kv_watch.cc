// KV.WATCH / KV.UNWATCH: an engine watch on the session's database, streamed as push frames
// (arrays in RESP2, where the connection is then in push mode like a subscriber).
//
//   KV.WATCH [MATCH glob] [FROM rev | AFTER rev | HISTORY | NEW]   -> +OK, then pushes:
//     ["kv", key, "PUT"|"DEL"|"PURGE", revision, value]   one per change (initial part first)
//     ["kv-synced", revision]                             once the initial part is delivered
//     ["kv-error", "CURSOREXPIRED ..." | "SLOWCONSUMER ..."]  the watch ended; resume from the
//                                                          last revision seen with AFTER
// The default start is the current value (or tombstone) of every matching key, then live
// changes; AFTER rev resumes from a cursor and fails with CURSOREXPIRED if history was compacted.
#include <string>

#include "engine/engine.h"
#include "protocols/resp/number.h"
#include "translate/redis/arg_parser.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/glob.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

// Above this much unsent output the pump pauses; OnDrained or the next Tick resumes it.
constexpr size_t kPumpHighWater = 4 << 20;
constexpr size_t kPollBatch = 256;

std::string_view OpName(engine::Op op) {
  switch (op) {
    case engine::Op::kPut:
      return "PUT";
    case engine::Op::kDelete:
      return "DEL";
    case engine::Op::kPurge:
      return "PURGE";
  }
  return "PUT";
}

std::string FailureText(engine::Errc errc, engine::Revision position) {
  std::string pos = std::to_string(position);
  switch (errc) {
    case engine::Errc::kCursorExpired:
      return "CURSOREXPIRED history after revision " + pos +
             " has been compacted; re-read the keys";
    case engine::Errc::kSlowConsumer:
      return "SLOWCONSUMER the watch fell behind; resume with AFTER " + pos;
    case engine::Errc::kBucketNotFound:
      return "BUCKETDELETED the database's bucket was deleted";
    default:
      return std::string("ERR watch failed: ") + std::string(engine::ErrcName(errc));
  }
}

void WatchCmd(CommandContext& ctx) {
  engine::WatchOptions options;
  options.start = engine::WatchStart::kLatestPerKey;
  std::string_view glob;
  ArgParser p(ctx.args, 1);
  auto revision = [&](engine::Revision* out) {
    int64_t v = -1;
    std::string_view text = p.Next();
    if (!resp::ParseInt64(text, &v) || v < 0) {
      p.Fail("ERR revision is not a non-negative integer");
      return;
    }
    *out = static_cast<engine::Revision>(v);
  };
  while (!p.Done()) {
    if (p.Remaining() >= 2 && p.Keyword("MATCH")) {
      glob = p.Next();
    } else if (p.Remaining() >= 2 && p.Keyword("FROM")) {
      options.start = engine::WatchStart::kFromRevision;
      revision(&options.revision);
    } else if (p.Remaining() >= 2 && p.Keyword("AFTER")) {
      options.start = engine::WatchStart::kAfterCursor;
      revision(&options.revision);
    } else if (p.Keyword("HISTORY")) {
      options.start = engine::WatchStart::kAllHistory;
    } else if (p.Keyword("NEW")) {
      options.start = engine::WatchStart::kNewOnly;
    } else {
      p.Fail(kSyntaxError);
    }
  }
  if (p.ReplyIfError(ctx.w)) return;
  if (ctx.session.kv_watching())
    return ctx.w.Error("ERR a KV.WATCH is already active; KV.UNWATCH first");
  if (!glob.empty() && !(glob.size() == 1 && glob[0] == '*')) {
    options.filters.push_back(engine::KeyFilter::Prefix(GlobLiteralPrefix(glob)));
  } else {
    glob = {};
  }
  engine::Status st = ctx.session.StartKvWatch(options, glob);
  if (!st.ok()) {
    if (st.errc() == engine::Errc::kCursorExpired) {
      return ctx.w.Error("CURSOREXPIRED history after revision " +
                         std::to_string(options.revision) + " has been compacted (watermark " +
                         std::to_string(st.detail()) + "); re-read the keys");
    }
    return ReplyEngineError(ctx.w, st.errc());
  }
  ctx.w.Ok();
}

void UnwatchCmd(CommandContext& ctx) {
  ctx.session.StopKvWatch();
  ctx.w.Ok();
}

const CommandSpec kCommands[] = {
    {"kv.watch",
     -1,
     kReadOnly | kNoScript,
     WatchCmd,
     {},
     0,
     0,
     0,
     "Streams a database's changes from a revision."},
    {"kv.unwatch",
     1,
     kReadOnly | kNoScript | kSubscribedOk,
     UnwatchCmd,
     {},
     0,
     0,
     0,
     "Stops a KV.WATCH stream."},
};

}  // namespace

std::span<const CommandSpec> KvWatchCommands() {
  return kCommands;
}

engine::Status RedisSession::StartKvWatch(const engine::WatchOptions& options,
                                          std::string_view glob) {
  engine::Errc err = engine::Errc::kOk;
  engine::Bucket* db = front_.Database(db_, &err);
  if (db == nullptr) return err;
  auto watch = db->StartWatch(options, this);
  if (!watch.ok()) return engine::Status(watch.errc(), watch.detail());
  kv_watch_ = std::move(*watch);
  kv_watch_glob_.assign(glob);
  if (kv_watch_->HasEvents()) front_.QueueKvWatch(this);
  return {};
}

void RedisSession::StopKvWatch() {
  kv_watch_.reset();
  kv_watch_glob_.clear();
}

void RedisSession::OnWatchReady(engine::Watch&) {
  // Inside an engine mutation: only queue; the front pumps before the loop polls.
  front_.QueueKvWatch(this);
}

void RedisSession::OnDrained() {
  if (kv_watch_ != nullptr && kv_watch_->HasEvents()) front_.QueueKvWatch(this);
}

bool RedisSession::PumpKvWatch() {
  if (kv_watch_ == nullptr || closing_) return false;
  bool failed = false;
  bool wrote = false;
  while (!failed && kv_watch_->HasEvents()) {
    if (transport_.PendingOutputBytes() > kPumpHighWater) break;
    kv_watch_->Poll(kPollBatch, [&](const engine::WatchEvent& ev) {
      switch (ev.kind) {
        case engine::WatchEvent::Kind::kEntry:
          if (!kv_watch_glob_.empty() && !GlobMatch(kv_watch_glob_, ev.entry.key)) return;
          writer_.PushHeader(5);
          writer_.Bulk("kv");
          writer_.Bulk(ev.entry.key);
          writer_.Bulk(OpName(ev.entry.op));
          writer_.Integer(static_cast<int64_t>(ev.entry.revision));
          writer_.Bulk(ev.entry.value);
          break;
        case engine::WatchEvent::Kind::kInitialDone:
          writer_.PushHeader(2);
          writer_.Bulk("kv-synced");
          writer_.Integer(static_cast<int64_t>(kv_watch_->Position()));
          break;
        case engine::WatchEvent::Kind::kFailed:
          writer_.PushHeader(2);
          writer_.Bulk("kv-error");
          writer_.Bulk(FailureText(ev.error, kv_watch_->Position()));
          failed = true;
          break;
      }
      wrote = true;
    });
  }
  const bool more = !failed && kv_watch_->HasEvents();
  if (failed) StopKvWatch();
  if (wrote && !in_on_bytes_) transport_.ScheduleFlush();
  return more;
}

}  // namespace kvgate::redis

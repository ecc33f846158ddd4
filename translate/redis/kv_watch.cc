// KV.WATCH / KV.UNWATCH: an engine watch on the session's bucket, streamed as push frames
// (RESP3 `>` pushes; RESP2 arrays, the connection then being in push mode like a subscriber).
//
//   KV.WATCH pattern [pattern ...] [FROM rev | AFTER cursor | NEW] [HISTORY] [IGNOREDELETES]
//            [METAONLY]                                  -> +OK, then:
//     ["kv", key, "PUT"|"DEL"|"PURGE", revision, value]  one per change (value null: METAONLY)
//     ["kv-synced", revision]                            once, at the end of the initial part
//     ["kv-error", "CURSOREXPIRED <watermark> ..." | "SLOWCONSUMER <cursor> ..." | ...]
//                                                        the watch ended
// Patterns are Redis globs ('*' = every key). Each becomes an engine filter on its literal head
// (exact key or byte prefix); the rest of the glob is checked here. The default start is the
// current entry of every matching key then live changes; HISTORY adds their retained history;
// FROM replays from a revision; AFTER resumes from a cursor (the last revision applied) and
// fails with CURSOREXPIRED, never with a silent gap, when history after it was compacted.
#include <string>
#include <vector>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/glob.h"
#include "translate/redis/kv_common.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

// Above this much unsent output the pump pauses; OnDrained or the next Tick resumes it.
constexpr size_t kPumpHighWater = 4 << 20;
constexpr size_t kPollBatch = 256;

constexpr std::string_view kOptionWords[] = {"FROM",    "AFTER",         "NEW",
                                             "HISTORY", "IGNOREDELETES", "METAONLY"};

bool IsOptionWord(std::string_view arg) {
  for (std::string_view w : kOptionWords) {
    if (EqualsIgnoreCase(CString(arg), w)) return true;
  }
  return false;
}

bool HasGlobSpecials(std::string_view p) {
  return p.find_first_of("*?[\\") != std::string_view::npos;
}

std::string FailureText(engine::Errc errc, engine::Revision position, engine::StoreBucket* bucket) {
  const std::string pos = std::to_string(position);
  switch (errc) {
    case engine::Errc::kCursorExpired:
      return CursorExpiredText(bucket != nullptr ? bucket->Watermark() : position);
    case engine::Errc::kSlowConsumer:
      return "SLOWCONSUMER " + pos + " the watch fell behind; resume with AFTER " + pos;
    case engine::Errc::kBucketNotFound:
      return "BUCKETDELETED the bucket was deleted";
    default:
      return std::string("ERR watch failed: ") + std::string(engine::ErrcName(errc));
  }
}

void WatchCmd(CommandContext& ctx) {
  engine::WatchOptions options;
  options.start = engine::WatchStart::kLatestPerKey;
  std::vector<std::string> globs;
  size_t i = 1;
  bool all = false;
  for (; i < ctx.argc() && !IsOptionWord(ctx.arg(i)); ++i) {
    std::string_view p = ctx.arg(i);
    if (p == "*") {
      all = true;
    } else if (!HasGlobSpecials(p)) {
      options.filters.push_back(engine::KeyFilter::Exact(p));
    } else {
      options.filters.push_back(engine::KeyFilter::Prefix(GlobLiteralPrefix(p)));
    }
    globs.emplace_back(p);
  }
  if (globs.empty()) {
    return ctx.w.Error("ERR KV.WATCH needs at least one key pattern ('*' for every key)");
  }
  bool start_given = false, history = false;
  for (; i < ctx.argc(); ++i) {
    std::string_view opt = CString(ctx.arg(i));
    const bool more = i + 1 < ctx.argc();
    if ((EqualsIgnoreCase(opt, "FROM") || EqualsIgnoreCase(opt, "AFTER")) && more && !start_given) {
      options.start = EqualsIgnoreCase(opt, "FROM") ? engine::WatchStart::kFromRevision
                                                    : engine::WatchStart::kAfterCursor;
      if (!ParseRevision(ctx.w, ctx.arg(++i), &options.revision)) return;
      start_given = true;
    } else if (EqualsIgnoreCase(opt, "NEW") && !start_given) {
      options.start = engine::WatchStart::kNewOnly;
      start_given = true;
    } else if (EqualsIgnoreCase(opt, "HISTORY")) {
      history = true;
    } else if (EqualsIgnoreCase(opt, "IGNOREDELETES")) {
      options.ignore_deletes = true;
    } else if (EqualsIgnoreCase(opt, "METAONLY")) {
      options.meta_only = true;
    } else {
      return ctx.w.Error(kSyntaxError);
    }
  }
  // HISTORY shapes the initial snapshot; FROM/AFTER/NEW have none.
  if (history && start_given) return ctx.w.Error(kSyntaxError);
  options.include_history = history;
  if (all) {
    options.filters.clear();
    globs.clear();
  } else {
    bool residual = false;
    for (const std::string& g : globs) residual = residual || HasGlobSpecials(g);
    if (!residual) globs.clear();  // exact keys only: the engine filters are the whole answer
  }
  if (ctx.session.kv_watching()) {
    return ctx.w.Error("ERR a KV.WATCH is already active; KV.UNWATCH first");
  }
  engine::Status st = ctx.session.StartKvWatch(options, std::move(globs));
  if (!st.ok()) return ReplyRevisionError(ctx.w, st.errc(), st.detail());
  ctx.w.Ok();
}

void UnwatchCmd(CommandContext& ctx) {
  ctx.session.StopKvWatch();
  ctx.w.Ok();
}

constexpr CommandSpec kCommands[] = {
    {"kv.watch", -2, kReadOnly | kNoScript, WatchCmd},
    {"kv.unwatch", 1, kReadOnly | kNoScript | kSubscribedOk, UnwatchCmd},
};

}  // namespace

std::span<const CommandSpec> KvWatchCommands() {
  return kCommands;
}

engine::Status RedisSession::StartKvWatch(const engine::WatchOptions& options,
                                          std::vector<std::string> globs) {
  engine::Errc err = engine::Errc::kOk;
  engine::StoreBucket* bucket = CurrentBucket(&err);
  if (bucket == nullptr) return err;
  auto watch = bucket->StartWatch(options, this);
  if (!watch.ok()) return engine::Status(watch.errc(), watch.detail());
  kv_watch_ = std::move(*watch);
  kv_watch_globs_ = std::move(globs);
  kv_watch_bucket_ = bucket->name();
  if (kv_watch_->HasEvents()) front_.QueueKvWatch(this);
  return {};
}

void RedisSession::StopKvWatch() {
  kv_watch_.reset();
  kv_watch_globs_.clear();
  kv_watch_bucket_.clear();
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
  const bool meta_only = kv_watch_->Options().meta_only;
  auto matches = [&](std::string_view key) {
    if (kv_watch_globs_.empty()) return true;
    for (const std::string& g : kv_watch_globs_) {
      if (GlobMatch(g, key)) return true;
    }
    return false;
  };
  while (!failed && kv_watch_->HasEvents()) {
    if (transport_.PendingOutputBytes() > kPumpHighWater) break;
    kv_watch_->Poll(kPollBatch, [&](const engine::WatchEvent& ev) {
      switch (ev.kind) {
        case engine::WatchEvent::Kind::kEntry:
          if (!matches(ev.entry.key)) return;
          writer_.PushHeader(5);
          writer_.Bulk("kv");
          writer_.Bulk(ev.entry.key);
          writer_.Bulk(OpName(ev.entry.op));
          writer_.Integer(static_cast<int64_t>(ev.entry.revision));
          if (meta_only) {
            writer_.Null();
          } else {
            writer_.Bulk(ev.entry.value);
          }
          break;
        case engine::WatchEvent::Kind::kInitialDone:
          writer_.PushHeader(2);
          writer_.Bulk("kv-synced");
          writer_.Integer(static_cast<int64_t>(kv_watch_->Position()));
          break;
        case engine::WatchEvent::Kind::kFailed:
          writer_.PushHeader(2);
          writer_.Bulk("kv-error");
          writer_.Bulk(FailureText(ev.error, kv_watch_->Position(),
                                   front_.store().FindBucket(kv_watch_bucket_).get()));
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

// Revision-aware extensions under the KV. prefix (docs/cross-protocol.md): what Redis lacks and
// the engine has. They work on the session's bucket (its database's, or the KV.USE one). An
// entry is replied as [value, revision, operation] with operation PUT, DEL or PURGE.
//
//   KV.GET key [AT rev]                   -> entry | null     (AT: the key as of revision rev)
//   KV.MGET [AT rev] key [key ...]        -> [entry | null, ...] at one point in time
//   KV.PUT key value [PX ms] [IFREV rev]  -> revision          (-WRONGREVISION <current>)
//   KV.CREATE key value [PX ms]           -> revision          (-EXISTS <current>)
//   KV.UPDATE key value rev [PX ms]       -> revision          (-WRONGREVISION <current>)
//   KV.DEL key [IFREV rev]                -> tombstone revision, 0 if absent without IFREV
//   KV.PURGE key [IFREV rev]              -> purge marker revision
//   KV.HISTORY key                        -> [entry, ...] oldest first
//   KV.COMPACT rev                        -> entries removed
//   KV.INFO [bucket]  KV.BUCKETS  KV.USE bucket
// KV.WATCH / KV.UNWATCH are in kv_watch.cc.
#include <string>
#include <vector>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/arg_parser.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/kv_common.h"
#include "translate/redis/notifications.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::Errc;
using engine::Revision;

// [PX ms] [IFREV rev] after the fixed arguments; false after replying with the error.
bool ParseWriteOptions(CommandContext& ctx, size_t pos, bool allow_ifrev,
                       engine::WriteOptions* wo) {
  ArgParser p(ctx.args, pos);
  int64_t px = 0;
  bool has_px = false;
  while (!p.Done()) {
    if (p.Remaining() >= 2 && p.Keyword("PX") && !has_px) {
      has_px = true;
      px = p.NextInt64();
    } else if (allow_ifrev && p.Remaining() >= 2 && p.Keyword("IFREV") && !wo->expected_revision) {
      int64_t rev = -1;
      if (!resp::ParseInt64(p.Next(), &rev) || rev < 0) {
        p.Fail("ERR revision is not a non-negative integer");
      }
      wo->expected_revision = static_cast<Revision>(rev);
    } else {
      p.Fail(kSyntaxError);
    }
  }
  if (p.ReplyIfError(ctx.w)) return false;
  if (has_px) {
    if (px <= 0 || px > INT64_MAX - ctx.now_ms) {
      ReplyInvalidExpire(ctx.w, ctx.spec->name);
      return false;
    }
    wo->expire_at_ms = ctx.now_ms + px;
  }
  return true;
}

// A revision for AT: must not be in the future (the answer could still change).
bool ParseAt(CommandContext& ctx, Bucket* db, std::string_view arg, Revision* rev) {
  if (!ParseRevision(ctx.w, arg, rev)) return false;
  if (*rev > db->LastRevision()) {
    ctx.w.Error("ERR revision " + std::to_string(*rev) + " is after the last revision " +
                std::to_string(db->LastRevision()));
    return false;
  }
  return true;
}

// The key as of `rev`: its newest entry <= rev. kNotFound if it had no trace then;
// kCursorExpired (detail: watermark) if that part of its history was removed.
engine::Result<engine::EntryView> EntryAsOf(Bucket* db, std::string_view key, Revision rev) {
  auto e = db->GetAsOf(key, rev);
  if (e.ok() || e.errc() != Errc::kNotFound) return e;
  // GetAsOf reports a Delete/Purge marker as "not found"; the history holds it.
  std::vector<engine::EntryView> history = db->History(key);
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->revision <= rev) return *it;
  }
  return Errc::kNotFound;
}

void WriteEntryOrNull(CommandContext& ctx, const engine::Result<engine::EntryView>& e) {
  if (e.ok()) return WriteEntry(ctx.w, *e);
  ctx.w.NullArray();
}

void GetCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  if (ctx.argc() == 2) return WriteEntryOrNull(ctx, db->GetLatest(ctx.arg(1)));
  if (ctx.argc() != 4 || !EqualsIgnoreCase(CString(ctx.arg(2)), "AT")) {
    return ctx.w.Error(kSyntaxError);
  }
  Revision rev = 0;
  if (!ParseAt(ctx, db, ctx.arg(3), &rev)) return;
  auto e = EntryAsOf(db, ctx.arg(1), rev);
  if (!e.ok() && e.errc() == Errc::kCursorExpired) {
    return ReplyRevisionError(ctx.w, e.errc(), e.detail());
  }
  WriteEntryOrNull(ctx, e);
}

void MGetCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  size_t first = 1;
  bool at = false;
  Revision rev = 0;
  if (ctx.argc() >= 4 && EqualsIgnoreCase(CString(ctx.arg(1)), "AT")) {
    if (!ParseAt(ctx, db, ctx.arg(2), &rev)) return;
    at = true;
    first = 3;
  }
  if (!at) {
    ctx.w.ArrayHeader(ctx.argc() - first);
    for (size_t i = first; i < ctx.argc(); ++i) WriteEntryOrNull(ctx, db->GetLatest(ctx.arg(i)));
    return;
  }
  // One point in time or nothing: check every key before replying.
  for (size_t i = first; i < ctx.argc(); ++i) {
    auto e = EntryAsOf(db, ctx.arg(i), rev);
    if (!e.ok() && e.errc() == Errc::kCursorExpired) {
      return ReplyRevisionError(ctx.w, e.errc(), e.detail());
    }
  }
  ctx.w.ArrayHeader(ctx.argc() - first);
  for (size_t i = first; i < ctx.argc(); ++i) WriteEntryOrNull(ctx, EntryAsOf(db, ctx.arg(i), rev));
}

// Issues a KV.PUT / KV.CREATE / KV.UPDATE and replies with the new revision.
void PutAndReply(CommandContext& ctx, Bucket& db, const engine::WriteRequest& request) {
  const bool expires = request.options.expire_at_ms != engine::kNoExpiry;
  ctx.AwaitWrite(db, request, [expires](CommandContext& c, engine::WriteResult r) {
    if (!r.ok()) return ReplyRevisionError(c.w, r.errc(), r.detail());
    c.Notify(kNotifyString, "set", c.arg(1));
    if (expires) c.Notify(kNotifyGeneric, "expire", c.arg(1));
    c.w.Integer(static_cast<int64_t>(*r));
  });
}

// Issues a KV.DEL / KV.PURGE and replies with the marker's revision.
void RemoveAndReply(CommandContext& ctx, Bucket& db, const engine::WriteRequest& request) {
  ctx.AwaitWrite(db, request, [](CommandContext& c, engine::WriteResult r) {
    if (!r.ok()) return ReplyRevisionError(c.w, r.errc(), r.detail());
    c.Notify(kNotifyGeneric, "del", c.arg(1));
    c.w.Integer(static_cast<int64_t>(*r));
  });
}

void PutCmd(CommandContext& ctx) {
  engine::WriteOptions wo;
  if (!ParseWriteOptions(ctx, 3, true, &wo)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  PutAndReply(ctx, *db, engine::WriteRequest::Put(ctx.arg(1), ctx.arg(2), wo));
}

void CreateCmd(CommandContext& ctx) {
  engine::WriteOptions wo;
  if (!ParseWriteOptions(ctx, 3, false, &wo)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  PutAndReply(ctx, *db, engine::WriteRequest::Create(ctx.arg(1), ctx.arg(2), wo));
}

void UpdateCmd(CommandContext& ctx) {
  Revision expected = 0;
  if (!ParseRevision(ctx.w, ctx.arg(3), &expected)) return;
  engine::WriteOptions wo;
  if (!ParseWriteOptions(ctx, 4, false, &wo)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  PutAndReply(ctx, *db, engine::WriteRequest::Update(ctx.arg(1), ctx.arg(2), expected, wo));
}

// KV.DEL and KV.PURGE: [IFREV rev].
bool ParseIfRev(CommandContext& ctx, engine::WriteOptions* wo) {
  if (ctx.argc() == 2) return true;
  if (ctx.argc() != 4 || !EqualsIgnoreCase(CString(ctx.arg(2)), "IFREV")) {
    ctx.w.Error(kSyntaxError);
    return false;
  }
  Revision rev = 0;
  if (!ParseRevision(ctx.w, ctx.arg(3), &rev)) return false;
  wo->expected_revision = rev;
  return true;
}

void DelCmd(CommandContext& ctx) {
  engine::WriteOptions wo;
  if (!ParseIfRev(ctx, &wo)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  if (!wo.expected_revision && !db->Get(ctx.arg(1)).ok()) {
    return ctx.w.Integer(0);  // Redis DEL semantics: nothing is written for an absent key
  }
  RemoveAndReply(ctx, *db, engine::WriteRequest::Delete(ctx.arg(1), wo));
}

void PurgeCmd(CommandContext& ctx) {
  engine::WriteOptions wo;
  if (!ParseIfRev(ctx, &wo)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  RemoveAndReply(ctx, *db, engine::WriteRequest::Purge(ctx.arg(1), wo));
}

void HistoryCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::vector<engine::EntryView> entries = db->History(ctx.arg(1));
  ctx.w.ArrayHeader(entries.size());
  for (const engine::EntryView& e : entries) WriteEntry(ctx.w, e);
}

void CompactCmd(CommandContext& ctx) {
  Revision rev = 0;
  if (!ParseRevision(ctx.w, ctx.arg(1), &rev)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.Await([&](engine::WriteDone done) { db->Compact(rev, std::move(done)); },
            [](CommandContext& c, engine::WriteResult r) {
              if (!r.ok()) return ReplyEngineError(c.w, r.errc());
              c.w.Integer(static_cast<int64_t>(*r));
            });
}

void InfoCmd(CommandContext& ctx) {
  engine::BucketRef named;  // keeps a bucket named by the command alive for the reply
  Bucket* b = nullptr;
  if (ctx.argc() > 2) return ctx.w.Error(kSyntaxError);
  if (ctx.argc() == 2) {
    named = ctx.front.store().FindBucket(ctx.arg(1));
    b = named.get();
    // A database's bucket is created on first use, here too.
    const int db = ctx.front.DatabaseOf(ctx.arg(1));
    if (b == nullptr && db >= 0) b = ctx.DbAt(db);
    if (b == nullptr) {
      if (db < 0) ctx.w.Error("ERR no such bucket '" + std::string(ctx.arg(1)) + "'");
      return;
    }
  } else {
    b = ctx.Db();
    if (b == nullptr) return;
  }
  const engine::BucketStatus st = b->GetStatus();
  const engine::BucketConfig& c = st.config;
  auto i64 = [](uint64_t v) { return static_cast<int64_t>(v); };
  ctx.w.MapHeader(17);
  ctx.w.Bulk("bucket");
  ctx.w.Bulk(st.name);
  ctx.w.Bulk("database");
  ctx.w.Integer(ctx.front.DatabaseOf(st.name));
  ctx.w.Bulk("revision");
  ctx.w.Integer(i64(st.last_revision));
  ctx.w.Bulk("first_revision");
  ctx.w.Integer(i64(st.first_revision));
  ctx.w.Bulk("watermark");
  ctx.w.Integer(i64(st.watermark));
  ctx.w.Bulk("entries");
  ctx.w.Integer(i64(st.entries));
  ctx.w.Bulk("bytes");
  ctx.w.Integer(i64(st.bytes));
  ctx.w.Bulk("keys");
  ctx.w.Integer(i64(st.keys));
  ctx.w.Bulk("live_keys");
  ctx.w.Integer(i64(st.live_keys));
  ctx.w.Bulk("keys_with_ttl");
  ctx.w.Integer(i64(st.keys_with_ttl));
  ctx.w.Bulk("history");
  ctx.w.Integer(c.history);
  ctx.w.Bulk("max_age_ms");
  ctx.w.Integer(c.max_age_ns / 1'000'000);
  ctx.w.Bulk("max_value_size");
  ctx.w.Integer(c.max_value_size);
  ctx.w.Bulk("max_bytes");
  ctx.w.Integer(c.max_bytes);
  ctx.w.Bulk("allow_key_ttl");
  ctx.w.Integer(c.allow_key_ttl ? 1 : 0);
  ctx.w.Bulk("tombstone_ttl_ms");
  ctx.w.Integer(c.tombstone_ttl_ns / 1'000'000);
  ctx.w.Bulk("description");
  ctx.w.Bulk(c.description);
}

void BucketsCmd(CommandContext& ctx) {
  std::vector<std::string> names = ctx.front.store().ListBuckets();
  ctx.w.ArrayHeader(names.size());
  for (const std::string& n : names) ctx.w.Bulk(n);
}

void UseCmd(CommandContext& ctx) {
  std::string_view name = ctx.arg(1);
  const int db = ctx.front.DatabaseOf(name);
  if (db >= 0) {
    // A database's bucket: the same as SELECT (keyspace notifications keep working).
    if (ctx.DbAt(db) == nullptr) return;
    ctx.session.set_db(db);
    return ctx.w.Ok();
  }
  if (ctx.front.store().FindBucket(name) == nullptr) {
    return ctx.w.Error("ERR no such bucket '" + std::string(name) + "'");
  }
  ctx.session.UseBucket(name);
  ctx.w.Ok();
}

constexpr uint32_t kR = kReadOnly;
constexpr uint32_t kW = kWrite;

// One line per command: clang-format would pack these short lines into columns.
// clang-format off
constexpr CommandSpec kCommands[] = {
    {"kv.get", -2, kR | kFast, GetCmd, 1, 1, 1},
    {"kv.mget", -2, kR, MGetCmd},
    {"kv.put", -3, kW, PutCmd, 1, 1, 1},
    {"kv.create", -3, kW, CreateCmd, 1, 1, 1},
    {"kv.update", -4, kW, UpdateCmd, 1, 1, 1},
    {"kv.del", -2, kW, DelCmd, 1, 1, 1},
    {"kv.purge", -2, kW, PurgeCmd, 1, 1, 1},
    {"kv.history", 2, kR, HistoryCmd, 1, 1, 1},
    {"kv.compact", 2, kW, CompactCmd},
    {"kv.info", -1, kR, InfoCmd},
    {"kv.buckets", 1, kR, BucketsCmd},
    {"kv.use", 2, kR | kFast, UseCmd},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> KvCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

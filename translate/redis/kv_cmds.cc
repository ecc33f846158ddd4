// Revision-aware extensions under the KV. prefix (DESIGN.md "The two fronts"): what Redis lacks
// and the engine has. All work on the session's database bucket.
//
//   KV.GET key [REVISION rev]          -> [value, revision] | null
//   KV.CREATE key value [PX ms]        -> revision | -EXISTS ...
//   KV.CAS key value expected [PX ms]  -> revision | -WRONGREVISION ...
//   KV.DEL key [expected]              -> revision of the tombstone | -WRONGREVISION ... | 0 if
//   absent KV.PURGE key                       -> revision of the purge marker KV.HISTORY key ->
//   [[revision, op, value], ...] oldest first KV.REVISION                        -> [last revision,
//   watermark] KV.COMPACT revision                -> entries removed
// KV.WATCH / KV.UNWATCH are in kv_watch.cc.
#include <string>

#include "engine/engine.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"

namespace kvgate::redis {
namespace {

using engine::Bucket;
using engine::Errc;

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

bool ParseRevision(CommandContext& ctx, std::string_view arg, engine::Revision* rev) {
  int64_t v = 0;
  if (!resp::ParseInt64(arg, &v) || v < 0) {
    ctx.w.Error("ERR revision is not a non-negative integer");
    return false;
  }
  *rev = static_cast<engine::Revision>(v);
  return true;
}

// Optional trailing "PX ms" (relative expiry of the new value).
bool ParseWriteOptions(CommandContext& ctx, size_t pos, engine::WriteOptions* wo) {
  if (pos == ctx.argc()) return true;
  if (ctx.argc() - pos != 2 || !EqualsIgnoreCase(CString(ctx.arg(pos)), "PX")) {
    ctx.w.Error(kSyntaxError);
    return false;
  }
  int64_t ms = 0;
  if (!resp::ParseInt64(ctx.arg(pos + 1), &ms)) {
    ctx.w.Error(kNotInteger);
    return false;
  }
  if (ms <= 0 || ms > INT64_MAX - ctx.now_ms) {
    ReplyInvalidExpire(ctx.w, ctx.spec->name);
    return false;
  }
  wo->expire_at_ms = ctx.now_ms + ms;
  return true;
}

void ReplyRevisionError(CommandContext& ctx, Errc errc, uint64_t current) {
  if (errc == Errc::kAlreadyExists) {
    return ctx.w.Error("EXISTS the key exists at revision " + std::to_string(current));
  }
  if (errc == Errc::kWrongRevision) {
    return ctx.w.Error("WRONGREVISION the key is at revision " + std::to_string(current));
  }
  if (errc == Errc::kCursorExpired) {
    return ctx.w.Error("CURSOREXPIRED history below revision " + std::to_string(current) +
                       " has been compacted");
  }
  ReplyEngineError(ctx.w, errc);
}

void GetCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  engine::Result<engine::EntryView> e = Errc::kNotFound;
  if (ctx.argc() == 2) {
    e = db->Get(ctx.arg(1));
  } else if (ctx.argc() == 4 && EqualsIgnoreCase(CString(ctx.arg(2)), "REVISION")) {
    engine::Revision rev = 0;
    if (!ParseRevision(ctx, ctx.arg(3), &rev)) return;
    e = db->GetAt(ctx.arg(1), rev);
    if (e.ok() && e->op != engine::Op::kPut) e = Errc::kNotFound;
  } else {
    return ctx.w.Error(kSyntaxError);
  }
  if (!e.ok()) return ctx.w.NullArray();
  ctx.w.ArrayHeader(2);
  ctx.w.Bulk(e->value);
  ctx.w.Integer(static_cast<int64_t>(e->revision));
}

void CreateCmd(CommandContext& ctx) {
  engine::WriteOptions wo;
  if (!ParseWriteOptions(ctx, 3, &wo)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto r = db->Create(ctx.arg(1), ctx.arg(2), wo);
  if (!r.ok()) return ReplyRevisionError(ctx, r.errc(), r.detail());
  ctx.Notify(kNotifyString, "set", ctx.arg(1));
  ctx.w.Integer(static_cast<int64_t>(*r));
}

void CasCmd(CommandContext& ctx) {
  engine::Revision expected = 0;
  if (!ParseRevision(ctx, ctx.arg(3), &expected)) return;
  engine::WriteOptions wo;
  if (!ParseWriteOptions(ctx, 4, &wo)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto r = db->Update(ctx.arg(1), ctx.arg(2), expected, wo);
  if (!r.ok()) return ReplyRevisionError(ctx, r.errc(), r.detail());
  ctx.Notify(kNotifyString, "set", ctx.arg(1));
  ctx.w.Integer(static_cast<int64_t>(*r));
}

void DelCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  engine::WriteOptions wo;
  if (ctx.argc() > 3) return ctx.w.Error(kSyntaxError);
  if (ctx.argc() == 3) {
    engine::Revision expected = 0;
    if (!ParseRevision(ctx, ctx.arg(2), &expected)) return;
    wo.expected_revision = expected;
  } else if (!db->Get(ctx.arg(1)).ok()) {
    return ctx.w.Integer(0);  // Redis semantics: nothing is written for an absent key
  }
  auto r = db->Delete(ctx.arg(1), wo);
  if (!r.ok()) return ReplyRevisionError(ctx, r.errc(), r.detail());
  ctx.Notify(kNotifyGeneric, "del", ctx.arg(1));
  ctx.w.Integer(static_cast<int64_t>(*r));
}

void PurgeCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto r = db->Purge(ctx.arg(1), {});
  if (!r.ok()) return ReplyEngineError(ctx.w, r.errc());
  ctx.Notify(kNotifyGeneric, "del", ctx.arg(1));
  ctx.w.Integer(static_cast<int64_t>(*r));
}

void HistoryCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::vector<engine::EntryView> entries = db->History(ctx.arg(1));
  ctx.w.ArrayHeader(entries.size());
  for (const engine::EntryView& e : entries) {
    ctx.w.ArrayHeader(3);
    ctx.w.Integer(static_cast<int64_t>(e.revision));
    ctx.w.SimpleString(OpName(e.op));
    ctx.w.Bulk(e.value);
  }
}

void RevisionCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.w.ArrayHeader(2);
  ctx.w.Integer(static_cast<int64_t>(db->LastRevision()));
  ctx.w.Integer(static_cast<int64_t>(db->Watermark()));
}

void CompactCmd(CommandContext& ctx) {
  engine::Revision rev = 0;
  if (!ParseRevision(ctx, ctx.arg(1), &rev)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.w.Integer(static_cast<int64_t>(db->Compact(rev)));
}

const CommandSpec kCommands[] = {
    {"kv.get",
     -2,
     kReadOnly | kFast,
     GetCmd,
     {},
     1,
     1,
     1,
     "Returns a key's value and revision (optionally at a revision)."},
    {"kv.create",
     -3,
     kWrite,
     CreateCmd,
     {},
     1,
     1,
     1,
     "Creates a key only if it is absent or deleted."},
    {"kv.cas", -4, kWrite, CasCmd, {}, 1, 1, 1, "Replaces a key's value if its revision matches."},
    {"kv.del",
     -2,
     kWrite,
     DelCmd,
     {},
     1,
     1,
     1,
     "Deletes a key, optionally only at a given revision."},
    {"kv.purge",
     2,
     kWrite,
     PurgeCmd,
     {},
     1,
     1,
     1,
     "Removes a key's history, leaving a purge marker."},
    {"kv.history", 2, kReadOnly, HistoryCmd, {}, 1, 1, 1, "Returns a key's retained revisions."},
    {"kv.revision",
     1,
     kReadOnly | kFast,
     RevisionCmd,
     {},
     0,
     0,
     0,
     "Returns the database's last revision and compaction watermark."},
    {"kv.compact",
     2,
     kWrite,
     CompactCmd,
     {},
     0,
     0,
     0,
     "Removes history and tombstones up to a revision."},
};

}  // namespace

std::span<const CommandSpec> KvCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

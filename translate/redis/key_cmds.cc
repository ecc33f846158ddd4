// Keyspace commands: DEL UNLINK EXISTS TOUCH TYPE KEYS SCAN RANDOMKEY RENAME RENAMENX COPY
// (specs/resp-subset.md §5). Redis DEL on a live key is an engine Delete (tombstone); on an
// absent key nothing is written.
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/arg_parser.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/glob.h"
#include "translate/redis/notifications.h"
#include "translate/redis/scan_args.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::KeyFilter;

void DelCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  // One delete per live key, in order (DEL a a deletes once); an absent key writes nothing.
  ctx.AwaitSequence(
      1, ctx.argc(), int64_t{0},
      [](CommandContext& c, size_t i, int64_t, engine::WriteDone done) {
        engine::Errc err = engine::Errc::kOk;
        engine::StoreBucket* b = c.session.CurrentBucket(&err);
        if (b == nullptr) return std::move(done)(engine::WriteResult(err));
        if (!b->Get(c.arg(i)).ok())
          return std::move(done)(engine::WriteResult(engine::Errc::kNotFound));
        b->Write(engine::WriteRequest::Delete(c.arg(i)), std::move(done));
      },
      [](CommandContext& c, size_t i, engine::WriteResult r, int64_t& deleted) {
        if (r.errc() == engine::Errc::kNotFound) return true;
        if (!r.ok()) {
          ReplyEngineError(c.w, r.errc());
          return false;
        }
        c.Notify(kNotifyGeneric, "del", c.arg(i));
        ++deleted;
        return true;
      },
      [](CommandContext& c, int64_t deleted) { c.w.Integer(deleted); });
}

void ExistsCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) n += db->Get(ctx.arg(i)).ok() ? 1 : 0;
  ctx.w.Integer(n);
}

void TypeCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = db->Get(ctx.arg(1));
  ctx.w.SimpleString(e.ok() ? engine::TypeName(e->type) : "none");
}

// SCAN ... TYPE name: the type Redis's name stands for (nullopt: none, so nothing matches).
std::optional<engine::ValueType> TypeNamed(std::string_view name) {
  for (engine::ValueType t :
       {engine::ValueType::kString, engine::ValueType::kHash, engine::ValueType::kList,
        engine::ValueType::kSet, engine::ValueType::kZSet, engine::ValueType::kStream}) {
    if (EqualsIgnoreCase(name, engine::TypeName(t))) return t;
  }
  return std::nullopt;
}

// A copy of a key's value for RENAME, COPY and MOVE: the string's bytes, or a reference to its
// collection (shared; the engine copies it before it changes).
struct ValueCopy {
  std::string bytes;
  engine::CollectionRef object;

  explicit ValueCopy(const engine::EntryView& e)
      : object(const_cast<engine::Collection*>(e.object)) {
    if (e.object == nullptr) bytes.assign(e.value);
  }
  engine::WriteRequest PutTo(std::string_view key, const engine::WriteOptions& o) const {
    if (object) return engine::WriteRequest::PutObject(key, object.get(), o);
    return engine::WriteRequest::Put(key, bytes, o);
  }
};

KeyFilter FilterFor(std::string_view pattern) {
  return KeyFilter::Prefix(GlobLiteralPrefix(pattern));
}

void KeysCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view pattern = ctx.arg(1);
  const bool all = pattern == "*";
  KeyFilter filter = all ? KeyFilter::All() : FilterFor(pattern);
  std::vector<std::string> keys;
  engine::Revision cursor = 0;
  do {
    cursor = db->Scan(cursor, 4096, filter, [&](const engine::EntryView& e) {
      if (all || GlobMatch(pattern, e.key)) keys.emplace_back(e.key);
    });
  } while (cursor != 0);
  ctx.w.ArrayHeader(keys.size());
  for (const std::string& k : keys) ctx.w.Bulk(k);
}

void ScanCmd(CommandContext& ctx) {
  ScanArgs a;
  if (!ParseScanArgs(ctx, 1, /*allow_type=*/true, &a)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::optional<engine::ValueType> type;
  if (a.use_type) type = TypeNamed(CString(a.type));
  KeyFilter filter = a.use_pattern ? FilterFor(a.pattern) : KeyFilter::All();
  std::vector<std::string> keys;
  engine::Revision next =
      db->Scan(a.cursor, static_cast<size_t>(a.count), filter, [&](const engine::EntryView& e) {
        if (a.use_type && (!type || e.type != *type)) return;
        if (!a.Matches(e.key)) return;
        keys.emplace_back(e.key);
      });
  WriteScanHeader(ctx.w, next, keys.size());
  for (const std::string& k : keys) ctx.w.Bulk(k);
}

void RandomKeyCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = db->RandomKey();
  if (!e.ok()) return ctx.w.Null();
  ctx.w.Bulk(e->key);
}

void RenameGeneric(CommandContext& ctx, bool nx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view from = ctx.arg(1);
  std::string_view to = ctx.arg(2);
  auto src = db->Get(from);
  if (!src.ok()) return ctx.w.Error(kNoSuchKey);
  if (from == to) return nx ? ctx.w.Integer(0) : ctx.w.Ok();
  const ValueCopy value(*src);
  const engine::UnixMillis expire = src->expires_at_ms;
  const bool replaced = db->Get(to).ok();
  if (replaced && nx) return ctx.w.Integer(0);
  engine::WriteOptions wo;
  wo.expire_at_ms = expire;
  ctx.AwaitWrite(*db, value.PutTo(to, wo),
                 [replaced, nx](CommandContext& c, engine::WriteResult put) {
                   if (!put.ok()) return ReplyEngineError(c.w, put.errc());
                   c.Await(
                       [&](engine::WriteDone done) {
                         c.WriteCurrent(engine::WriteRequest::Delete(c.arg(1)), std::move(done));
                       },
                       [replaced, nx](CommandContext& c2, engine::WriteResult del) {
                         if (!del.ok()) return ReplyEngineError(c2.w, del.errc());
                         // Redis deletes a destination and adds it anew: "new" fires over a live key.
                         if (replaced) c2.Notify(kNotifyNew, "new", c2.arg(2));
                         c2.Notify(kNotifyGeneric, "rename_from", c2.arg(1));
                         c2.Notify(kNotifyGeneric, "rename_to", c2.arg(2));
                         if (nx) return c2.w.Integer(1);
                         c2.w.Ok();
                       });
                 });
}

void RenameCmd(CommandContext& ctx) {
  RenameGeneric(ctx, false);
}

void RenameNxCmd(CommandContext& ctx) {
  RenameGeneric(ctx, true);
}

void CopyCmd(CommandContext& ctx) {
  bool replace = false;
  int dst_db = ctx.db_index();
  ArgParser p(ctx.args, 3);
  while (!p.Done()) {
    if (p.Keyword("REPLACE")) {
      replace = true;
    } else if (p.Remaining() >= 2 && p.Keyword("DB")) {
      int64_t v = p.NextInt64();
      if (p.ok() && (v < INT32_MIN || v > INT32_MAX)) p.Fail(kNotInteger);
      if (p.ok() && (v < 0 || v >= ctx.front.config().databases)) p.Fail(kDbOutOfRange);
      dst_db = static_cast<int>(v);
    } else {
      p.Fail(kSyntaxError);
    }
  }
  if (p.ReplyIfError(ctx.w)) return;
  std::string_view key = ctx.arg(1);
  std::string_view new_key = ctx.arg(2);
  if (dst_db == ctx.db_index() && key == new_key) return ctx.w.Error(kSameObject);
  Bucket* src = ctx.Db();
  if (src == nullptr) return;
  Bucket* dst = dst_db == ctx.db_index() ? src : ctx.DbAt(dst_db);
  if (dst == nullptr) return;
  auto e = src->Get(key);
  if (!e.ok()) return ctx.w.Integer(0);
  const ValueCopy value(*e);
  const engine::UnixMillis expire = e->expires_at_ms;
  const bool replaced = dst->Get(new_key).ok();
  if (replaced && !replace) return ctx.w.Integer(0);
  engine::WriteOptions wo;
  wo.expire_at_ms = expire;
  ctx.AwaitWrite(*dst, value.PutTo(new_key, wo),
                 [replaced, dst_db](CommandContext& c, engine::WriteResult r) {
                   if (!r.ok()) return ReplyEngineError(c.w, r.errc());
                   if (replaced) c.front.Notify(dst_db, kNotifyNew, "new", c.arg(2));  // as RENAME
                   c.front.Notify(dst_db, kNotifyGeneric, "copy_to", c.arg(2));
                   c.w.Integer(1);
                 });
}

void MoveCmd(CommandContext& ctx) {
  int64_t v = 0;
  if (!resp::ParseInt64(ctx.arg(2), &v) || v < INT32_MIN || v > INT32_MAX) {
    return ctx.w.Error(kNotInteger);
  }
  if (v < 0 || v >= ctx.front.config().databases) return ctx.w.Error(kDbOutOfRange);
  const int dst_db = static_cast<int>(v);
  if (dst_db == ctx.db_index()) return ctx.w.Error(kSameObject);
  Bucket* src = ctx.Db();
  if (src == nullptr) return;
  Bucket* dst = ctx.DbAt(dst_db);
  if (dst == nullptr) return;
  std::string_view key = ctx.arg(1);
  auto e = src->Get(key);
  if (!e.ok()) return ctx.w.Integer(0);
  const ValueCopy value(*e);
  engine::WriteOptions wo;
  wo.expire_at_ms = e->expires_at_ms;
  if (dst->Get(key).ok()) return ctx.w.Integer(0);
  ctx.AwaitWrite(*dst, value.PutTo(key, wo), [dst_db](CommandContext& c, engine::WriteResult put) {
    if (!put.ok()) return ReplyEngineError(c.w, put.errc());
    c.Await(
        [&](engine::WriteDone done) {
          c.WriteCurrent(engine::WriteRequest::Delete(c.arg(1)), std::move(done));
        },
        [dst_db](CommandContext& c2, engine::WriteResult del) {
          if (!del.ok()) return ReplyEngineError(c2.w, del.errc());
          c2.Notify(kNotifyGeneric, "move_from", c2.arg(1));
          c2.front.Notify(dst_db, kNotifyGeneric, "move_to", c2.arg(1));
          c2.w.Integer(1);
        });
  });
}

// OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ: strings only, encodings as Redis would pick.
void ObjectCmd(CommandContext& ctx) {
  std::string_view sub = CString(ctx.arg(1));
  if (EqualsIgnoreCase(sub, "help") && ctx.argc() == 2) {
    ctx.w.ArrayHeader(1);
    return ctx.w.SimpleString("OBJECT <subcommand> <key>: ENCODING, FREQ, IDLETIME, REFCOUNT");
  }
  const bool known = EqualsIgnoreCase(sub, "encoding") || EqualsIgnoreCase(sub, "refcount") ||
                     EqualsIgnoreCase(sub, "idletime") || EqualsIgnoreCase(sub, "freq");
  if (!known) {
    return ctx.w.Error("ERR unknown subcommand '" + std::string(sub.substr(0, 128)) +
                       "'. Try OBJECT HELP.");
  }
  if (ctx.argc() != 3) {
    std::string name = "object|" + std::string(sub);
    for (char& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    return ReplyArity(ctx.w, name);
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = db->Get(ctx.arg(2));
  if (!e.ok()) return ctx.w.Null();
  if (EqualsIgnoreCase(sub, "encoding")) {
    if (e->object != nullptr) return ctx.w.Bulk(e->object->EncodingName());
    int64_t n = 0;
    if (resp::ParseInt64(e->value, &n)) return ctx.w.Bulk("int");
    return ctx.w.Bulk(e->value.size() <= 44 ? "embstr" : "raw");
  }
  if (EqualsIgnoreCase(sub, "refcount")) return ctx.w.Integer(1);
  if (EqualsIgnoreCase(sub, "idletime")) return ctx.w.Integer(0);
  ctx.w.Error(
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
      "that when switching between policies at runtime LRU and LFU data will take some time to "
      "adjust.");
}

constexpr uint32_t kR = kReadOnly | kFast;

constexpr CommandSpec kCommands[] = {
    {"del", -2, kWrite, DelCmd, 1, -1, 1},
    {"unlink", -2, kWrite | kFast, DelCmd, 1, -1, 1},
    {"exists", -2, kR, ExistsCmd, 1, -1, 1},
    {"touch", -2, kR, ExistsCmd, 1, -1, 1},
    {"type", 2, kR, TypeCmd, 1, 1, 1},
    {"keys", 2, kReadOnly, KeysCmd},
    {"scan", -2, kReadOnly, ScanCmd},
    {"randomkey", 1, kReadOnly, RandomKeyCmd},
    {"rename", 3, kWrite, RenameCmd, 1, 2, 1},
    {"renamenx", 3, kWrite | kFast, RenameNxCmd, 1, 2, 1},
    {"copy", -3, kWrite, CopyCmd, 1, 2, 1},
    {"move", 3, kWrite | kFast, MoveCmd, 1, 1, 1},
    {"object", -2, kReadOnly, ObjectCmd, 2, 2, 1},
};

}  // namespace

std::span<const CommandSpec> KeyCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

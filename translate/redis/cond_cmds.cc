// Redis 8.4 compare-and-set / compare-and-delete on string values: DIGEST and DELEX (SET's
// IFEQ/IFNE/IFDEQ/IFDNE options are parsed with SET's other options in string_cmds.cc).
//
//   DIGEST key                                     -> 16 hex digits | null
//   DELEX key [IFEQ v | IFNE v | IFDEQ d | IFDNE d] -> 1 deleted | 0 absent or condition false
#include <xxhash.h>

#include <cstdio>
#include <string>

#include "engine/store.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/digest.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"
#include "translate/redis/string_access.h"

namespace kvgate::redis {

std::string DigestHex(std::string_view value) {
  const XXH64_hash_t h = XXH3_64bits(value.data(), value.size());
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
  return std::string(buf, 16);
}

bool IsValidDigest(std::string_view digest) {
  if (digest.size() != 16) return false;
  for (char c : digest) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

bool DigestMatches(std::string_view value, std::string_view digest) {
  return EqualsIgnoreCase(DigestHex(value), digest);
}

namespace {

using Bucket = engine::StoreBucket;

void DigestCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = GetStringKey(*db, ctx.arg(1));
  if (!e.ok() && e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  if (!e.ok()) return ctx.w.Null();
  ctx.w.Bulk(DigestHex(e->value));
}

void DelExCmd(CommandContext& ctx) {
  if (ctx.argc() != 2 && ctx.argc() != 4) return ctx.w.Error(kSyntaxError);
  enum class Cond { kNone, kEq, kNe, kDeq, kDne } cond = Cond::kNone;
  if (ctx.argc() == 4) {
    std::string_view kw = CString(ctx.arg(2));
    if (EqualsIgnoreCase(kw, "IFEQ")) {
      cond = Cond::kEq;
    } else if (EqualsIgnoreCase(kw, "IFNE")) {
      cond = Cond::kNe;
    } else if (EqualsIgnoreCase(kw, "IFDEQ")) {
      cond = Cond::kDeq;
    } else if (EqualsIgnoreCase(kw, "IFDNE")) {
      cond = Cond::kDne;
    } else {
      return ctx.w.Error(kSyntaxError);
    }
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view key = ctx.arg(1);
  auto e = db->Get(key);
  if (!e.ok()) return ctx.w.Integer(0);
  // A condition compares string values: a collection cannot be compared (plain DELEX deletes it).
  if (cond != Cond::kNone && e->type != engine::ValueType::kString) {
    return ReplyEngineError(ctx.w, engine::Errc::kWrongType);
  }
  bool matched = true;
  switch (cond) {
    case Cond::kNone:
      break;
    case Cond::kEq:
      matched = e->value == ctx.arg(3);
      break;
    case Cond::kNe:
      matched = e->value != ctx.arg(3);
      break;
    case Cond::kDeq:
    case Cond::kDne:
      // Redis checks the digest only once it has a value to compare it with.
      if (!IsValidDigest(ctx.arg(3))) return ctx.w.Error(kBadDigest);
      matched = DigestMatches(e->value, ctx.arg(3)) == (cond == Cond::kDeq);
      break;
  }
  if (!matched) return ctx.w.Integer(0);
  ctx.AwaitWrite(*db, engine::WriteRequest::Delete(key),
                 [](CommandContext& c, engine::WriteResult r) {
                   if (!r.ok()) return ReplyEngineError(c.w, r.errc());
                   c.Notify(kNotifyGeneric, "del", c.arg(1));
                   c.w.Integer(1);
                 });
}

constexpr CommandSpec kCommands[] = {
    {"digest", 2, kReadOnly | kFast, DigestCmd, 1, 1, 1},
    {"delex", -2, kWrite | kFast, DelExCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> CondCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

// HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG, as redis-server 7.0.15 answers them. An
// HLL is a string value in Redis's own format (hyperloglog.h), so GET, SET, TYPE and NATS KV
// clients see the bytes redis-server would hold. Every change is a whole-value put that keeps
// the key's TTL, as Redis changes the string in place.
#include <string>

#include "engine/store.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/hyperloglog.h"
#include "translate/redis/notifications.h"
#include "translate/redis/session.h"
#include "translate/redis/string_access.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;

// One key read as an HLL. `value` lives until the bucket's next change.
struct HllRead {
  bool replied = false;  // an error reply was written
  bool found = false;
  std::string_view value;
};

// Redis's lookup + isHLLObjectOrReply. `read_stats`: counted in keyspace hits/misses, as Redis
// counts its read lookups (PFCOUNT, PFMERGE's sources) and not its write lookups (PFADD).
HllRead ReadHll(CommandContext& ctx, Bucket& db, std::string_view key, bool read_stats) {
  HllRead out;
  auto e = GetStringKey(db, key);
  if (!e.ok() && e.errc() == engine::Errc::kNotFound) {
    if (read_stats) ++ctx.front.stats().keyspace_misses;
    return out;
  }
  out.replied = true;
  if (!e.ok()) {
    ReplyEngineError(ctx.w, e.errc());
    return out;
  }
  if (read_stats) ++ctx.front.stats().keyspace_hits;
  if (!hll::IsValid(e->value)) {
    ctx.w.Error(kNotHll);
    return out;
  }
  out.replied = false;
  out.found = true;
  out.value = e->value;
  return out;
}

size_t SparseMaxBytes(CommandContext& ctx) {
  return static_cast<size_t>(ctx.front.config().hll_sparse_max_bytes);
}

// Stores `value` at `key`, keeping its TTL, then runs then(ctx, result).
template <typename Then>
void PutHll(CommandContext& ctx, Bucket& db, std::string_view key, const std::string& value,
            Then then) {
  engine::WriteOptions wo;
  wo.keep_ttl = true;
  ctx.AwaitWrite(db, engine::WriteRequest::Put(key, value, wo), std::move(then));
}

void PfAddCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const HllRead in = ReadHll(ctx, *db, ctx.arg(1), false);
  if (in.replied) return;
  std::string value = in.found ? std::string(in.value) : hll::NewSparse();
  bool updated = !in.found;  // creating the key is an update even without elements
  for (size_t j = 2; j < ctx.argc(); ++j) {
    const hll::SetResult r = hll::Add(value, ctx.arg(j), SparseMaxBytes(ctx));
    if (r == hll::SetResult::kChanged) updated = true;
    if (r != hll::SetResult::kCorrupt) continue;
    // Redis changed the value in place up to the corrupt opcode and keeps those changes.
    if (!updated) return ctx.w.Error(kCorruptHll);
    return PutHll(ctx, *db, ctx.arg(1), value,
                  [](CommandContext& c, engine::WriteResult) { c.w.Error(kCorruptHll); });
  }
  if (!updated) return ctx.w.Integer(0);
  hll::InvalidateCache(value);
  PutHll(ctx, *db, ctx.arg(1), value, [](CommandContext& c, engine::WriteResult r) {
    if (!r.ok()) return ReplyEngineError(c.w, r.errc());
    c.Notify(kNotifyString, "pfadd", c.arg(1));
    c.w.Integer(1);
  });
}

// PFCOUNT of several keys: the count of their union, merged in memory; nothing is written.
void CountUnion(CommandContext& ctx, Bucket& db) {
  hll::Registers max{};
  for (size_t j = 1; j < ctx.argc(); ++j) {
    const HllRead in = ReadHll(ctx, db, ctx.arg(j), true);
    if (in.replied) return;
    if (in.found && !hll::MergeInto(max, in.value)) return ctx.w.Error(kCorruptHll);
  }
  ctx.w.Integer(static_cast<int64_t>(hll::CountRegisters(max)));
}

void PfCountCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  if (ctx.argc() > 2) return CountUnion(ctx, *db);
  const HllRead in = ReadHll(ctx, *db, ctx.arg(1), true);
  if (in.replied) return;
  if (!in.found) return ctx.w.Integer(0);
  if (auto cached = hll::CachedCount(in.value)) {
    return ctx.w.Integer(static_cast<int64_t>(*cached));
  }
  const std::optional<uint64_t> card = hll::Count(in.value);
  if (!card) return ctx.w.Error(kCorruptHll);
  // Redis stores the count it computed in the header: a write (GET shows it, WATCH sees it).
  std::string value(in.value);
  hll::SetCachedCount(value, *card);
  const auto reply = static_cast<int64_t>(*card);
  // The count is the answer even if caching it fails: Redis never refuses it.
  PutHll(ctx, *db, ctx.arg(1), value,
         [reply](CommandContext& c, engine::WriteResult) { c.w.Integer(reply); });
}

void PfMergeCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  hll::Registers max{};
  bool any_dense = false;
  // The destination is a source too (j starts at 1), so it is validated here.
  for (size_t j = 1; j < ctx.argc(); ++j) {
    const HllRead in = ReadHll(ctx, *db, ctx.arg(j), true);
    if (in.replied) return;
    if (!in.found) continue;
    any_dense = any_dense || hll::EncodingOf(in.value) == hll::Encoding::kDense;
    if (!hll::MergeInto(max, in.value)) return ctx.w.Error(kCorruptHll);
  }
  auto dest = GetStringKey(*db, ctx.arg(1));
  std::string value = dest.ok() ? std::string(dest->value) : hll::NewSparse();
  // A dense source makes the destination dense at once, as Redis does.
  if (any_dense && !hll::ToDense(value)) return ctx.w.Error(kCorruptHll);
  for (uint32_t i = 0; i < hll::kRegisters; ++i) {
    if (max[i] != 0) hll::SetRegister(value, i, max[i], SparseMaxBytes(ctx));
  }
  hll::InvalidateCache(value);
  PutHll(ctx, *db, ctx.arg(1), value, [](CommandContext& c, engine::WriteResult r) {
    if (!r.ok()) return ReplyEngineError(c.w, r.errc());
    // Redis fires "pfadd" for a merge: a mass add of elements.
    c.Notify(kNotifyString, "pfadd", c.arg(1));
    c.w.Ok();
  });
}

void ReplyRegisters(resp::ReplyWriter& w, std::string_view dense) {
  w.ArrayHeader(hll::kRegisters);
  for (uint32_t i = 0; i < hll::kRegisters; ++i) w.Integer(hll::DenseRegister(dense, i));
}

// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. GETREG and TODENSE store a sparse value dense.
void PfDebugCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const std::string_view sub = CString(ctx.arg(1));
  const HllRead in = ReadHll(ctx, *db, ctx.arg(2), false);
  if (in.replied) return;
  if (!in.found) return ctx.w.Error("ERR The specified key does not exist");
  const bool sparse = hll::EncodingOf(in.value) == hll::Encoding::kSparse;
  if (EqualsIgnoreCase(sub, "encoding")) return ctx.w.SimpleString(sparse ? "sparse" : "dense");
  if (EqualsIgnoreCase(sub, "decode")) {
    if (!sparse) return ctx.w.Error("ERR HLL encoding is not sparse");
    return ctx.w.Bulk(hll::DecodeSparse(in.value));
  }
  const bool getreg = EqualsIgnoreCase(sub, "getreg");
  if (!getreg && !EqualsIgnoreCase(sub, "todense")) {
    return ctx.w.Error("ERR Unknown PFDEBUG subcommand '" + std::string(sub) + "'");
  }
  if (!sparse) {
    if (getreg) return ReplyRegisters(ctx.w, in.value);
    return ctx.w.Integer(0);
  }
  std::string dense(in.value);
  if (!hll::ToDense(dense)) return ctx.w.Error(kCorruptHll);
  std::string reply = getreg ? dense : std::string();
  PutHll(ctx, *db, ctx.arg(2), dense,
         [reply = std::move(reply)](CommandContext& c, engine::WriteResult) {
           if (reply.empty()) return c.w.Integer(1);
           ReplyRegisters(c.w, reply);
         });
}

constexpr CommandSpec kCommands[] = {
    {"pfadd", -2, kWrite | kFast, PfAddCmd, 1, 1, 1},
    // Read-only, but it may store the count it computed: held by CLIENT PAUSE WRITE.
    {"pfcount", -2, kReadOnly | kMayReplicate, PfCountCmd, 1, -1, 1},
    {"pfmerge", -2, kWrite, PfMergeCmd, 1, -1, 1},
    {"pfdebug", 3, kWrite | kAdmin, PfDebugCmd, 2, 2, 1},
};

}  // namespace

std::span<const CommandSpec> HllCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

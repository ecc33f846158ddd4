// DUMP, RESTORE and MEMORY as redis-server 7.0 (cluster.c dumpCommand / restoreCommand,
// object.c memoryCommand). Payloads are Redis's own format (rdb/dump_codec.h), so values move
// between kvgate and redis-server both ways. RESTORE's IDLETIME and FREQ are checked and then
// ignored: kvgate keeps no LRU/LFU data (OBJECT IDLETIME answers 0).
#include <cstdint>
#include <limits>
#include <string>

#include "engine/store.h"
#include "protocols/rdb/rdb_format.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/notifications.h"
#include "translate/redis/rdb/dump_codec.h"
#include "translate/redis/rdb/memory_usage.h"
#include "translate/redis/redis_config.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;

void DumpCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = db->Get(ctx.arg(1));
  if (!e.ok()) return ctx.w.Null();
  ctx.w.Bulk(EncodeDump(*e));
}

CollectionLimits LimitsOf(const RedisConfig& c) {
  CollectionLimits l;
  l.hash_max_listpack_entries = static_cast<size_t>(c.hash_max_listpack_entries);
  l.hash_max_listpack_value = static_cast<size_t>(c.hash_max_listpack_value);
  l.set_max_intset_entries = static_cast<size_t>(c.set_max_intset_entries);
  l.zset_max_listpack_entries = static_cast<size_t>(c.zset_max_listpack_entries);
  l.zset_max_listpack_value = static_cast<size_t>(c.zset_max_listpack_value);
  return l;
}

struct RestoreArgs {
  bool replace = false;
  bool absttl = false;
  int64_t ttl = 0;
};

// Redis's order of checks: options, BUSYKEY, the TTL, then the payload. False after replying.
bool ParseRestore(CommandContext& ctx, Bucket& db, RestoreArgs* a) {
  bool idle = false;
  bool freq = false;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    const bool more = j + 1 < ctx.argc();
    const std::string_view opt = ctx.arg(j);
    int64_t v = 0;
    if (EqualsIgnoreCase(opt, "replace")) {
      a->replace = true;
    } else if (EqualsIgnoreCase(opt, "absttl")) {
      a->absttl = true;
    } else if (EqualsIgnoreCase(opt, "idletime") && more && !freq) {
      if (!resp::ParseInt64(ctx.arg(++j), &v)) return ctx.w.Error(kNotInteger), false;
      if (v < 0) return ctx.w.Error("ERR Invalid IDLETIME value, must be >= 0"), false;
      idle = true;
    } else if (EqualsIgnoreCase(opt, "freq") && more && !idle) {
      if (!resp::ParseInt64(ctx.arg(++j), &v)) return ctx.w.Error(kNotInteger), false;
      if (v < 0 || v > 255) {
        return ctx.w.Error("ERR Invalid FREQ value, must be >= 0 and <= 255"), false;
      }
      freq = true;
    } else {
      return ctx.w.Error(kSyntaxError), false;
    }
  }
  if (!a->replace && db.Get(ctx.arg(1)).ok()) {
    return ctx.w.Error("BUSYKEY Target key name already exists."), false;
  }
  if (!resp::ParseInt64(ctx.arg(2), &a->ttl)) return ctx.w.Error(kNotInteger), false;
  if (a->ttl < 0) return ctx.w.Error("ERR Invalid TTL value, must be >= 0"), false;
  return true;
}

void RestoreCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  RestoreArgs a;
  if (!ParseRestore(ctx, *db, &a)) return;
  const std::string_view payload = ctx.arg(3);
  if (!rdb::VerifyFooter(payload)) {
    return ctx.w.Error("ERR DUMP payload version or checksum are wrong");
  }
  DecodedValue v;
  if (!DecodeDump(rdb::PayloadBody(payload), LimitsOf(ctx.front.config()), &v)) {
    return ctx.w.Error("ERR Bad data format");
  }
  const bool existed = db->Get(ctx.arg(1)).ok();
  int64_t when = a.ttl;
  if (when != 0 && !a.absttl) {
    when = when > std::numeric_limits<int64_t>::max() - ctx.now_ms
               ? std::numeric_limits<int64_t>::max()
               : when + ctx.now_ms;
  }
  if (when != 0 && when <= ctx.now_ms) {
    // Already expired: the old value (REPLACE) goes, nothing is created.
    if (!existed) return ctx.w.Ok();
    return ctx.AwaitWrite(*db, engine::WriteRequest::Delete(ctx.arg(1)),
                          [](CommandContext& c, engine::WriteResult r) {
                            if (!r.ok()) return ReplyEngineError(c.w, r.errc());
                            c.Notify(kNotifyGeneric, "del", c.arg(1));
                            c.w.Ok();
                          });
  }
  engine::WriteOptions wo;
  if (when != 0) wo.expire_at_ms = when;
  const engine::WriteRequest req =
      v.object ? engine::WriteRequest::PutObject(ctx.arg(1), v.object.get(), wo)
               : engine::WriteRequest::Put(ctx.arg(1), v.bytes, wo);
  ctx.AwaitWrite(*db, req, [existed](CommandContext& c, engine::WriteResult r) {
    if (!r.ok()) return ReplyEngineError(c.w, r.errc());
    if (existed) c.Notify(kNotifyNew, "new", c.arg(1));  // Redis deletes, then adds anew
    c.Notify(kNotifyGeneric, "restore", c.arg(1));
    c.w.Ok();
  });
}

void MemoryHelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return memory problems reports.",
      "MALLOC-STATS",
      "    Return internal statistics report from the memory allocator.",
      "PURGE",
      "    Attempt to purge dirty pages for reclamation by the allocator.",
      "STATS",
      "    Return information about the memory usage of the server.",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

void MemoryUsageCmd(CommandContext& ctx) {
  uint64_t samples = 5;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    int64_t v = 0;
    if (!EqualsIgnoreCase(ctx.arg(j), "samples") || j + 1 >= ctx.argc()) {
      return ctx.w.Error(kSyntaxError);
    }
    if (!resp::ParseInt64(ctx.arg(++j), &v)) return ctx.w.Error(kNotInteger);
    if (v < 0) return ctx.w.Error(kSyntaxError);
    samples = v == 0 ? UINT64_MAX : static_cast<uint64_t>(v);
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = db->Get(ctx.arg(2));
  if (!e.ok()) return ctx.w.Null();
  ctx.w.Integer(static_cast<int64_t>(RedisMemoryUsage(*e, samples)));
}

void MemoryDoctorCmd(CommandContext& ctx) {
  ctx.w.Bulk(
      "Hi Sam, this instance is empty or is using very little memory, my issues detector can't "
      "be used in these conditions. Please, leave for your mission on Earth and fill it with "
      "some data. The new Sam and I will be back to our programming as soon as I finished "
      "rebooting.");
}

void MemoryPurgeCmd(CommandContext& ctx) {
  ctx.w.Ok();
}

void MemoryMallocStatsCmd(CommandContext& ctx) {
  ctx.w.Bulk("Stats not supported for the current allocator");
}

constexpr CommandSpec kMemorySubcommands[] = {
    {"doctor", 2, kReadOnly, MemoryDoctorCmd},
    {"malloc-stats", 2, kReadOnly, MemoryMallocStatsCmd},
    {"purge", 2, kReadOnly, MemoryPurgeCmd},
    {"usage", -3, kReadOnly, MemoryUsageCmd, 2, 2, 1},
    {"help", 2, kReadOnly | kLoading | kStale, MemoryHelpCmd},
};

constexpr CommandSpec kCommands[] = {
    {"dump", 2, kReadOnly, DumpCmd, 1, 1, 1},
    {"restore", -4, kWrite, RestoreCmd, 1, 1, 1},
    Container("memory", -2, 0, kMemorySubcommands),
};

}  // namespace

std::span<const CommandSpec> DumpCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

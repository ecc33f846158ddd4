// File: translate/redis/hash_cmds.cc
// Hashes, as redis-server 7.0 answers them: HSET HSETNX HMSET HGET HMGET HGETALL HDEL HLEN
// HEXISTS HKEYS HVALS HSTRLEN HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN. Writes change the key's
// engine::HashValue in place (ctx.AwaitMutate: one revision per command that changed it; an
// emptied hash deletes the key, as in Redis); reads look at the value the engine holds. Fields
// come back in insertion order, the order Redis's listpack keeps (random in its hashtable).
//
//   HSET h f v   -> :1   (keyspace event "hset")
//   HGETALL h    -> *2 f v  (RESP3: %1)
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/collections/hash_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/long_double.h"
#include "translate/redis/notifications.h"
#include "translate/redis/random.h"
#include "translate/redis/scan_args.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::HashValue;
using engine::ValueType;

// Sets field = value with Redis's listpack -> hashtable rule; true if the field is new.
bool SetField(CommandContext& ctx, HashValue& h, std::string_view field, std::string_view value) {
  const bool added = h.Set(field, value);
  const RedisConfig& cfg = ctx.front.config();
  h.NoteWrite(field, value, cfg.hash_max_listpack_entries, cfg.hash_max_listpack_value);
  return added;
}

void HSetGeneric(CommandContext& ctx, bool hmset) {
  if (ctx.argc() % 2 != 0) return ReplyArity(ctx.w, hmset ? "hmset" : "hset");
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kHash, {}, int64_t{0},
      [&](engine::Collection& c, int64_t& added) {
        auto& h = static_cast<HashValue&>(c);
        for (size_t i = 2; i + 1 < ctx.argc(); i += 2) {
          added += SetField(ctx, h, ctx.arg(i), ctx.arg(i + 1)) ? 1 : 0;
        }
        return true;  // Redis counts an unchanged value as written (event, WATCH)
      },
      [hmset](CommandContext& c, engine::WriteResult r, int64_t added) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.Notify(kNotifyHash, "hset", c.arg(1));
        if (hmset) return c.w.Ok();
        c.w.Integer(added);
      });
}

void HSetCmd(CommandContext& ctx) {
  HSetGeneric(ctx, false);
}

void HMSetCmd(CommandContext& ctx) {
  HSetGeneric(ctx, true);
}

void HSetNxCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kHash, {}, false,
      [&](engine::Collection& c, bool& set) {
        auto& h = static_cast<HashValue&>(c);
        if (h.table().Contains(ctx.arg(2))) return false;
        set = SetField(ctx, h, ctx.arg(2), ctx.arg(3));
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, bool set) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (set) c.Notify(kNotifyHash, "hset", c.arg(1));
        c.w.Integer(set ? 1 : 0);
      });
}

struct DelState {
  int64_t deleted = 0;
  bool emptied = false;
};

void HDelCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kHash, {.create = false, .may_grow = false}, DelState{},
      [&](engine::Collection& c, DelState& s) {
        auto& h = static_cast<HashValue&>(c);
        for (size_t i = 2; i < ctx.argc() && h.size() > 0; ++i) {
          s.deleted += h.Erase(ctx.arg(i)) ? 1 : 0;
        }
        s.emptied = h.size() == 0;
        return s.deleted > 0;
      },
      [](CommandContext& c, engine::WriteResult r, DelState s) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Integer(0);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (s.deleted > 0) c.Notify(kNotifyHash, "hdel", c.arg(1));
        if (s.emptied) c.Notify(kNotifyGeneric, "del", c.arg(1));
        c.w.Integer(s.deleted);
      });
}

void HGetCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const HashValue* h = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;
  auto v = h != nullptr ? h->table().Find(ctx.arg(2)) : std::nullopt;
  if (!v) return ctx.w.Null();
  ctx.w.Bulk(*v);
}

void HMGetCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const HashValue* h = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;
  ctx.w.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    auto v = h != nullptr ? h->table().Find(ctx.arg(i)) : std::nullopt;
    if (v) {
      ctx.w.Bulk(*v);
    } else {
      ctx.w.Null();
    }
  }
}

// HGETALL / HKEYS / HVALS.
void WriteAll(CommandContext& ctx, bool keys, bool values) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const HashValue* h = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;
  const size_t n = h != nullptr ? h->size() : 0;
  if (keys && values) {
    ctx.w.MapHeader(n);
  } else {
    ctx.w.ArrayHeader(n);
  }
  if (h == nullptr) return;
  h->table().ForEach([&](std::string_view f, std::string_view v) {
    if (keys) ctx.w.Bulk(f);
    if (values) ctx.w.Bulk(v);
  });
}

void HGetAllCmd(CommandContext& ctx) {
  WriteAll(ctx, true, true);
}

void HKeysCmd(CommandContext& ctx) {
  WriteAll(ctx, true, false);
}

void HValsCmd(CommandContext& ctx) {
  WriteAll(ctx, false, true);
}

void HLenCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const HashValue* h = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;
  ctx.w.Integer(h != nullptr ? static_cast<int64_t>(h->size()) : 0);
}

void HExistsCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const HashValue* h = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;
  ctx.w.Integer(h != nullptr && h->table().Contains(ctx.arg(2)) ? 1 : 0);
}

void HStrLenCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const HashValue* h = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;
  auto v = h != nullptr ? h->table().Find(ctx.arg(2)) : std::nullopt;
  ctx.w.Integer(v ? static_cast<int64_t>(v->size()) : 0);
}

struct IncrState {
  std::string_view error;  // a static error text when the field's value does not parse
  int64_t value = 0;
};

void HIncrByCmd(CommandContext& ctx) {
  int64_t incr = 0;
  if (!resp::ParseInt64(ctx.arg(3), &incr)) return ctx.w.Error(kNotInteger);
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kHash, {}, IncrState{},
      [&](engine::Collection& c, IncrState& s) {
        auto& h = static_cast<HashValue&>(c);
        int64_t value = 0;
        if (auto v = h.table().Find(ctx.arg(2)); v && !resp::ParseInt64(*v, &value)) {
          s.error = "ERR hash value is not an integer";
          return false;
        }
        if ((incr < 0 && value < 0 && incr < INT64_MIN - value) ||
            (incr > 0 && value > 0 && incr > INT64_MAX - value)) {
          s.error = kOverflow;
          return false;
        }
        s.value = value + incr;
        char buf[resp::kMaxInt64Chars];
        SetField(ctx, h, ctx.arg(2), resp::FormatInt64(s.value, buf));
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, IncrState s) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (!s.error.empty()) return c.w.Error(s.error);
        c.Notify(kNotifyHash, "hincrby", c.arg(1));
        c.w.Integer(s.value);
      });
}

struct FloatState {
  bool not_float = false;  // the field's value does not parse
  bool nan_or_inf = false;
  std::string text;
};

void HIncrByFloatCmd(CommandContext& ctx) {
  long double incr = 0;
  if (!ParseLongDouble(ctx.arg(3), &incr)) return ctx.w.Error(kNotFloat);
  if (std::isnan(incr) || std::isinf(incr)) return ctx.w.Error("ERR value is NaN or Infinity");
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kHash, {}, FloatState{},
      [&](engine::Collection& c, FloatState& s) {
        auto& h = static_cast<HashValue&>(c);
        long double value = 0;
        if (auto v = h.table().Find(ctx.arg(2)); v && !ParseLongDouble(*v, &value)) {
          s.not_float = true;
          return false;
        }
        value += incr;
        if (std::isnan(value) || std::isinf(value)) {
          s.nan_or_inf = true;
          return false;
        }
        s.text = FormatLongDouble(value);
        SetField(ctx, h, ctx.arg(2), s.text);
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, const FloatState& s) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (s.not_float) return c.w.Error("ERR hash value is not a float");
        if (s.nan_or_inf) return c.w.Error(kNanOrInf);
        c.Notify(kNotifyHash, "hincrbyfloat", c.arg(1));
        c.w.Bulk(s.text);
      });
}

void WritePair(CommandContext& ctx, std::string_view f, std::string_view v, bool with_values) {
  if (with_values && ctx.w.resp() >= 3) ctx.w.ArrayHeader(2);
  ctx.w.Bulk(f);
  if (with_values) ctx.w.Bulk(v);
}

void HRandFieldCmd(CommandContext& ctx) {
  if (ctx.argc() > 4) return ctx.w.Error(kSyntaxError);
  int64_t count = 0;
  const bool has_count = ctx.argc() >= 3;
  if (has_count && !ParseRandomCount(ctx, ctx.arg(2), &count)) return;
  const bool with_values = ctx.argc() == 4;
  if (with_values && !EqualsIgnoreCase(CString(ctx.arg(3)), "withvalues")) {
    return ctx.w.Error(kSyntaxError);
  }
  if (with_values && count < -(INT64_MAX / 2)) return ctx.w.Error("ERR value is out of range");
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const HashValue* h = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;
  if (!has_count) {
    if (h == nullptr) return ctx.w.Null();
    return ctx.w.Bulk(h->table().Random(RandomU64()).first);
  }
  const uint64_t want = count < 0 ? static_cast<uint64_t>(-count) : static_cast<uint64_t>(count);
  if (h == nullptr || want == 0) return ctx.w.ArrayHeader(0);
  const auto& t = h->table();
  const size_t per = with_values && ctx.w.resp() < 3 ? 2 : 1;
  if (count > 0 && want >= t.size()) {  // the whole hash, in its order
    ctx.w.ArrayHeader(t.size() * per);
    t.ForEach([&](std::string_view f, std::string_view v) { WritePair(ctx, f, v, with_values); });
    return;
  }
  if (want > kMaxRandomCount) return ctx.w.Error(kRandomCountTooLarge);
  ctx.w.ArrayHeader(want * per);
  if (count < 0) {  // repetitions allowed
    for (uint64_t i = 0; i < want; ++i) {
      auto [f, v] = t.Random(RandomU64());
      WritePair(ctx, f, v, with_values);
    }
    return;
  }
  // Distinct fields: a partial Fisher-Yates shuffle over the fields' positions.
  std::vector<std::pair<std::string_view, std::string_view>> all;
  all.reserve(t.size());
  t.ForEach([&](std::string_view f, std::string_view v) { all.emplace_back(f, v); });
  for (uint64_t i = 0; i < want; ++i) {
    std::swap(all[i], all[i + RandomU64() % (all.size() - i)]);
    WritePair(ctx, all[i].first, all[i].second, with_values);
  }
}

void HScanCmd(CommandContext& ctx) {
  ScanArgs a;
  if (!ParseScanArgs(ctx, 2, /*allow_type=*/false, &a)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const HashValue* h = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;
  std::vector<std::pair<std::string_view, std::string_view>> found;
  uint64_t next = 0;
  auto take = [&](std::string_view f, std::string_view v) {
    if (a.Matches(f)) found.emplace_back(f, v);
  };
  if (h != nullptr && h->listpack()) {
    h->table().ForEach(take);  // a listpack answers in one call, COUNT or not (Redis)
  } else if (h != nullptr) {
    next = h->table().Scan(a.cursor, static_cast<size_t>(a.count), take);
  }
  WriteScanHeader(ctx.w, next, found.size() * 2);
  for (const auto& [f, v] : found) {
    ctx.w.Bulk(f);
    ctx.w.Bulk(v);
  }
}

constexpr uint32_t kWF = kWrite | kFast;
constexpr uint32_t kRF = kReadOnly | kFast;

constexpr CommandSpec kCommands[] = {
    {"hset", -4, kWF, HSetCmd, 1, 1, 1},
    {"hmset", -4, kWF, HMSetCmd, 1, 1, 1},
    {"hsetnx", 4, kWF, HSetNxCmd, 1, 1, 1},
    {"hdel", -3, kWF, HDelCmd, 1, 1, 1},
    {"hget", 3, kRF, HGetCmd, 1, 1, 1},
    {"hmget", -3, kRF, HMGetCmd, 1, 1, 1},
    {"hgetall", 2, kReadOnly, HGetAllCmd, 1, 1, 1},
    {"hkeys", 2, kReadOnly, HKeysCmd, 1, 1, 1},
    {"hvals", 2, kReadOnly, HValsCmd, 1, 1, 1},
    {"hlen", 2, kRF, HLenCmd, 1, 1, 1},
    {"hexists", 3, kRF, HExistsCmd, 1, 1, 1},
    {"hstrlen", 3, kRF, HStrLenCmd, 1, 1, 1},
    {"hincrby", 4, kWF, HIncrByCmd, 1, 1, 1},
    {"hincrbyfloat", 4, kWF, HIncrByFloatCmd, 1, 1, 1},
    {"hrandfield", -2, kReadOnly, HRandFieldCmd, 1, 1, 1},
    {"hscan", -3, kReadOnly, HScanCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> HashCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

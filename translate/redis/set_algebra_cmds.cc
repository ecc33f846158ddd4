// File: translate/redis/set_algebra_cmds.cc
// Set algebra, as redis-server 7.0 answers it: SINTER SINTERCARD SUNION SDIFF and the STORE
// forms SINTERSTORE SUNIONSTORE SDIFFSTORE. Every source key is looked up first (a missing key
// is an empty set, any other type WRONGTYPE before anything is written); the result is built as
// Redis builds it, a set starting as an intset, so its encoding and, for integers, its order are
// Redis's. A STORE form puts the new set whole (WriteRequest::PutObject: one revision, the TTL
// gone) or, when the result is empty, deletes the destination.
//
//   SINTER a b            -> ~n members (RESP2 *n), in the smallest set's order
//   SUNIONSTORE d a b     -> :n   (event "sunionstore"; "del" when empty and d existed)
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/collections/set_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"
#include "translate/redis/set_access.h"
#include "translate/redis/store_result.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::SetValue;

// The sets at args [from, to): nullptr for a missing key; false after replying WRONGTYPE.
bool ReadSets(CommandContext& ctx, Bucket& db, size_t from, size_t to,
              std::vector<const SetValue*>* out) {
  out->reserve(to - from);
  for (size_t i = from; i < to; ++i) {
    const SetValue* s = nullptr;
    if (!ReadCollection(ctx, db, ctx.arg(i), &s)) return false;
    out->push_back(s);
  }
  return true;
}

// Intersection (Redis sinterGenericCommand): the members of the smallest set found in all the
// others, in its order; visit(member) returns false to stop (SINTERCARD's LIMIT).
template <typename Visit>
void Intersect(std::vector<const SetValue*> sets, Visit&& visit) {
  for (const SetValue* s : sets) {
    if (s == nullptr) return;  // with an empty set, empty
  }
  std::stable_sort(sets.begin(), sets.end(),
                   [](const SetValue* a, const SetValue* b) { return a->size() < b->size(); });
  bool go = true;
  sets[0]->ForEach([&](std::string_view m) {
    if (!go) return;
    for (size_t j = 1; j < sets.size(); ++j) {
      if (sets[j] != sets[0] && !sets[j]->Contains(m)) return;
    }
    go = visit(m);
  });
}

enum class Op { kUnion, kDiff };

// Union or difference into `out` (Redis sunionDiffGenericCommand, its two DIFF algorithms
// included: the second builds the whole first set before removing, which decides the result's
// encoding).
void UnionDiff(const std::vector<const SetValue*>& sets, Op op, size_t max, SetValue* out) {
  if (op == Op::kUnion) {
    for (const SetValue* s : sets) {
      if (s != nullptr) s->ForEach([&](std::string_view m) { out->Add(m, max); });
    }
    return;
  }
  const SetValue* first = sets[0];
  if (first == nullptr) return;
  for (size_t j = 1; j < sets.size(); ++j) {
    if (sets[j] == first) return;  // the first set minus itself
  }
  int64_t algo_one = 0;
  int64_t algo_two = 0;
  for (const SetValue* s : sets) {
    if (s == nullptr) continue;
    algo_one += static_cast<int64_t>(first->size());
    algo_two += static_cast<int64_t>(s->size());
  }
  if (algo_one / 2 <= algo_two) {
    first->ForEach([&](std::string_view m) {
      for (size_t j = 1; j < sets.size(); ++j) {
        if (sets[j] != nullptr && sets[j]->Contains(m)) return;
      }
      out->Add(m, max);
    });
    return;
  }
  first->ForEach([&](std::string_view m) { out->Add(m, max); });
  for (size_t j = 1; j < sets.size() && out->size() > 0; ++j) {
    if (sets[j] == nullptr) continue;
    std::vector<std::string> members;
    sets[j]->ForEach([&](std::string_view m) { members.emplace_back(m); });
    for (const std::string& m : members) out->Remove(m);
  }
}

// The STORE forms' write: the new set at arg(1), or its deletion when empty.
void Store(CommandContext& ctx, Bucket& db, std::unique_ptr<SetValue> result,
           std::string_view event) {
  StoreCollection(ctx, db, 1, engine::CollectionRef(std::move(result)), kNotifySet, event);
}

void SInterCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::vector<const SetValue*> sets;
  if (!ReadSets(ctx, *db, 1, ctx.argc(), &sets)) return;
  std::vector<std::string> found;
  Intersect(sets, [&](std::string_view m) {
    found.emplace_back(m);
    return true;
  });
  ctx.w.SetHeader(found.size());
  for (const std::string& m : found) ctx.w.Bulk(m);
}

void SInterStoreCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::vector<const SetValue*> sets;
  if (!ReadSets(ctx, *db, 2, ctx.argc(), &sets)) return;
  auto result = std::make_unique<SetValue>();
  const size_t max = IntsetMax(ctx);
  Intersect(sets, [&](std::string_view m) {
    result->Add(m, max);
    return true;
  });
  Store(ctx, *db, std::move(result), "sinterstore");
}

void SInterCardCmd(CommandContext& ctx) {
  int64_t numkeys = 0;
  if (!resp::ParseInt64(ctx.arg(1), &numkeys) || numkeys < 1) {
    return ctx.w.Error("ERR numkeys should be greater than 0");
  }
  if (static_cast<uint64_t>(numkeys) > ctx.argc() - 2) {
    return ctx.w.Error("ERR Number of keys can't be greater than number of args");
  }
  const size_t keys_end = 2 + static_cast<size_t>(numkeys);
  int64_t limit = 0;
  for (size_t i = keys_end; i < ctx.argc(); ++i) {
    if (EqualsIgnoreCase(CString(ctx.arg(i)), "limit") && i + 1 < ctx.argc()) {
      ++i;
      if (!resp::ParseInt64(ctx.arg(i), &limit) || limit < 0) {
        return ctx.w.Error("ERR LIMIT can't be negative");
      }
    } else {
      return ctx.w.Error(kSyntaxError);
    }
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::vector<const SetValue*> sets;
  if (!ReadSets(ctx, *db, 2, keys_end, &sets)) return;
  int64_t n = 0;
  Intersect(sets, [&](std::string_view) { return ++n != limit; });
  ctx.w.Integer(n);
}

void UnionDiffCmd(CommandContext& ctx, Op op, bool store) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::vector<const SetValue*> sets;
  if (!ReadSets(ctx, *db, store ? 2 : 1, ctx.argc(), &sets)) return;
  auto result = std::make_unique<SetValue>();
  UnionDiff(sets, op, IntsetMax(ctx), result.get());
  if (store)
    return Store(ctx, *db, std::move(result), op == Op::kUnion ? "sunionstore" : "sdiffstore");
  ctx.w.SetHeader(result->size());
  result->ForEach([&](std::string_view m) { ctx.w.Bulk(m); });
}

void SUnionCmd(CommandContext& ctx) {
  UnionDiffCmd(ctx, Op::kUnion, false);
}

void SUnionStoreCmd(CommandContext& ctx) {
  UnionDiffCmd(ctx, Op::kUnion, true);
}

void SDiffCmd(CommandContext& ctx) {
  UnionDiffCmd(ctx, Op::kDiff, false);
}

void SDiffStoreCmd(CommandContext& ctx) {
  UnionDiffCmd(ctx, Op::kDiff, true);
}

constexpr CommandSpec kCommands[] = {
    {"sinter", -2, kReadOnly, SInterCmd, 1, -1, 1},
    {"sintercard", -3, kReadOnly, SInterCardCmd, 0, 0, 0},
    {"sinterstore", -3, kWrite, SInterStoreCmd, 1, -1, 1},
    {"sunion", -2, kReadOnly, SUnionCmd, 1, -1, 1},
    {"sunionstore", -3, kWrite, SUnionStoreCmd, 1, -1, 1},
    {"sdiff", -2, kReadOnly, SDiffCmd, 1, -1, 1},
    {"sdiffstore", -3, kWrite, SDiffStoreCmd, 1, -1, 1},
};

}  // namespace

std::span<const CommandSpec> SetAlgebraCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

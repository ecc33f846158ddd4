// File: translate/redis/zset_algebra_cmds.cc
// Sorted-set algebra, as redis-server 7.0 answers it: ZUNION ZINTER ZDIFF (WITHSCORES),
// ZUNIONSTORE ZINTERSTORE ZDIFFSTORE (WEIGHTS, AGGREGATE SUM|MIN|MAX) and ZINTERCARD (LIMIT).
// Sources are sorted sets, plain sets (each member with score 1, as in Redis) or missing keys
// (empty).
//
//   ZUNIONSTORE out 2 a b WEIGHTS 1 2 AGGREGATE MAX   -> :3   (event "zunionstore")
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/collections/set_value.h"
#include "engine/collections/zset_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/zset_common.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::ValueType;
using Node = ZSetValue::Node;

enum class Op : uint8_t { kUnion, kInter, kDiff };
enum class Aggregate : uint8_t { kSum, kMin, kMax };

struct Source {
  const ZSetValue* zset = nullptr;  // both nullptr: a missing key (empty)
  const engine::SetValue* set = nullptr;
  double weight = 1;

  // The collection read (nullptr: a missing key): the same key given twice is read once.
  const void* id() const {
    return set != nullptr ? static_cast<const void*>(set) : static_cast<const void*>(zset);
  }
  size_t size() const {
    if (set != nullptr) return set->size();
    return zset != nullptr ? zset->size() : 0;
  }
  std::optional<double> Score(std::string_view m) const {
    if (set != nullptr) return set->Contains(m) ? std::optional<double>(1.0) : std::nullopt;
    return zset != nullptr ? zset->Score(m) : std::nullopt;
  }
  template <typename F>
  void ForEach(F&& fn) const {
    if (set != nullptr) {
      set->ForEach([&](std::string_view m) { fn(m, 1.0); });
      return;
    }
    if (zset == nullptr) return;
    for (const Node* n = zset->First(); n != nullptr; n = ZSetValue::Next(n)) {
      fn(ZSetValue::MemberOf(n), ZSetValue::ScoreOf(n));
    }
  }
};

void Combine(Aggregate a, double* target, double v) {
  switch (a) {
    case Aggregate::kSum:
      *target += v;
      if (std::isnan(*target)) *target = 0;  // inf + -inf
      break;
    case Aggregate::kMin:
      *target = std::min(*target, v);
      break;
    case Aggregate::kMax:
      *target = std::max(*target, v);
      break;
  }
}

double Weighted(double score, double weight) {
  const double v = score * weight;
  return std::isnan(v) ? 0 : v;  // 0 * inf
}

// ZUNION/ZINTER/ZDIFF[STORE]/ZINTERCARD, Redis zunionInterDiffGenericCommand. `dst_arg` is 0
// for the reply forms.
void AlgebraGeneric(CommandContext& ctx, size_t dst_arg, size_t numkeys_arg, Op op,
                    bool card_only) {
  const std::string_view fullname = ctx.spec->name;
  int64_t setnum = 0;
  if (!resp::ParseInt64(ctx.arg(numkeys_arg), &setnum)) return ctx.w.Error(kNotInteger);
  if (setnum < 1) {
    return ctx.w.Error("ERR at least 1 input key is needed for '" + std::string(fullname) +
                       "' command");
  }
  if (static_cast<uint64_t>(setnum) > ctx.argc() - (numkeys_arg + 1)) {
    return ctx.w.Error(kSyntaxError);
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::vector<Source> src(static_cast<size_t>(setnum));
  size_t j = numkeys_arg + 1;
  for (Source& s : src) {
    auto e = db->Get(ctx.arg(j++));
    if (!e.ok()) continue;
    if (e->type == ValueType::kSet) {
      s.set = static_cast<const engine::SetValue*>(e->object);
      continue;
    }
    if (e->type != ValueType::kZSet) return ctx.w.Error(kWrongType);
    s.zset = static_cast<const ZSetValue*>(e->object);
  }
  Aggregate aggregate = Aggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;
  while (j < ctx.argc()) {
    const size_t remaining = ctx.argc() - j;
    const std::string_view o = CString(ctx.arg(j));
    if (op != Op::kDiff && !card_only && remaining >= src.size() + 1 &&
        EqualsIgnoreCase(o, "weights")) {
      ++j;
      for (Source& s : src) {
        if (!ParseScore(ctx.arg(j++), &s.weight)) {
          return ctx.w.Error("ERR weight value is not a float");
        }
      }
    } else if (op != Op::kDiff && !card_only && remaining >= 2 &&
               EqualsIgnoreCase(o, "aggregate")) {
      const std::string_view a = CString(ctx.arg(j + 1));
      if (EqualsIgnoreCase(a, "sum")) {
        aggregate = Aggregate::kSum;
      } else if (EqualsIgnoreCase(a, "min")) {
        aggregate = Aggregate::kMin;
      } else if (EqualsIgnoreCase(a, "max")) {
        aggregate = Aggregate::kMax;
      } else {
        return ctx.w.Error(kSyntaxError);
      }
      j += 2;
    } else if (dst_arg == 0 && !card_only && EqualsIgnoreCase(o, "withscores")) {
      ++j;
      withscores = true;
    } else if (card_only && remaining >= 2 && EqualsIgnoreCase(o, "limit")) {
      if (!resp::ParseInt64(ctx.arg(j + 1), &limit) || limit < 0) {
        return ctx.w.Error("ERR LIMIT can't be negative");
      }
      j += 2;
    } else {
      return ctx.w.Error(kSyntaxError);
    }
  }
  if (op != Op::kDiff) {
    std::stable_sort(src.begin(), src.end(),
                     [](const Source& a, const Source& b) { return a.size() < b.size(); });
  }
  engine::CollectionRef out(engine::NewCollection(ValueType::kZSet));
  auto& dst = static_cast<ZSetValue&>(*out);
  uint64_t cardinality = 0;
  if (op == Op::kInter) {
    if (src[0].size() > 0) {
      src[0].ForEach([&](std::string_view m, double score) {
        if (limit != 0 && cardinality >= static_cast<uint64_t>(limit)) return;
        double acc = Weighted(score, src[0].weight);
        for (size_t k = 1; k < src.size(); ++k) {
          // Unlike the first source's, these products are not cleared of NaN (Redis): a SUM
          // then turns NaN into 0, MIN and MAX keep what they had.
          double v = 0;
          if (src[k].id() == src[0].id()) {
            v = score * src[k].weight;
          } else if (auto other = src[k].Score(m)) {
            v = *other * src[k].weight;
          } else {
            return;
          }
          Combine(aggregate, &acc, v);
        }
        if (card_only) {
          ++cardinality;
        } else {
          dst.Set(m, acc);
        }
      });
    }
  } else if (op == Op::kUnion) {
    // Owned keys: a set source's members are views that live for one visit only.
    std::unordered_map<std::string, double> acc;
    for (const Source& s : src) {
      s.ForEach([&](std::string_view m, double score) {
        const double v = Weighted(score, s.weight);
        auto [it, fresh] = acc.try_emplace(std::string(m), v);
        if (!fresh) Combine(aggregate, &it->second, v);
      });
    }
    for (const auto& [m, v] : acc) dst.Set(m, v);
  } else {  // diff: the first source's members found in no other, with their scores
    src[0].ForEach([&](std::string_view m, double score) {
      for (size_t k = 1; k < src.size(); ++k) {
        if (src[k].Score(m)) return;
      }
      dst.Set(m, score);
    });
  }
  if (card_only) return ctx.w.Integer(static_cast<int64_t>(cardinality));
  if (dst_arg != 0) {
    LabelBuilt(ctx, dst);
    const std::string_view event = op == Op::kUnion   ? "zunionstore"
                                   : op == Op::kInter ? "zinterstore"
                                                      : "zdiffstore";
    return StoreZSet(ctx, dst_arg, std::move(out), event);
  }
  WriteScoredHeader(ctx, dst.size(), withscores);
  for (const Node* n = dst.First(); n != nullptr; n = ZSetValue::Next(n)) {
    WriteScored(ctx, ZSetValue::MemberOf(n), ZSetValue::ScoreOf(n), withscores);
  }
}

void ZUnionStoreCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, 1, 2, Op::kUnion, false);
}
void ZInterStoreCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, 1, 2, Op::kInter, false);
}
void ZDiffStoreCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, 1, 2, Op::kDiff, false);
}
void ZUnionCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, 0, 1, Op::kUnion, false);
}
void ZInterCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, 0, 1, Op::kInter, false);
}
void ZDiffCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, 0, 1, Op::kDiff, false);
}
void ZInterCardCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, 0, 1, Op::kInter, true);
}

constexpr CommandSpec kCommands[] = {
    {"zunionstore", -4, kWrite, ZUnionStoreCmd, 1, 1, 1},
    {"zinterstore", -4, kWrite, ZInterStoreCmd, 1, 1, 1},
    {"zdiffstore", -4, kWrite, ZDiffStoreCmd, 1, 1, 1},
    {"zunion", -3, kReadOnly, ZUnionCmd, 0, 0, 0},
    {"zinter", -3, kReadOnly, ZInterCmd, 0, 0, 0},
    {"zdiff", -3, kReadOnly, ZDiffCmd, 0, 0, 0},
    {"zintercard", -3, kReadOnly, ZInterCardCmd, 0, 0, 0},
};

}  // namespace

std::span<const CommandSpec> ZSetAlgebraCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

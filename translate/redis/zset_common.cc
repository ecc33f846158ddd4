// File: translate/redis/zset_common.cc
// The sorted-set helpers (zset_common.h).
#include "translate/redis/zset_common.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/notifications.h"
#include "translate/redis/redis_config.h"
#include "translate/redis/store_result.h"

namespace kvgate::redis {

bool ParseScore(std::string_view s, double* out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  const std::string text(s);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (static_cast<size_t>(end - text.c_str()) != text.size()) return false;
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0)) return false;
  if (std::isnan(v)) return false;
  *out = v;
  return true;
}

namespace {

// strtod of one range end up to its first NUL (Redis reads the argument as a C string).
bool ParseRangeEnd(std::string_view arg, double* out, bool* ex) {
  *ex = !arg.empty() && arg[0] == '(';
  if (*ex) arg.remove_prefix(1);
  const std::string text(arg);
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return *end == '\0' && !std::isnan(*out);
}

bool ParseLexItem(std::string_view arg, engine::LexBound* out) {
  if (arg.empty()) return false;
  const bool alone = arg.size() == 1 || arg[1] == '\0';
  switch (arg[0]) {
    case '+':
      if (!alone) return false;
      *out = {engine::LexBound::kPosInf, {}};
      return true;
    case '-':
      if (!alone) return false;
      *out = {engine::LexBound::kNegInf, {}};
      return true;
    case '(':
      *out = {engine::LexBound::kExclusive, arg.substr(1)};
      return true;
    case '[':
      *out = {engine::LexBound::kInclusive, arg.substr(1)};
      return true;
    default:
      return false;
  }
}

}  // namespace

bool ParseScoreRange(std::string_view min, std::string_view max, engine::ScoreRange* out) {
  return ParseRangeEnd(min, &out->min, &out->minex) && ParseRangeEnd(max, &out->max, &out->maxex);
}

bool ParseLexRange(std::string_view min, std::string_view max, engine::LexRange* out) {
  return ParseLexItem(min, &out->min) && ParseLexItem(max, &out->max);
}

bool SetMember(CommandContext& ctx, ZSetValue& z, std::string_view member, double score) {
  if (z.listpack()) {  // Redis converts before an insert that would pass a threshold
    const RedisConfig& cfg = ctx.front.config();
    const bool fresh = !z.Score(member).has_value();
    if ((fresh && z.size() + 1 > cfg.zset_max_listpack_entries) ||
        member.size() > cfg.zset_max_listpack_value) {
      z.set_listpack(false);
    } else if (score == 0) {
      score = 0;  // a listpack keeps -0 as "0"
    }
  }
  return z.Set(member, score);
}

void LabelBuilt(CommandContext& ctx, ZSetValue& z) {
  const RedisConfig& cfg = ctx.front.config();
  bool small = z.size() <= cfg.zset_max_listpack_entries;
  for (auto* n = z.First(); small && n != nullptr; n = ZSetValue::Next(n)) {
    small = ZSetValue::MemberOf(n).size() <= cfg.zset_max_listpack_value;
  }
  z.set_listpack(small);
  if (small) z.ClearNegativeZeros();  // re-inserted into a listpack by Redis: -0 becomes 0
}

void WriteScored(CommandContext& ctx, std::string_view member, double score, bool withscores) {
  if (withscores && ctx.w.resp() >= 3) ctx.w.ArrayHeader(2);
  ctx.w.Bulk(member);
  if (withscores) ctx.w.Double(score);
}

void WriteScoredHeader(CommandContext& ctx, size_t n, bool withscores) {
  ctx.w.ArrayHeader(withscores && ctx.w.resp() < 3 ? n * 2 : n);
}

void StoreZSet(CommandContext& ctx, size_t dst_arg, engine::CollectionRef z,
               std::string_view event) {
  engine::StoreBucket* db = ctx.Db();
  if (db == nullptr) return;
  StoreCollection(ctx, *db, dst_arg, std::move(z), kNotifyZset, event);
}

void ReplyRemoved(CommandContext& ctx, const engine::WriteResult& r, RemovedState s,
                  std::string_view event) {
  if (r.errc() == engine::Errc::kNotFound) return ctx.w.Integer(0);
  if (!r.ok()) return ReplyEngineError(ctx.w, r.errc());
  if (s.deleted > 0) ctx.Notify(kNotifyZset, event, ctx.arg(1));
  if (s.emptied) ctx.Notify(kNotifyGeneric, "del", ctx.arg(1));
  ctx.w.Integer(s.deleted);
}

std::string ScoreText(double score, bool listpack) {
  if (std::isinf(score)) return score > 0 ? "inf" : "-inf";
  char buf[64];
  // A listpack holds an integral score as an integer (d2string's long long path).
  if (listpack && score == std::trunc(score) && std::fabs(score) < 9.2233720368547758e18) {
    return std::to_string(static_cast<long long>(score));
  }
  const int n = std::snprintf(buf, sizeof(buf), "%.17g", score);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace kvgate::redis

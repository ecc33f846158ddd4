// File: translate/redis/zset_common.h
// What the sorted-set command files (zset_cmds.cc, zset_range_cmds.cc, zset_algebra_cmds.cc)
// share: reading a key's engine::ZSetValue (WRONGTYPE), Redis's score and range parsing, the
// listpack label rule at the configured thresholds, writing a member with its score as Redis
// does in RESP2 and RESP3, and storing a computed zset (the STORE forms).
//
//   const ZSetValue* z = nullptr;
//   if (!ReadCollection(ctx, *db, ctx.arg(1), &z)) return;   // replied WRONGTYPE
//   double s;  ParseScore("+inf", &s);                  // true, s = inf
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/collection.h"
#include "engine/collections/zset_value.h"
#include "engine/store.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"

namespace kvgate::redis {

using engine::ZSetValue;

inline constexpr std::string_view kMinMaxNotFloat = "ERR min or max is not a float";
inline constexpr std::string_view kLexRangeInvalid = "ERR min or max not valid string range item";

// Redis string2d: strtod over the whole argument, no leading space, no NaN, no overflow.
bool ParseScore(std::string_view s, double* out);
// Redis zslParseRange: "(" for exclusive, strtod up to the first NUL, no NaN.
bool ParseScoreRange(std::string_view min, std::string_view max, engine::ScoreRange* out);
// Redis zslParseLexRange: "-", "+", "[value", "(value". Views point into the arguments.
bool ParseLexRange(std::string_view min, std::string_view max, engine::LexRange* out);
// Adds or updates a member with the listpack -> skiplist rule of the session's config.
bool SetMember(CommandContext& ctx, ZSetValue& z, std::string_view member, double score);
// A new zset built for a STORE form or a reply: its label as Redis's conversion after the
// build (listpack when small enough at the thresholds).
void LabelBuilt(CommandContext& ctx, ZSetValue& z);
// member, then its score when asked (RESP3: a [member, score] pair).
void WriteScored(CommandContext& ctx, std::string_view member, double score, bool withscores);
// The array header for n scored members.
void WriteScoredHeader(CommandContext& ctx, size_t n, bool withscores);
// Writes `z` to the key at argument `dst_arg` (its size is the reply; empty: the key is
// deleted, "del" event if it existed) and fires `event` ("zunionstore", ...).
void StoreZSet(CommandContext& ctx, size_t dst_arg, engine::CollectionRef z,
               std::string_view event);
// What a removal (ZREM, ZREMRANGEBY*) hands its reply: members removed, whether it emptied the
// zset (the engine then deleted the key).
struct RemovedState {
  int64_t deleted = 0;
  bool emptied = false;
};
// Its reply: the count (0 for a missing key), `event` when something went, "del" if emptied.
void ReplyRemoved(CommandContext& ctx, const engine::WriteResult& r, RemovedState s,
                  std::string_view event);
// A score as ZSCAN prints it: "%.17g" (inf, -inf), an integral one of a listpack as an integer
// (Redis keeps it so there: 123456789012345680, not 1.2345678901234568e+17).
std::string ScoreText(double score, bool listpack);

std::span<const CommandSpec> ZSetRangeCommands();
std::span<const CommandSpec> ZSetAlgebraCommands();

}  // namespace kvgate::redis

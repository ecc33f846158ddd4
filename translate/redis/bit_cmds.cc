// Bit commands on string values: SETBIT GETBIT BITCOUNT BITPOS BITOP, as redis-server 7.0.15
// answers them (its src/bitops.c), argument checks in the same order. The arithmetic is in
// bitmap.h; BITFIELD is in bitfield_cmds.cc, LCS in lcs_cmds.cc.
#include <string>
#include <vector>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/bit_args.h"
#include "translate/redis/bitmap.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/notifications.h"
#include "translate/redis/string_access.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;

constexpr std::string_view kBadBit = "ERR bit is not an integer or out of range";
constexpr std::string_view kBitNotBinary = "ERR The bit argument must be 1 or 0.";
constexpr std::string_view kNotSingleKey = "ERR BITOP NOT must be called with a single source key.";

// BYTE|BIT of BITCOUNT and BITPOS; false for anything else.
bool ParseUnit(std::string_view arg, bool* bits) {
  arg = CString(arg);
  *bits = EqualsIgnoreCase(arg, "bit");
  return *bits || EqualsIgnoreCase(arg, "byte");
}

// The inclusive bit range [*first, *last] of clamped indexes in bytes or bits.
void ToBits(bool bits, int64_t start, int64_t end, uint64_t* first, uint64_t* last) {
  *first = static_cast<uint64_t>(bits ? start : start * 8);
  *last = static_cast<uint64_t>(bits ? end : end * 8 + 7);
}

void SetBitCmd(CommandContext& ctx) {
  uint64_t offset = 0;
  if (!ParseBitOffset(ctx, ctx.arg(2), 0, &offset)) return;
  int64_t on = 0;
  if (!resp::ParseInt64(ctx.arg(3), &on) || (on & ~int64_t{1}) != 0) return ctx.w.Error(kBadBit);
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  bool found = false;
  auto cur = GetStringOrEmpty(*db, ctx.arg(1), &found);
  if (!cur.ok()) return ReplyEngineError(ctx.w, cur.errc());
  const bool old = bitmap::GetBit(*cur, offset);
  const uint64_t need = (offset >> 3) + 1;
  // Redis writes (and notifies) only when the key is created, grows, or the bit flips.
  if (found && cur->size() >= need && old == (on == 1)) return ctx.w.Integer(old ? 1 : 0);
  if (!CheckStringLength(ctx, need, 0)) return;
  std::string value(*cur);
  if (value.size() < need) value.resize(need, '\0');
  bitmap::SetBit(value, offset, on == 1);
  engine::WriteOptions wo;
  wo.keep_ttl = true;  // Redis changes the string in place
  ctx.AwaitWrite(*db, engine::WriteRequest::Put(ctx.arg(1), value, wo),
                 [old](CommandContext& c, engine::WriteResult r) {
                   if (!r.ok()) return ReplyEngineError(c.w, r.errc());
                   c.Notify(kNotifyString, "setbit", c.arg(1));
                   c.w.Integer(old ? 1 : 0);
                 });
}

void GetBitCmd(CommandContext& ctx) {
  uint64_t offset = 0;
  if (!ParseBitOffset(ctx, ctx.arg(2), 0, &offset)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto cur = GetStringOrEmpty(*db, ctx.arg(1));
  if (!cur.ok()) return ReplyEngineError(ctx.w, cur.errc());
  ctx.w.Integer(bitmap::GetBit(*cur, offset) ? 1 : 0);
}

// BITCOUNT key [start end [BYTE|BIT]]. Redis 7.0 looks the key up first: a missing key
// answers 0 whatever the arguments.
void BitCountCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  bool found = false;
  auto cur = GetStringOrEmpty(*db, ctx.arg(1), &found);
  if (!cur.ok()) return ReplyEngineError(ctx.w, cur.errc());
  if (!found) return ctx.w.Integer(0);
  const auto len = static_cast<int64_t>(cur->size());
  int64_t start = 0, end = len - 1;
  bool bits = false;
  if (ctx.argc() == 4 || ctx.argc() == 5) {
    if (!resp::ParseInt64(ctx.arg(2), &start) || !resp::ParseInt64(ctx.arg(3), &end)) {
      return ctx.w.Error(kNotInteger);
    }
    // Checked before the unit, so "-1 -2 FOO" answers 0.
    if (start < 0 && end < 0 && start > end) return ctx.w.Integer(0);
    if (ctx.argc() == 5 && !ParseUnit(ctx.arg(4), &bits)) return ctx.w.Error(kSyntaxError);
  } else if (ctx.argc() != 2) {
    return ctx.w.Error(kSyntaxError);
  }
  if (!bitmap::ClampRange(bits ? len * 8 : len, &start, &end)) return ctx.w.Integer(0);
  uint64_t first = 0, last = 0;
  ToBits(bits, start, end, &first, &last);
  ctx.w.Integer(bitmap::CountBits(*cur, first, last));
}

// BITPOS key bit [start [end [BYTE|BIT]]]. A missing key is all zeros: 0 for a clear bit,
// -1 for a set one, before the range is read (Redis 7.0).
void BitPosCmd(CommandContext& ctx) {
  int64_t bit = 0;
  if (!resp::ParseInt64(ctx.arg(2), &bit)) return ctx.w.Error(kNotInteger);
  if (bit != 0 && bit != 1) return ctx.w.Error(kBitNotBinary);
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  bool found = false;
  auto cur = GetStringOrEmpty(*db, ctx.arg(1), &found);
  if (!cur.ok()) return ReplyEngineError(ctx.w, cur.errc());
  if (!found) return ctx.w.Integer(bit == 1 ? -1 : 0);
  const auto len = static_cast<int64_t>(cur->size());
  int64_t start = 0, end = len - 1;
  bool bits = false, end_given = false;
  const size_t argc = ctx.argc();
  if (argc >= 4 && argc <= 6) {
    if (!resp::ParseInt64(ctx.arg(3), &start)) return ctx.w.Error(kNotInteger);
    if (argc == 6 && !ParseUnit(ctx.arg(5), &bits)) return ctx.w.Error(kSyntaxError);
    if (argc >= 5) {
      if (!resp::ParseInt64(ctx.arg(4), &end)) return ctx.w.Error(kNotInteger);
      end_given = true;
    }
  } else if (argc != 3) {
    return ctx.w.Error(kSyntaxError);
  }
  if (!bitmap::ClampRange(bits ? len * 8 : len, &start, &end)) return ctx.w.Integer(-1);
  uint64_t first = 0, last = 0;
  ToBits(bits, start, end, &first, &last);
  int64_t pos = bitmap::FindBit(*cur, first, last, bit == 1);
  // Without an end the string reads as zero-padded: the first clear bit is just past it.
  if (pos == -1 && bit == 0 && !end_given) pos = static_cast<int64_t>(last + 1);
  ctx.w.Integer(pos);
}

bool ParseBitOp(std::string_view arg, bitmap::BitOp* op) {
  arg = CString(arg);
  if (EqualsIgnoreCase(arg, "and")) {
    *op = bitmap::BitOp::kAnd;
  } else if (EqualsIgnoreCase(arg, "or")) {
    *op = bitmap::BitOp::kOr;
  } else if (EqualsIgnoreCase(arg, "xor")) {
    *op = bitmap::BitOp::kXor;
  } else if (EqualsIgnoreCase(arg, "not")) {
    *op = bitmap::BitOp::kNot;
  } else {
    return false;
  }
  return true;
}

// BITOP op destkey key [key ...]: stores the result without a TTL (Redis setKey); an empty
// result deletes the destination instead.
void BitOpCmd(CommandContext& ctx) {
  bitmap::BitOp op{};
  if (!ParseBitOp(ctx.arg(1), &op)) return ctx.w.Error(kSyntaxError);
  if (op == bitmap::BitOp::kNot && ctx.argc() != 4) return ctx.w.Error(kNotSingleKey);
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::vector<std::string_view> sources;
  sources.reserve(ctx.argc() - 3);
  for (size_t i = 3; i < ctx.argc(); ++i) {
    auto cur = GetStringOrEmpty(*db, ctx.arg(i));
    if (!cur.ok()) return ReplyEngineError(ctx.w, cur.errc());
    sources.push_back(*cur);
  }
  const std::string result = bitmap::Combine(op, sources);
  const std::string_view dest = ctx.arg(2);
  if (result.empty()) {
    if (!db->Get(dest).ok()) return ctx.w.Integer(0);
    return ctx.AwaitWrite(*db, engine::WriteRequest::Delete(dest),
                          [](CommandContext& c, engine::WriteResult r) {
                            if (!r.ok()) return ReplyEngineError(c.w, r.errc());
                            c.Notify(kNotifyGeneric, "del", c.arg(2));
                            c.w.Integer(0);
                          });
  }
  ctx.AwaitWrite(
      *db, engine::WriteRequest::Put(dest, result),
      [len = static_cast<int64_t>(result.size())](CommandContext& c, engine::WriteResult r) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.Notify(kNotifyString, "set", c.arg(2));
        c.w.Integer(len);
      });
}

constexpr CommandSpec kCommands[] = {
    {"setbit", 4, kWrite, SetBitCmd, 1, 1, 1},
    {"getbit", 3, kReadOnly | kFast, GetBitCmd, 1, 1, 1},
    {"bitcount", -2, kReadOnly, BitCountCmd, 1, 1, 1},
    {"bitpos", -3, kReadOnly, BitPosCmd, 1, 1, 1},
    {"bitop", -4, kWrite, BitOpCmd, 2, -1, 1},
};

}  // namespace

bool ParseBitOffset(CommandContext& ctx, std::string_view arg, unsigned field_bits,
                    uint64_t* offset) {
  const bool fields = field_bits > 0 && !arg.empty() && arg[0] == '#';
  int64_t v = 0;
  if (!resp::ParseInt64(fields ? arg.substr(1) : arg, &v)) {
    ctx.w.Error(kBadBitOffset);
    return false;
  }
  // Redis multiplies in a long long; a product past its range wraps (and is then refused or
  // taken as the wrapped offset, as there).
  if (fields) v = static_cast<int64_t>(static_cast<uint64_t>(v) * field_bits);
  if (v < 0 || (v >> 3) >= ctx.front.config().limits.proto_max_bulk_len) {
    ctx.w.Error(kBadBitOffset);
    return false;
  }
  *offset = static_cast<uint64_t>(v);
  return true;
}

std::span<const CommandSpec> BitCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

// BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment]
// [OVERFLOW WRAP|SAT|FAIL] ... and BITFIELD_RO key [GET type offset] ..., as redis-server 7.0.15
// answers them: every operation is parsed (and refused) before any runs; the operations then
// run in order on one copy of the value, which is written once.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/bit_args.h"
#include "translate/redis/bitmap.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"
#include "translate/redis/string_access.h"

namespace kvgate::redis {
namespace {

using bitmap::FieldType;
using bitmap::Overflow;

constexpr std::string_view kBadType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";
constexpr std::string_view kBadOverflow = "ERR Invalid OVERFLOW type specified";
constexpr std::string_view kReadOnlyGetOnly = "ERR BITFIELD_RO only supports the GET subcommand";

struct FieldOp {
  enum class Kind { kGet, kSet, kIncrBy } kind = Kind::kGet;
  FieldType type;
  uint64_t offset = 0;
  int64_t value = 0;  // SET's value, INCRBY's increment
  Overflow overflow = Overflow::kWrap;
};

struct ParsedOps {
  std::vector<FieldOp> ops;
  uint64_t write_end = 0;  // one past the last bit a SET or INCRBY touches; 0: no writes
};

// Redis getBitfieldTypeFromArgument: i1..i64, u1..u63 (C-string semantics, as there).
bool ParseFieldType(std::string_view arg, FieldType* t) {
  arg = CString(arg);
  int64_t bits = 0;
  if (arg.empty() || (arg[0] != 'i' && arg[0] != 'u')) return false;
  t->is_signed = arg[0] == 'i';
  if (!resp::ParseInt64(arg.substr(1), &bits) || bits < 1 || bits > (t->is_signed ? 64 : 63)) {
    return false;
  }
  t->bits = static_cast<unsigned>(bits);
  return true;
}

bool ParseOverflow(std::string_view arg, Overflow* o) {
  arg = CString(arg);
  if (EqualsIgnoreCase(arg, "wrap")) {
    *o = Overflow::kWrap;
  } else if (EqualsIgnoreCase(arg, "sat")) {
    *o = Overflow::kSat;
  } else if (EqualsIgnoreCase(arg, "fail")) {
    *o = Overflow::kFail;
  } else {
    return false;
  }
  return true;
}

// The operation named by ctx.arg(j) if it has its arguments, else nullopt (a syntax error).
std::optional<FieldOp::Kind> OpKind(CommandContext& ctx, size_t j) {
  const std::string_view name = CString(ctx.arg(j));
  const size_t rest = ctx.argc() - j - 1;
  if (EqualsIgnoreCase(name, "get") && rest >= 2) return FieldOp::Kind::kGet;
  if (EqualsIgnoreCase(name, "set") && rest >= 3) return FieldOp::Kind::kSet;
  if (EqualsIgnoreCase(name, "incrby") && rest >= 3) return FieldOp::Kind::kIncrBy;
  return std::nullopt;
}

// Reads every operation; false after replying the first error.
bool ParseOps(CommandContext& ctx, ParsedOps* out) {
  Overflow overflow = Overflow::kWrap;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    if (EqualsIgnoreCase(CString(ctx.arg(j)), "overflow") && j + 1 < ctx.argc()) {
      if (!ParseOverflow(ctx.arg(++j), &overflow)) {
        ctx.w.Error(kBadOverflow);
        return false;
      }
      continue;
    }
    const std::optional<FieldOp::Kind> kind = OpKind(ctx, j);
    if (!kind) {
      ctx.w.Error(kSyntaxError);
      return false;
    }
    FieldOp op;
    op.kind = *kind;
    op.overflow = overflow;
    if (!ParseFieldType(ctx.arg(j + 1), &op.type)) {
      ctx.w.Error(kBadType);
      return false;
    }
    if (!ParseBitOffset(ctx, ctx.arg(j + 2), op.type.bits, &op.offset)) return false;
    if (op.kind != FieldOp::Kind::kGet) {
      out->write_end = std::max(out->write_end, op.offset + op.type.bits);
      if (!resp::ParseInt64(ctx.arg(j + 3), &op.value)) {
        ctx.w.Error(kNotInteger);
        return false;
      }
    }
    out->ops.push_back(op);
    j += op.kind == FieldOp::Kind::kGet ? 2 : 3;
  }
  return true;
}

using Results = std::vector<std::optional<int64_t>>;

void ReplyResults(resp::ReplyWriter& w, const Results& results) {
  w.ArrayHeader(results.size());
  for (const std::optional<int64_t>& r : results) {
    if (r) {
      w.Integer(*r);
    } else {
      w.Null();
    }
  }
}

// Runs the operations on `value` in order. Returns how many changed it as Redis counts them
// (every successful write counts once the key was created or grown: `dirty`).
size_t RunOps(const std::vector<FieldOp>& ops, bool dirty, std::string& value, Results* results) {
  size_t changes = 0;
  for (const FieldOp& op : ops) {
    const int64_t old = bitmap::ReadField(value, op.offset, op.type);
    if (op.kind == FieldOp::Kind::kGet) {
      results->emplace_back(old);
      continue;
    }
    const bool set = op.kind == FieldOp::Kind::kSet;
    const std::optional<int64_t> stored =
        set ? bitmap::FieldSet(op.type, op.value, op.overflow)
            : bitmap::FieldIncr(op.type, old, op.value, op.overflow);
    if (!stored) {  // OVERFLOW FAIL: nothing written, a null in the reply
      results->emplace_back(std::nullopt);
      continue;
    }
    bitmap::WriteField(value, op.offset, op.type, *stored);
    results->emplace_back(set ? old : *stored);
    if (dirty || old != *stored) ++changes;
  }
  return changes;
}

void BitfieldGeneric(CommandContext& ctx, bool read_only) {
  ParsedOps parsed;
  if (!ParseOps(ctx, &parsed)) return;
  if (parsed.write_end > 0 && read_only) return ctx.w.Error(kReadOnlyGetOnly);
  engine::StoreBucket* db = ctx.Db();
  if (db == nullptr) return;
  bool found = false;
  auto cur = GetStringOrEmpty(*db, ctx.arg(1), &found);
  if (!cur.ok()) return ReplyEngineError(ctx.w, cur.errc());
  Results results;
  results.reserve(parsed.ops.size());
  if (parsed.write_end == 0) {  // GETs only: read the value as it is
    for (const FieldOp& op : parsed.ops)
      results.emplace_back(bitmap::ReadField(*cur, op.offset, op.type));
    return ReplyResults(ctx.w, results);
  }
  const uint64_t need = (parsed.write_end + 7) / 8;
  if (!CheckStringLength(ctx, need, 0)) return;
  std::string value(*cur);
  // Redis creates or grows the key even when every write then fails (OVERFLOW FAIL).
  const bool dirty = !found || value.size() < need;
  if (value.size() < need) value.resize(need, '\0');
  const size_t changes = RunOps(parsed.ops, dirty, value, &results);
  if (!dirty && changes == 0) return ReplyResults(ctx.w, results);
  engine::WriteOptions wo;
  wo.keep_ttl = true;  // Redis changes the string in place
  ctx.AwaitWrite(*db, engine::WriteRequest::Put(ctx.arg(1), value, wo),
                 [results = std::move(results), changes](CommandContext& c, engine::WriteResult r) {
                   if (!r.ok()) return ReplyEngineError(c.w, r.errc());
                   ReplyResults(c.w, results);
                   if (changes > 0) c.Notify(kNotifyString, "setbit", c.arg(1));
                 });
}

void BitfieldCmd(CommandContext& ctx) {
  BitfieldGeneric(ctx, false);
}

void BitfieldRoCmd(CommandContext& ctx) {
  BitfieldGeneric(ctx, true);
}

constexpr CommandSpec kCommands[] = {
    {"bitfield", -2, kWrite, BitfieldCmd, 1, 1, 1},
    {"bitfield_ro", -2, kReadOnly | kFast, BitfieldRoCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> BitfieldCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

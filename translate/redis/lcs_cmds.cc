// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], as redis-server 7.0.15 answers
// it: the longest common subsequence by the textbook dynamic-programming table, walked back from
// the ends of both strings (so IDX lists the matches last first), the table's transient memory
// bounded by proto-max-bulk-len.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/string_access.h"

namespace kvgate::redis {
namespace {

constexpr std::string_view kNotStrings = "ERR The specified keys must contain string values";
constexpr std::string_view kLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
constexpr std::string_view kTooLong = "ERR String too long for LCS";
constexpr std::string_view kTableTooBig =
    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
constexpr std::string_view kNoMemory =
    "ERR Insufficient memory, failed allocating transient memory for LCS";

struct LcsOptions {
  bool len = false, idx = false, with_match_len = false;
  int64_t min_match_len = 0;
};

// False after replying the error.
bool ParseLcsOptions(CommandContext& ctx, LcsOptions* o) {
  for (size_t j = 3; j < ctx.argc(); ++j) {
    const std::string_view opt = CString(ctx.arg(j));
    if (EqualsIgnoreCase(opt, "IDX")) {
      o->idx = true;
    } else if (EqualsIgnoreCase(opt, "LEN")) {
      o->len = true;
    } else if (EqualsIgnoreCase(opt, "WITHMATCHLEN")) {
      o->with_match_len = true;
    } else if (EqualsIgnoreCase(opt, "MINMATCHLEN") && j + 1 < ctx.argc()) {
      if (!resp::ParseInt64(ctx.arg(++j), &o->min_match_len)) {
        ctx.w.Error(kNotInteger);
        return false;
      }
      if (o->min_match_len < 0) o->min_match_len = 0;
    } else {
      ctx.w.Error(kSyntaxError);
      return false;
    }
  }
  if (o->len && o->idx) {
    ctx.w.Error(kLenAndIdx);
    return false;
  }
  return true;
}

// table[i * (b.size() + 1) + j]: the LCS length of a[0, i) and b[0, j).
class LcsTable {
 public:
  LcsTable(std::string_view a, std::string_view b, uint32_t* cells)
      : a_(a), b_(b), width_(b.size() + 1), cells_(cells) {
    for (size_t i = 0; i <= a.size(); ++i) {
      for (size_t j = 0; j <= b.size(); ++j) At(i, j) = Cell(i, j);
    }
  }
  uint32_t At(size_t i, size_t j) const {
    return cells_[i * width_ + j];
  }

 private:
  uint32_t& At(size_t i, size_t j) {
    return cells_[i * width_ + j];
  }
  uint32_t Cell(size_t i, size_t j) const {
    if (i == 0 || j == 0) return 0;
    if (a_[i - 1] == b_[j - 1]) return At(i - 1, j - 1) + 1;
    return std::max(At(i - 1, j), At(i, j - 1));
  }

  std::string_view a_, b_;
  size_t width_;
  uint32_t* cells_;
};

struct Match {
  uint32_t a_start, a_end, b_start, b_end;
};

// Walks the table back from (|a|, |b|): the LCS itself and its runs of contiguous matches,
// last first, those shorter than min_len left out.
void WalkBack(const LcsTable& t, std::string_view a, std::string_view b, int64_t min_len,
              std::string* lcs, std::vector<Match>* matches) {
  size_t i = a.size(), j = b.size();
  size_t k = t.At(i, j);
  lcs->assign(k, '\0');
  bool open = false;
  Match run{};
  auto close = [&] {
    const int64_t len = int64_t{run.a_end} - run.a_start + 1;
    if (min_len == 0 || len >= min_len) matches->push_back(run);
    open = false;
  };
  while (i > 0 && j > 0) {
    if (a[i - 1] == b[j - 1]) {
      (*lcs)[--k] = a[i - 1];
      --i;
      --j;
      // After a match the walk steps diagonally, so an open run always extends backwards.
      if (!open) run.a_end = static_cast<uint32_t>(i), run.b_end = static_cast<uint32_t>(j);
      run.a_start = static_cast<uint32_t>(i);
      run.b_start = static_cast<uint32_t>(j);
      open = true;
      if (i == 0 || j == 0) close();
    } else {
      if (t.At(i - 1, j) > t.At(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      if (open) close();
    }
  }
}

void ReplyMatches(resp::ReplyWriter& w, const std::vector<Match>& matches, bool with_len,
                  uint32_t total) {
  w.MapHeader(2);
  w.Bulk("matches");
  w.ArrayHeader(matches.size());
  for (const Match& m : matches) {
    w.ArrayHeader(with_len ? 3 : 2);
    w.ArrayHeader(2);
    w.Integer(m.a_start);
    w.Integer(m.a_end);
    w.ArrayHeader(2);
    w.Integer(m.b_start);
    w.Integer(m.b_end);
    if (with_len) w.Integer(int64_t{m.a_end} - m.a_start + 1);
  }
  w.Bulk("len");
  w.Integer(total);
}

// The table's cells, or nullptr after replying why there are none.
std::unique_ptr<uint32_t[]> AllocTable(CommandContext& ctx, size_t a_len, size_t b_len) {
  // Both lengths are below 2^32, so the product fits in 64 bits.
  const uint64_t cells = (uint64_t{a_len} + 1) * (uint64_t{b_len} + 1);
  if (cells * sizeof(uint32_t) >
      static_cast<uint64_t>(ctx.front.config().limits.proto_max_bulk_len)) {
    ctx.w.Error(kTableTooBig);
    return nullptr;
  }
  std::unique_ptr<uint32_t[]> table(new (std::nothrow) uint32_t[cells]);
  if (!table) ctx.w.Error(kNoMemory);
  return table;
}

void LcsCmd(CommandContext& ctx) {
  engine::StoreBucket* db = ctx.Db();
  if (db == nullptr) return;
  auto a = GetStringOrEmpty(*db, ctx.arg(1));
  auto b = GetStringOrEmpty(*db, ctx.arg(2));
  for (const auto* r : {&a, &b}) {
    if (r->ok()) continue;
    if (r->errc() == engine::Errc::kWrongType) return ctx.w.Error(kNotStrings);
    return ReplyEngineError(ctx.w, r->errc());
  }
  LcsOptions o;
  if (!ParseLcsOptions(ctx, &o)) return;
  if (a->size() >= UINT32_MAX - 1 || b->size() >= UINT32_MAX - 1) return ctx.w.Error(kTooLong);
  std::unique_ptr<uint32_t[]> cells = AllocTable(ctx, a->size(), b->size());
  if (!cells) return;
  const LcsTable table(*a, *b, cells.get());
  const uint32_t total = table.At(a->size(), b->size());
  if (o.len) return ctx.w.Integer(total);
  std::string lcs;
  std::vector<Match> matches;
  WalkBack(table, *a, *b, o.min_match_len, &lcs, &matches);
  if (o.idx) return ReplyMatches(ctx.w, matches, o.with_match_len, total);
  ctx.w.Bulk(lcs);
}

constexpr CommandSpec kCommands[] = {
    {"lcs", -3, kReadOnly, LcsCmd, 1, 2, 1},
};

}  // namespace

std::span<const CommandSpec> LcsCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

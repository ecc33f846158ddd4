// File: translate/redis/sort_cmds.cc
// SORT and SORT_RO, as redis-server 7.0 answers them: the elements of a list, set or sorted set,
// sorted numerically (strtod; ties by their bytes) or with ALPHA by their bytes, optionally BY
// the values of other keys (`weight_*`, `h_*->field`), cut by LIMIT, answered as themselves or as
// GET lookups (`#`, `obj_*`, `h_*->field`), or STOREd as a list. A BY pattern without `*` means
// no sorting: lists and sorted sets keep their order (DESC reverses it), a set is sorted ALPHA
// when stored, as in Redis.
//
//   SORT l                    -> elements as numbers, ascending
//   SORT s BY w_* GET # GET o_* LIMIT 0 10 DESC ALPHA
//   SORT l STORE dst          -> :n (event "sortstore"; an empty result deletes dst)
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/zset_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"
#include "translate/redis/store_result.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::ValueType;

struct SortArgs {
  bool desc = false;
  bool alpha = false;
  bool dontsort = false;
  int64_t limit_start = 0;
  int64_t limit_count = -1;
  std::optional<std::string_view> by;
  std::optional<size_t> store_arg;
  std::vector<std::string_view> gets;
};

// Parses the options after the key; false after replying.
bool ParseSort(CommandContext& ctx, bool readonly, SortArgs* a) {
  for (size_t j = 2; j < ctx.argc(); ++j) {
    const std::string_view opt = CString(ctx.arg(j));
    const size_t left = ctx.argc() - j - 1;
    if (EqualsIgnoreCase(opt, "asc")) {
      a->desc = false;
    } else if (EqualsIgnoreCase(opt, "desc")) {
      a->desc = true;
    } else if (EqualsIgnoreCase(opt, "alpha")) {
      a->alpha = true;
    } else if (EqualsIgnoreCase(opt, "limit") && left >= 2) {
      if (!resp::ParseInt64(ctx.arg(j + 1), &a->limit_start) ||
          !resp::ParseInt64(ctx.arg(j + 2), &a->limit_count)) {
        ctx.w.Error(kNotInteger);
        return false;
      }
      j += 2;
    } else if (!readonly && EqualsIgnoreCase(opt, "store") && left >= 1) {
      a->store_arg = ++j;
    } else if (EqualsIgnoreCase(opt, "by") && left >= 1) {
      a->by = ctx.arg(++j);
      // A constant BY (no '*') names no weights: nothing to sort.
      a->dontsort = a->by->find('*') == std::string_view::npos;
    } else if (EqualsIgnoreCase(opt, "get") && left >= 1) {
      a->gets.push_back(ctx.arg(++j));
    } else {
      ctx.w.Error(kSyntaxError);
      return false;
    }
  }
  return true;
}

// Redis lookupKeyByPattern: `#` is the element itself; otherwise the first '*' is replaced by
// the element and the string at that key is read, or with `->field` after the '*', that field
// of the hash there. nullopt when there is no '*', no such key, or a value of another type.
std::optional<std::string> LookupByPattern(Bucket& db, std::string_view pattern,
                                           std::string_view element) {
  if (pattern == "#") return std::string(element);
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  std::string_view field;
  std::string_view tail = pattern.substr(star + 1);
  const size_t arrow = tail.find("->");
  if (arrow != std::string_view::npos && arrow + 2 < tail.size()) {
    field = tail.substr(arrow + 2);
    tail = tail.substr(0, arrow);
  }
  std::string key;
  key.reserve(pattern.size() + element.size());
  key.append(pattern.substr(0, star)).append(element).append(tail);
  auto e = db.Get(key);
  if (!e.ok()) return std::nullopt;
  if (!field.empty()) {
    if (e->type != ValueType::kHash) return std::nullopt;
    auto v = static_cast<const engine::HashValue*>(e->object)->table().Find(field);
    if (!v) return std::nullopt;
    return std::string(*v);
  }
  if (e->type != ValueType::kString) return std::nullopt;
  return std::string(e->value);
}

struct SortItem {
  explicit SortItem(std::string_view e) : element(e) {
  }
  std::string element;
  double score = 0;
  std::optional<std::string> by;  // ALPHA BY: the weight (missing sorts first)
};

// Redis's strtod check for numeric sorting: the whole (C) string must be a number, no NaN, no
// overflow or underflow.
bool SortScore(const std::string& text, double* out) {
  errno = 0;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return *end == '\0' && errno != ERANGE && !std::isnan(*out);
}

// The key's elements in their stored order (for a list or zset kept unsorted, only [start, end]
// and reversed when DESC); `*whole` false when only that range was loaded.
void LoadElements(const engine::EntryView& e, const SortArgs& a, int64_t start, int64_t end,
                  std::vector<SortItem>* out, bool* range_only) {
  *range_only = false;
  if (e.type == ValueType::kSet) {
    static_cast<const engine::SetValue*>(e.object)->ForEach(
        [&](std::string_view m) { out->emplace_back(m); });
    return;
  }
  if (e.type == ValueType::kZSet) {
    const auto* z = static_cast<const engine::ZSetValue*>(e.object);
    if (a.dontsort) {
      *range_only = true;
      if (end < start) return;
      const size_t n = z->size();
      const auto* node =
          z->AtRank(a.desc ? n - 1 - static_cast<size_t>(start) : static_cast<size_t>(start));
      for (int64_t i = start; i <= end && node != nullptr; ++i) {
        out->emplace_back(engine::ZSetValue::MemberOf(node));
        node = a.desc ? engine::ZSetValue::Prev(node) : engine::ZSetValue::Next(node);
      }
      return;
    }
    for (const auto* node = z->First(); node != nullptr; node = engine::ZSetValue::Next(node)) {
      out->emplace_back(engine::ZSetValue::MemberOf(node));
    }
    return;
  }
  const auto* l = static_cast<const engine::ListValue*>(e.object);
  if (a.dontsort) {
    *range_only = true;
    if (end < start) return;
    const size_t n = l->size();
    for (int64_t i = start; i <= end; ++i) {
      const size_t idx = a.desc ? n - 1 - static_cast<size_t>(i) : static_cast<size_t>(i);
      out->emplace_back(l->At(idx));
    }
    return;
  }
  l->Walk(0, true, [&](std::string_view v) {
    out->emplace_back(v);
    return true;
  });
}

int CompareBytes(std::string_view a, std::string_view b) {
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Redis compares ALPHA with strcoll() unless it STOREs: C strings, so the bytes up to the first
// NUL (in the C and C.UTF-8 locales strcoll orders bytes as strcmp does).
int CompareCStrings(std::string_view a, std::string_view b) {
  return CompareBytes(a.substr(0, a.find('\0')), b.substr(0, b.find('\0')));
}

void SortGeneric(CommandContext& ctx, bool readonly) {
  SortArgs a;
  if (!ParseSort(ctx, readonly, &a)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = db->Get(ctx.arg(1));
  const bool found = e.ok();
  if (found && e->type != ValueType::kList && e->type != ValueType::kSet &&
      e->type != ValueType::kZSet) {
    return ctx.w.Error(kWrongType);
  }
  // A set has no order of its own: stored unsorted it is sorted ALPHA, as Redis does.
  if (a.dontsort && found && e->type == ValueType::kSet && a.store_arg) {
    a.dontsort = false;
    a.alpha = true;
    a.by.reset();
  }
  const auto len = static_cast<int64_t>(found ? e->object->size() : 0);
  int64_t start = std::min(std::max<int64_t>(a.limit_start, 0), len);
  const int64_t count = std::min(std::max<int64_t>(a.limit_count, -1), len);
  int64_t end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  std::vector<SortItem> items;
  bool range_only = false;
  if (found) LoadElements(*e, a, start, end, &items, &range_only);
  if (range_only) {
    end -= start;
    start = 0;
  }
  bool conversion_error = false;
  if (!a.dontsort) {
    for (SortItem& item : items) {
      std::optional<std::string> by;
      if (a.by) {
        by = LookupByPattern(*db, *a.by, item.element);
        if (!by) continue;  // a missing weight: score 0 (or first, ALPHA)
      }
      if (a.alpha) {
        if (a.by) item.by = std::move(by);
      } else if (!SortScore(by ? *by : item.element, &item.score)) {
        conversion_error = true;
      }
    }
    const bool alpha = a.alpha, by_pattern = a.by.has_value(), desc = a.desc;
    auto alpha_cmp = a.store_arg ? CompareBytes : CompareCStrings;
    // glibc's qsort is a merge sort: equal elements keep their order, so stable_sort agrees.
    std::stable_sort(items.begin(), items.end(), [&](const SortItem& x, const SortItem& y) {
      int c = 0;
      if (!alpha) {
        c = x.score > y.score ? 1 : (x.score < y.score ? -1 : CompareBytes(x.element, y.element));
      } else if (by_pattern) {
        if (!x.by || !y.by) {
          c = x.by.has_value() == y.by.has_value() ? 0 : (!x.by ? -1 : 1);
        } else {
          c = alpha_cmp(*x.by, *y.by);
        }
      } else {
        c = alpha_cmp(x.element, y.element);
      }
      return (desc ? -c : c) < 0;
    });
  }
  if (conversion_error) return ctx.w.Error("ERR One or more scores can't be converted into double");
  const size_t selected = end >= start ? static_cast<size_t>(end - start + 1) : 0;
  const size_t per = a.gets.empty() ? 1 : a.gets.size();
  if (!a.store_arg) {
    ctx.w.ArrayHeader(selected * per);
    for (size_t i = 0; i < selected; ++i) {
      const std::string& element = items[static_cast<size_t>(start) + i].element;
      if (a.gets.empty()) ctx.w.Bulk(element);
      for (std::string_view get : a.gets) {
        std::optional<std::string> v = LookupByPattern(*db, get, element);
        if (v) {
          ctx.w.Bulk(*v);
        } else {
          ctx.w.Null();
        }
      }
    }
    return;
  }
  auto result = std::make_unique<engine::ListValue>();
  for (size_t i = 0; i < selected; ++i) {
    const std::string& element = items[static_cast<size_t>(start) + i].element;
    if (a.gets.empty()) result->PushBack(element);
    for (std::string_view get : a.gets) {
      result->PushBack(LookupByPattern(*db, get, element).value_or(std::string()));
    }
  }
  StoreCollection(ctx, *db, *a.store_arg, engine::CollectionRef(std::move(result)), kNotifyList,
                  "sortstore");
}

void SortCmd(CommandContext& ctx) {
  SortGeneric(ctx, false);
}

void SortRoCmd(CommandContext& ctx) {
  SortGeneric(ctx, true);
}

constexpr CommandSpec kCommands[] = {
    {"sort", -2, kWrite, SortCmd, 1, 1, 1},
    {"sort_ro", -2, kReadOnly, SortRoCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> SortCommands() {
  return kCommands;
}

}  // namespace kvgate::redis

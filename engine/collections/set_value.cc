// File: engine/collections/set_value.cc
// SetValue (set_value.h): Redis's integer test, the intset operations and the conversion.
#include "engine/collections/set_value.h"

#include <algorithm>
#include <charconv>

namespace kvgate::engine {

bool SetValue::ParseInteger(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return false;
  char buf[24];
  if (Format(v, buf) != s) return false;  // canonical only: no leading zeros, no "-0"
  *out = v;
  return true;
}

std::string_view SetValue::Format(int64_t v, char* buf) {
  auto [end, ec] = std::to_chars(buf, buf + 24, v);
  return {buf, static_cast<size_t>(end - buf)};
}

size_t SetValue::IntsetCap(size_t max_intset_entries) {
  return std::min<size_t>(max_intset_entries, size_t{1} << 30);
}

void SetValue::ConvertToTable() {
  char buf[24];
  for (int64_t v : ints_) table_.Insert(Format(v, buf), {});
  ints_.clear();
  ints_.shrink_to_fit();
  intset_ = false;
}

bool SetValue::Add(std::string_view member, size_t max_intset_entries) {
  if (delta() != nullptr) {
    delta::Put(delta(), delta::Op::kSetAdd, member,
               static_cast<int64_t>(std::min<size_t>(max_intset_entries, INT64_MAX)));
  }
  if (!intset_) return table_.Insert(member, {});
  int64_t v = 0;
  if (!ParseInteger(member, &v)) {
    ConvertToTable();
    return table_.Insert(member, {});
  }
  auto it = std::lower_bound(ints_.begin(), ints_.end(), v);
  if (it != ints_.end() && *it == v) return false;
  ints_.insert(it, v);
  const uint8_t need = v >= INT16_MIN && v <= INT16_MAX   ? 2
                       : v >= INT32_MIN && v <= INT32_MAX ? 4
                                                          : 8;
  if (need > width_) width_ = need;
  if (ints_.size() > IntsetCap(max_intset_entries)) ConvertToTable();
  return true;
}

bool SetValue::Remove(std::string_view member) {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kSetRemove, member);
  if (!intset_) return table_.Erase(member);
  int64_t v = 0;
  if (!ParseInteger(member, &v)) return false;
  auto it = std::lower_bound(ints_.begin(), ints_.end(), v);
  if (it == ints_.end() || *it != v) return false;
  ints_.erase(it);
  return true;
}

bool SetValue::Contains(std::string_view member) const {
  if (!intset_) return table_.Contains(member);
  int64_t v = 0;
  return ParseInteger(member, &v) && std::binary_search(ints_.begin(), ints_.end(), v);
}

std::string SetValue::Random(uint64_t random) const {
  if (!intset_) return std::string(table_.Random(random).first);
  char buf[24];
  return std::string(Format(ints_[random % ints_.size()], buf));
}

std::string SetValue::PopRandom(uint64_t random) {
  std::string m;
  if (intset_) {
    const size_t i = random % ints_.size();
    char buf[24];
    m = Format(ints_[i], buf);
    ints_.erase(ints_.begin() + static_cast<std::ptrdiff_t>(i));
  } else {
    m = table_.Random(random).first;
    table_.Erase(m);
  }
  // What the draw took, so replay needs no random numbers.
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kSetRemove, m);
  return m;
}

}  // namespace kvgate::engine

// File: engine/collections/str_table.cc
// StrTable (str_table.h): entry allocation, the open-addressing index and compaction.
#include "engine/collections/str_table.h"

#include <malloc.h>
#include <xxhash.h>

#include <bit>
#include <cstdlib>
#include <new>

namespace kvgate::engine::coll {
namespace {

uint64_t Hash(std::string_view s) {
  return XXH3_64bits(s.data(), s.size());
}

// Heap cost of an allocation (usable size plus the allocator's chunk header).
uint64_t Cost(void* p) {
  return malloc_usable_size(p) + 8;
}

uint64_t Mix(uint64_t x) {  // splitmix64 step: the next pick after a hole
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

StrTable::StrTable(const StrTable& other) {
  order_.reserve(other.live_);
  other.ForEach([&](std::string_view k, std::string_view v) { order_.push_back(NewEntry(k, v)); });
  live_ = order_.size();
  if (live_ > kLinearMax) Rebuild();
}

StrTable::~StrTable() {
  Clear();
}

void StrTable::Clear() {
  for (char* e : order_) {
    if (e != nullptr) FreeEntry(e);
  }
  order_.clear();
  order_.shrink_to_fit();
  index_.clear();
  index_.shrink_to_fit();
  live_ = 0;
  index_used_ = 0;
}

char* StrTable::NewEntry(std::string_view key, std::string_view value) {
  auto* e = static_cast<char*>(std::malloc(8 + key.size() + value.size()));
  if (e == nullptr) throw std::bad_alloc();
  auto klen = static_cast<uint32_t>(key.size());
  auto vlen = static_cast<uint32_t>(value.size());
  std::memcpy(e, &klen, 4);
  std::memcpy(e + 4, &vlen, 4);
  if (!key.empty()) std::memcpy(e + 8, key.data(), key.size());
  if (!value.empty()) std::memcpy(e + 8 + key.size(), value.data(), value.size());
  bytes_ += Cost(e);
  return e;
}

void StrTable::FreeEntry(char* e) {
  bytes_ -= Cost(e);
  std::free(e);
}

std::optional<std::string_view> StrTable::Find(std::string_view key) const {
  uint32_t pos = FindPos(key);
  if (pos == kNone) return std::nullopt;
  return ValueOf(order_[pos]);
}

uint32_t StrTable::FindPos(std::string_view key) const {
  if (index_.empty()) {
    for (size_t i = 0; i < order_.size(); ++i) {
      if (order_[i] != nullptr && KeyOf(order_[i]) == key) return static_cast<uint32_t>(i);
    }
    return kNone;
  }
  const size_t mask = index_.size() - 1;
  for (size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
    uint32_t slot = index_[i];
    if (slot == kEmpty) return kNone;
    if (slot != kDeleted && KeyOf(order_[slot - 1]) == key) return slot - 1;
  }
}

void StrTable::IndexInsert(uint64_t hash, uint32_t pos) {
  const size_t mask = index_.size() - 1;
  size_t i = hash & mask;
  while (index_[i] != kEmpty && index_[i] != kDeleted) i = (i + 1) & mask;
  if (index_[i] == kEmpty) ++index_used_;
  index_[i] = pos + 1;
}

bool StrTable::Set(std::string_view key, std::string_view value) {
  uint32_t pos = FindPos(key);
  if (pos == kNone) return Insert(key, value);
  char* old = order_[pos];
  if (ValueLen(old) == value.size()) {
    if (!value.empty()) std::memmove(old + 8 + KeyLen(old), value.data(), value.size());
    return false;
  }
  order_[pos] = NewEntry(key, value);  // `value` may point into `old`: free it after
  FreeEntry(old);
  return false;
}

bool StrTable::Insert(std::string_view key, std::string_view value) {
  if (FindPos(key) != kNone) return false;
  if (order_.size() >= kNone - 1) Compact();
  const auto pos = static_cast<uint32_t>(order_.size());
  order_.push_back(NewEntry(key, value));
  ++live_;
  if (!index_.empty()) {
    if ((index_used_ + 1) * 4 > index_.size() * 3) {
      Rebuild();
    } else {
      IndexInsert(Hash(key), pos);
    }
  } else if (live_ > kLinearMax) {
    Rebuild();
  }
  return true;
}

bool StrTable::Erase(std::string_view key) {
  uint32_t pos = FindPos(key);
  if (pos == kNone) return false;
  if (!index_.empty()) {
    const size_t mask = index_.size() - 1;
    size_t i = Hash(key) & mask;
    while (index_[i] != pos + 1) i = (i + 1) & mask;
    index_[i] = kDeleted;
  }
  FreeEntry(order_[pos]);
  order_[pos] = nullptr;
  --live_;
  // Erased entries at the end simply go; holes elsewhere wait for a compaction.
  while (!order_.empty() && order_.back() == nullptr) order_.pop_back();
  if (live_ == 0) {
    Clear();
  } else if (order_.size() > 16 && order_.size() - live_ > live_) {
    Compact();
  }
  return true;
}

void StrTable::Compact() {
  size_t out = 0;
  for (char* e : order_) {
    if (e != nullptr) order_[out++] = e;
  }
  order_.resize(out);
  order_.shrink_to_fit();
  ++epoch_;
  if (live_ > kLinearMax) {
    Rebuild();
  } else {
    index_.clear();
    index_.shrink_to_fit();
    index_used_ = 0;
  }
}

void StrTable::Rebuild() {
  if (order_.size() != live_) {
    Compact();  // rebuilds the index itself
    return;
  }
  const size_t capacity = std::bit_ceil(std::max<size_t>(16, live_ * 2));
  index_.assign(capacity, kEmpty);
  index_used_ = 0;
  for (size_t pos = 0; pos < order_.size(); ++pos) {
    IndexInsert(Hash(KeyOf(order_[pos])), static_cast<uint32_t>(pos));
  }
}

std::pair<std::string_view, std::string_view> StrTable::Random(uint64_t random) const {
  // Holes are at most about half the order (Erase compacts beyond that): a few tries at most.
  for (;;) {
    const char* e = order_[random % order_.size()];
    if (e != nullptr) return {KeyOf(e), ValueOf(e)};
    random = Mix(random);
  }
}

}  // namespace kvgate::engine::coll

// File: engine/collections/zset_value.cc
// ZSetValue (zset_value.h): the span-counted skiplist and the member index.
#include "engine/collections/zset_value.h"

#include "engine/collection_delta.h"

#include <malloc.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

namespace kvgate::engine {

struct ZSetValue::Node {
  double score;
  Node* back;
  uint32_t len;
  uint8_t height;
};

namespace {

using Node = ZSetValue::Node;

struct Level {
  Node* next;
  size_t span;
};

Level* Levels(Node* n) {
  return reinterpret_cast<Level*>(reinterpret_cast<char*>(n) + sizeof(Node));
}
const Level* Levels(const Node* n) {
  return reinterpret_cast<const Level*>(reinterpret_cast<const char*>(n) + sizeof(Node));
}
std::string_view Member(const Node* n) {
  return {reinterpret_cast<const char*>(n) + sizeof(Node) + n->height * sizeof(Level), n->len};
}

uint64_t Hash(std::string_view s) {
  return XXH3_64bits(s.data(), s.size());
}

// (score, member) order: true if n sorts before (score, member).
bool Less(const Node* n, double score, std::string_view member) {
  return n->score < score || (n->score == score && Member(n) < member);
}

int RandomLevel() {
  thread_local uint64_t state = 0x2545F4914F6CDD1Dull ^ reinterpret_cast<uintptr_t>(&state);
  int level = 1;
  for (;;) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    const uint64_t r = state * 0x2545F4914F6CDD1Dull;
    // Up to 32 coin pairs per draw: each level with probability 1/4 (Redis's ZSKIPLIST_P).
    for (int i = 0; i < 32; ++i) {
      if (((r >> (2 * i)) & 3) != 0) return level;
      if (++level >= 32) return 32;
    }
  }
}

// Lex bounds on one line: -1 below, 0 equal, 1 above (kNegInf < every string < kPosInf).
int CompareBounds(const LexBound& a, const LexBound& b) {
  auto rank = [](const LexBound& x) {
    return x.kind == LexBound::kNegInf ? 0 : x.kind == LexBound::kPosInf ? 2 : 1;
  };
  if (rank(a) != rank(b)) return rank(a) < rank(b) ? -1 : 1;
  if (rank(a) != 1) return 0;
  const int c = a.value.compare(b.value);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool EmptyRange(const LexRange& r) {
  const int c = CompareBounds(r.min, r.max);
  return c > 0 ||
         (c == 0 && (r.min.kind != LexBound::kInclusive || r.max.kind != LexBound::kInclusive));
}

bool EmptyRange(const ScoreRange& r) {
  return r.min > r.max || (r.min == r.max && (r.minex || r.maxex));
}

}  // namespace

bool ZSetValue::GteMin(const LexRange& r, std::string_view v) {
  switch (r.min.kind) {
    case LexBound::kNegInf:
      return true;
    case LexBound::kPosInf:
      return false;
    case LexBound::kInclusive:
      return v >= r.min.value;
    case LexBound::kExclusive:
      return v > r.min.value;
  }
  return false;
}

bool ZSetValue::LteMax(const LexRange& r, std::string_view v) {
  switch (r.max.kind) {
    case LexBound::kNegInf:
      return false;
    case LexBound::kPosInf:
      return true;
    case LexBound::kInclusive:
      return v <= r.max.value;
    case LexBound::kExclusive:
      return v < r.max.value;
  }
  return false;
}

ZSetValue::ZSetValue() : Collection(ValueType::kZSet), head_(NewNode(kMaxLevel, {}, 0)) {
}

ZSetValue::ZSetValue(const ZSetValue& other)
    : Collection(other), head_(NewNode(kMaxLevel, {}, 0)), listpack_(other.listpack_) {
  for (const Node* n = other.First(); n != nullptr; n = Next(n)) Set(Member(n), n->score);
}

ZSetValue::~ZSetValue() {
  Node* n = Levels(head_)[0].next;
  while (n != nullptr) {
    Node* next = Levels(n)[0].next;
    FreeNode(n);
    n = next;
  }
  FreeNode(head_);
}

Node* ZSetValue::NewNode(int height, std::string_view member, double score) {
  const size_t bytes = sizeof(Node) + height * sizeof(Level) + member.size();
  auto* n = static_cast<Node*>(std::malloc(bytes));
  if (n == nullptr) throw std::bad_alloc();
  n->score = score;
  n->back = nullptr;
  n->len = static_cast<uint32_t>(member.size());
  n->height = static_cast<uint8_t>(height);
  Level* lv = Levels(n);
  for (int i = 0; i < height; ++i) lv[i] = {nullptr, 0};
  if (!member.empty()) std::memcpy(lv + height, member.data(), member.size());
  node_bytes_ += malloc_usable_size(n) + 8;
  return n;
}

void ZSetValue::FreeNode(Node* n) {
  node_bytes_ -= malloc_usable_size(n) + 8;
  std::free(n);
}

uint64_t ZSetValue::MemoryBytes() const {
  return sizeof(*this) + node_bytes_ + index_.capacity() * sizeof(Node*);
}

std::string_view ZSetValue::MemberOf(const Node* n) {
  return Member(n);
}

double ZSetValue::ScoreOf(const Node* n) {
  return n->score;
}

const Node* ZSetValue::First() const {
  return Levels(head_)[0].next;
}

const Node* ZSetValue::Last() const {
  return tail_;
}

const Node* ZSetValue::Next(const Node* n) {
  return Levels(n)[0].next;
}

const Node* ZSetValue::Prev(const Node* n) {
  return n->back;
}

// ---- member index ----

Node* ZSetValue::Find(std::string_view member) const {
  if (index_.empty()) return nullptr;
  const size_t mask = index_.size() - 1;
  for (size_t i = Hash(member) & mask;; i = (i + 1) & mask) {
    Node* n = index_[i];
    if (n == nullptr) return nullptr;
    if (Member(n) == member) return n;
  }
}

void ZSetValue::IndexInsert(Node* n) {
  if ((size_ + 1) * 4 > index_.size() * 3) IndexGrow();
  const size_t mask = index_.size() - 1;
  size_t i = Hash(Member(n)) & mask;
  while (index_[i] != nullptr) i = (i + 1) & mask;
  index_[i] = n;
}

void ZSetValue::IndexGrow() {
  std::vector<Node*> old;
  old.swap(index_);
  index_.assign(std::max<size_t>(8, old.size() * 2), nullptr);
  const size_t mask = index_.size() - 1;
  for (Node* n : old) {
    if (n == nullptr) continue;
    size_t i = Hash(Member(n)) & mask;
    while (index_[i] != nullptr) i = (i + 1) & mask;
    index_[i] = n;
  }
}

void ZSetValue::IndexErase(Node* n) {
  const size_t mask = index_.size() - 1;
  size_t i = Hash(Member(n)) & mask;
  while (index_[i] != n) i = (i + 1) & mask;
  index_[i] = nullptr;
  // Backward shift: later entries of the probe run move into the hole when their home allows.
  for (size_t j = (i + 1) & mask; index_[j] != nullptr; j = (j + 1) & mask) {
    const size_t home = Hash(Member(index_[j])) & mask;
    const bool movable = (i <= j) ? (home <= i || home > j) : (home <= i && home > j);
    if (movable) {
      index_[i] = index_[j];
      index_[j] = nullptr;
      i = j;
    }
  }
}

// ---- skiplist ----

void ZSetValue::Insert(std::string_view member, double score) {
  Node* update[kMaxLevel];
  size_t rank[kMaxLevel];
  Node* x = head_;
  for (int i = level_ - 1; i >= 0; --i) {
    rank[i] = i == level_ - 1 ? 0 : rank[i + 1];
    while (Levels(x)[i].next != nullptr && Less(Levels(x)[i].next, score, member)) {
      rank[i] += Levels(x)[i].span;
      x = Levels(x)[i].next;
    }
    update[i] = x;
  }
  const int h = RandomLevel();
  if (h > level_) {
    for (int i = level_; i < h; ++i) {
      rank[i] = 0;
      update[i] = head_;
      Levels(head_)[i].span = size_;
    }
    level_ = h;
  }
  x = NewNode(h, member, score);
  for (int i = 0; i < h; ++i) {
    Level& up = Levels(update[i])[i];
    Levels(x)[i].next = up.next;
    up.next = x;
    Levels(x)[i].span = up.span - (rank[0] - rank[i]);
    up.span = (rank[0] - rank[i]) + 1;
  }
  for (int i = h; i < level_; ++i) ++Levels(update[i])[i].span;
  x->back = update[0] == head_ ? nullptr : update[0];
  if (Node* next = Levels(x)[0].next; next != nullptr) {
    next->back = x;
  } else {
    tail_ = x;
  }
  ++size_;
  IndexInsert(x);
}

void ZSetValue::Unlink(Node* n) {
  Node* update[kMaxLevel];
  Node* x = head_;
  const std::string_view member = Member(n);
  for (int i = level_ - 1; i >= 0; --i) {
    while (Levels(x)[i].next != nullptr && Less(Levels(x)[i].next, n->score, member)) {
      x = Levels(x)[i].next;
    }
    update[i] = x;
  }
  for (int i = 0; i < level_; ++i) {
    Level& up = Levels(update[i])[i];
    if (up.next == n) {
      up.span += Levels(n)[i].span - 1;
      up.next = Levels(n)[i].next;
    } else {
      up.span -= 1;
    }
  }
  if (Node* next = Levels(n)[0].next; next != nullptr) {
    next->back = n->back;
  } else {
    tail_ = n->back;
  }
  while (level_ > 1 && Levels(head_)[level_ - 1].next == nullptr) --level_;
  --size_;
  ++unlinks_;
  FreeNode(n);
}

bool ZSetValue::Set(std::string_view member, double score) {
  if (delta() != nullptr) delta::PutScore(delta(), member, score);
  Node* n = Find(member);
  if (n == nullptr) {
    Insert(member, score);
    return true;
  }
  if (n->score == score) return false;
  const Node* next = Levels(n)[0].next;
  if ((n->back == nullptr || n->back->score < score) && (next == nullptr || next->score > score)) {
    n->score = score;  // the order is unchanged
    return false;
  }
  IndexErase(n);
  std::string copy(member);
  Unlink(n);
  Insert(copy, score);
  return false;
}

void ZSetValue::ClearNegativeZeros() {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kZClearNegZeros);
  for (Node* n = Levels(head_)[0].next; n != nullptr; n = Levels(n)[0].next) {
    if (n->score == 0) n->score = 0;
  }
}

bool ZSetValue::Erase(std::string_view member) {
  if (delta() != nullptr) delta::Put(delta(), delta::Op::kZErase, member);
  Node* n = Find(member);
  if (n == nullptr) return false;
  IndexErase(n);
  Unlink(n);
  return true;
}

std::optional<double> ZSetValue::Score(std::string_view member) const {
  const Node* n = Find(member);
  if (n == nullptr) return std::nullopt;
  return n->score;
}

std::optional<size_t> ZSetValue::Rank(std::string_view member) const {
  const Node* n = Find(member);
  if (n == nullptr) return std::nullopt;
  const Node* x = head_;
  size_t rank = 0;
  for (int i = level_ - 1; i >= 0; --i) {
    for (const Node* next = Levels(x)[i].next;
         next != nullptr && (next == n || Less(next, n->score, member)); next = Levels(x)[i].next) {
      rank += Levels(x)[i].span;
      x = next;
    }
    if (x == n) return rank - 1;
  }
  return std::nullopt;
}

const Node* ZSetValue::AtRank(size_t rank0) const {
  const size_t rank = rank0 + 1;
  const Node* x = head_;
  size_t traversed = 0;
  for (int i = level_ - 1; i >= 0; --i) {
    while (Levels(x)[i].next != nullptr && traversed + Levels(x)[i].span <= rank) {
      traversed += Levels(x)[i].span;
      x = Levels(x)[i].next;
    }
    if (traversed == rank) return x;
  }
  return nullptr;
}

const Node* ZSetValue::FirstInRange(const ScoreRange& r) const {
  if (EmptyRange(r) || tail_ == nullptr || !GteMin(r, tail_->score) || !LteMax(r, First()->score)) {
    return nullptr;
  }
  const Node* x = head_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (Levels(x)[i].next != nullptr && !GteMin(r, Levels(x)[i].next->score)) {
      x = Levels(x)[i].next;
    }
  }
  x = Levels(x)[0].next;
  return x != nullptr && LteMax(r, x->score) ? x : nullptr;
}

const Node* ZSetValue::LastInRange(const ScoreRange& r) const {
  if (EmptyRange(r) || tail_ == nullptr || !GteMin(r, tail_->score) || !LteMax(r, First()->score)) {
    return nullptr;
  }
  const Node* x = head_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (Levels(x)[i].next != nullptr && LteMax(r, Levels(x)[i].next->score)) {
      x = Levels(x)[i].next;
    }
  }
  return x != head_ && GteMin(r, x->score) ? x : nullptr;
}

const Node* ZSetValue::FirstInRange(const LexRange& r) const {
  if (EmptyRange(r) || tail_ == nullptr || !GteMin(r, Member(tail_)) ||
      !LteMax(r, Member(First()))) {
    return nullptr;
  }
  if (listpack_) {
    for (const Node* n = First(); n != nullptr; n = Next(n)) {
      if (GteMin(r, Member(n))) return LteMax(r, Member(n)) ? n : nullptr;
    }
    return nullptr;
  }
  const Node* x = head_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (Levels(x)[i].next != nullptr && !GteMin(r, Member(Levels(x)[i].next))) {
      x = Levels(x)[i].next;
    }
  }
  x = Levels(x)[0].next;
  return x != nullptr && LteMax(r, Member(x)) ? x : nullptr;
}

const Node* ZSetValue::LastInRange(const LexRange& r) const {
  if (EmptyRange(r) || tail_ == nullptr || !GteMin(r, Member(tail_)) ||
      !LteMax(r, Member(First()))) {
    return nullptr;
  }
  if (listpack_) {
    for (const Node* n = tail_; n != nullptr; n = n->back) {
      if (LteMax(r, Member(n))) return GteMin(r, Member(n)) ? n : nullptr;
    }
    return nullptr;
  }
  const Node* x = head_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (Levels(x)[i].next != nullptr && LteMax(r, Member(Levels(x)[i].next))) {
      x = Levels(x)[i].next;
    }
  }
  return x != head_ && GteMin(r, Member(x)) ? x : nullptr;
}

}  // namespace kvgate::engine

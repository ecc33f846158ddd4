// File: engine/collections/zset_value.h
// A Redis sorted set: members with double scores ordered by (score, member bytes). The order is
// a skiplist with span counts (O(log n) insert, delete, rank, element at rank, first/last in a
// score or lex range); each node is one allocation [header][levels][member bytes]. A member
// index (open addressing over node pointers) answers member -> score in O(1). Labelled with the
// encoding redis-server 7.0 would use: "listpack" up to zset-max-listpack-entries members each
// at most zset-max-listpack-value bytes, then "skiplist" for good. Lex ranges on a listpack
// label are searched linearly, as Redis's listpack does (the answers differ from a skiplist
// search only when scores differ, where Redis's own answer depends on its encoding too).
//
//   ZSetValue z;
//   z.Set("a", 1.5);                      // true: new
//   z.Score("a");                         // 1.5
//   z.Rank("a");                          // 0
//   for (auto* n = z.First(); n; n = ZSetValue::Next(n)) ZSetValue::MemberOf(n);
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/collection.h"
#include "engine/collection_delta.h"

namespace kvgate::engine {

// A score interval: min..max, each end inclusive unless its `ex` flag is set.
struct ScoreRange {
  double min = 0;
  double max = 0;
  bool minex = false;
  bool maxex = false;
};

// A lex interval bound: "-" (below everything), "+" (above everything), or [value / (value.
struct LexBound {
  enum Kind : uint8_t { kNegInf, kPosInf, kInclusive, kExclusive };
  Kind kind = kNegInf;
  std::string_view value;
};
struct LexRange {
  LexBound min;
  LexBound max;
};

class ZSetValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kZSet;
  struct Node;

  ZSetValue();
  ZSetValue(const ZSetValue& other);
  ~ZSetValue() override;

  // Adds member or changes its score; true if the member is new.
  bool Set(std::string_view member, double score);
  bool Erase(std::string_view member);
  std::optional<double> Score(std::string_view member) const;
  // 0-based ascending rank, or nullopt.
  std::optional<size_t> Rank(std::string_view member) const;

  const Node* First() const;
  const Node* Last() const;
  static const Node* Next(const Node* n);
  static const Node* Prev(const Node* n);
  // The node at 0-based ascending rank (rank < size()).
  const Node* AtRank(size_t rank) const;
  static std::string_view MemberOf(const Node* n);
  static double ScoreOf(const Node* n);

  // First / last node within the range, or nullptr.
  const Node* FirstInRange(const ScoreRange& r) const;
  const Node* LastInRange(const ScoreRange& r) const;
  const Node* FirstInRange(const LexRange& r) const;
  const Node* LastInRange(const LexRange& r) const;
  static bool InRange(const ScoreRange& r, double score) {
    return GteMin(r, score) && LteMax(r, score);
  }
  static bool GteMin(const ScoreRange& r, double s) {
    return r.minex ? s > r.min : s >= r.min;
  }
  static bool LteMax(const ScoreRange& r, double s) {
    return r.maxex ? s < r.max : s <= r.max;
  }
  static bool GteMin(const LexRange& r, std::string_view v);
  static bool LteMax(const LexRange& r, std::string_view v);

  // Redis's listpack -> skiplist conversion after writing `member`.
  void NoteWrite(std::string_view member, size_t max_entries, size_t max_value) {
    if (listpack_ && (size_ > max_entries || member.size() > max_value)) set_listpack(false);
  }
  // Redis converts a new zset straight to a skiplist when it is created for more members
  // than the threshold (ZADD of many, STORE forms).
  void set_listpack(bool on) {
    if (delta() != nullptr && on != listpack_) {
      delta::Put(delta(), delta::Op::kZListpack, uint64_t{on ? 1u : 0u}, uint64_t{0});
    }
    listpack_ = on;
  }
  // Scores of -0 become 0 (what a listpack stores; the order is unchanged).
  void ClearNegativeZeros();
  // Members unlinked so far (erases and moving score updates): a scan by rank restarts when
  // this changed, so no member present throughout is missed.
  uint64_t unlinks() const {
    return unlinks_;
  }
  bool listpack() const {
    return listpack_;
  }

  size_t size() const override {
    return size_;
  }
  uint64_t MemoryBytes() const override;
  std::string_view EncodingName() const override {
    return listpack_ ? "listpack" : "skiplist";
  }
  std::unique_ptr<Collection> Clone() const override {
    return std::make_unique<ZSetValue>(*this);
  }

 private:
  static constexpr int kMaxLevel = 32;

  Node* Find(std::string_view member) const;
  void Insert(std::string_view member, double score);  // member absent
  void Unlink(Node* n);                                // unlinks and frees; keeps the index
  void IndexInsert(Node* n);
  void IndexErase(Node* n);
  void IndexGrow();
  Node* NewNode(int height, std::string_view member, double score);
  void FreeNode(Node* n);

  uint64_t node_bytes_ = 0;  // declared before head_: NewNode counts the head's bytes here
  uint64_t unlinks_ = 0;
  Node* head_;  // kMaxLevel levels, no member
  Node* tail_ = nullptr;
  size_t size_ = 0;
  int level_ = 1;
  std::vector<Node*> index_;  // open addressing, linear probing; nullptr: free
  bool listpack_ = true;
};

}  // namespace kvgate::engine

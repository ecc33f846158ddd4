// File: engine/collections/sorted_chunks.h
// An ordered container of unique keys kept in chunks of up to 64 sorted elements, with the
// chunks' first keys in one array: a lookup is a binary search over that array (a few cache
// lines) and one within a chunk, where a node-based tree walks ~log2(n) scattered nodes. A
// stream's pending entries list is the user: XACK of a random ID among millions pending was
// two such walks (the group's PEL and the consumer's) of cache misses. Appending in key order
// (deliveries) fills chunks completely; a chunk splits when an insert lands in a full one, and
// goes when its last element does.
//
// A subset of std::map / std::set's interface, with one difference: an insert or an erase
// invalidates iterators and element pointers into the chunk it touched and those after it (a
// split moves elements), so a loop that erases while iterating continues from a key
// (lower_bound), not from an iterator.
//
//   SortedChunkMap<StreamId, StreamNack> pel;
//   pel.try_emplace({1, 0}).first->second.delivery_count = 1;
//   for (auto it = pel.lower_bound({1, 0}); it != pel.end(); ++it) use(it->first, it->second);
//   SortedChunkSet<StreamId> ids;  ids.insert({1, 0});  ids.count({1, 0}) == 1
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace kvgate::engine {

namespace detail {

// Elements are `Elem`; KeyOf::Get(elem) gives the key.
template <typename Key, typename Elem, typename KeyOf>
class SortedChunks {
  using Chunk = std::vector<Elem>;

 public:
  static constexpr size_t kChunk = 64;

  template <bool kConst>
  class Iter {
    using Owner = std::conditional_t<kConst, const SortedChunks, SortedChunks>;

   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Elem;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<kConst, const Elem&, Elem&>;
    using pointer = std::conditional_t<kConst, const Elem*, Elem*>;

    Iter() = default;
    Iter(Owner* owner, size_t chunk, size_t pos) : owner_(owner), chunk_(chunk), pos_(pos) {
    }
    operator Iter<true>() const {  // NOLINT(google-explicit-constructor): as std::map's
      return Iter<true>(owner_, chunk_, pos_);
    }
    reference operator*() const {
      return (*owner_->chunks_[chunk_])[pos_];
    }
    pointer operator->() const {
      return &**this;
    }
    Iter& operator++() {
      if (++pos_ == owner_->chunks_[chunk_]->size()) {
        ++chunk_;
        pos_ = 0;
      }
      return *this;
    }
    Iter operator++(int) {
      Iter old = *this;
      ++*this;
      return old;
    }
    bool operator==(const Iter& o) const {
      return chunk_ == o.chunk_ && pos_ == o.pos_;
    }

   private:
    friend class SortedChunks;
    Owner* owner_ = nullptr;
    size_t chunk_ = 0;
    size_t pos_ = 0;
  };
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  SortedChunks() = default;
  SortedChunks(const SortedChunks& other) : firsts_(other.firsts_), size_(other.size_) {
    chunks_.reserve(other.chunks_.size());
    for (const auto& c : other.chunks_) chunks_.push_back(std::make_unique<Chunk>(*c));
  }
  SortedChunks& operator=(const SortedChunks& other) {
    if (this != &other) *this = SortedChunks(other);
    return *this;
  }
  SortedChunks(SortedChunks&&) noexcept = default;
  SortedChunks& operator=(SortedChunks&&) noexcept = default;

  size_t size() const {
    return size_;
  }
  bool empty() const {
    return size_ == 0;
  }
  iterator begin() {
    return {this, 0, 0};
  }
  iterator end() {
    return {this, chunks_.size(), 0};
  }
  const_iterator begin() const {
    return {this, 0, 0};
  }
  const_iterator end() const {
    return {this, chunks_.size(), 0};
  }
  // The largest element (the container must not be empty).
  const Elem& back() const {
    return chunks_.back()->back();
  }

  iterator lower_bound(const Key& k) {
    auto [c, p] = Locate(k);
    return {this, c, p};
  }
  const_iterator lower_bound(const Key& k) const {
    auto [c, p] = Locate(k);
    return {this, c, p};
  }
  iterator find(const Key& k) {
    iterator it = lower_bound(k);
    return it != end() && KeyOf::Get(*it) == k ? it : end();
  }
  const_iterator find(const Key& k) const {
    const_iterator it = lower_bound(k);
    return it != end() && KeyOf::Get(*it) == k ? it : end();
  }
  size_t count(const Key& k) const {
    return find(k) != end() ? 1 : 0;
  }

  // Inserts `e` unless its key is present; the iterator names the element with that key.
  std::pair<iterator, bool> Insert(Elem e) {
    const Key k = KeyOf::Get(e);
    if (chunks_.empty()) {
      chunks_.push_back(std::make_unique<Chunk>());
      chunks_.back()->reserve(kChunk);
      chunks_.back()->push_back(std::move(e));
      firsts_.push_back(k);
      size_ = 1;
      return {begin(), true};
    }
    size_t c = ChunkFor(k);
    Chunk* ch = chunks_[c].get();
    size_t p = PosIn(*ch, k);
    if (p < ch->size() && KeyOf::Get((*ch)[p]) == k) return {{this, c, p}, false};
    if (ch->size() >= kChunk) {
      if (c + 1 == chunks_.size() && p == ch->size()) {
        // Appending past the largest key: a new chunk keeps this one full.
        chunks_.push_back(std::make_unique<Chunk>());
        chunks_.back()->reserve(kChunk);
        chunks_.back()->push_back(std::move(e));
        firsts_.push_back(k);
        ++size_;
        return {{this, c + 1, 0}, true};
      }
      Split(c);
      if (p > kChunk / 2) {
        ++c;
        p -= kChunk / 2;
      }
      ch = chunks_[c].get();
    }
    ch->insert(ch->begin() + static_cast<std::ptrdiff_t>(p), std::move(e));
    if (p == 0) firsts_[c] = k;
    ++size_;
    return {{this, c, p}, true};
  }

  void erase(iterator it) {
    Chunk& ch = *chunks_[it.chunk_];
    ch.erase(ch.begin() + static_cast<std::ptrdiff_t>(it.pos_));
    --size_;
    if (ch.empty()) {
      chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(it.chunk_));
      firsts_.erase(firsts_.begin() + static_cast<std::ptrdiff_t>(it.chunk_));
    } else if (it.pos_ == 0) {
      firsts_[it.chunk_] = KeyOf::Get(ch.front());
    }
  }
  size_t erase(const Key& k) {
    iterator it = find(k);
    if (it == end()) return 0;
    erase(it);
    return 1;
  }
  void clear() {
    chunks_.clear();
    firsts_.clear();
    size_ = 0;
  }

  // Heap bytes, roughly, in O(1): the engine asks around every change of a stream.
  uint64_t MemoryBytes() const {
    return size_ * sizeof(Elem) +
           chunks_.size() * (sizeof(Chunk) + sizeof(void*) + sizeof(Key) + 2 * sizeof(void*));
  }

 private:
  // The chunk that holds or would hold `k`: the last whose first key is <= k (else the first).
  size_t ChunkFor(const Key& k) const {
    auto it = std::upper_bound(firsts_.begin(), firsts_.end(), k);
    return it == firsts_.begin() ? 0 : static_cast<size_t>(it - firsts_.begin()) - 1;
  }
  static size_t PosIn(const Chunk& ch, const Key& k) {
    auto it = std::lower_bound(ch.begin(), ch.end(), k,
                               [](const Elem& e, const Key& key) { return KeyOf::Get(e) < key; });
    return static_cast<size_t>(it - ch.begin());
  }
  // lower_bound as (chunk, position); (chunks, 0) is end().
  std::pair<size_t, size_t> Locate(const Key& k) const {
    if (chunks_.empty()) return {0, 0};
    const size_t c = ChunkFor(k);
    const size_t p = PosIn(*chunks_[c], k);
    if (p < chunks_[c]->size()) return {c, p};
    return {c + 1, 0};
  }
  // Moves the upper half of full chunk c into a new chunk after it.
  void Split(size_t c) {
    Chunk& ch = *chunks_[c];
    auto upper = std::make_unique<Chunk>();
    upper->reserve(kChunk);
    const auto mid = ch.begin() + static_cast<std::ptrdiff_t>(kChunk / 2);
    upper->assign(std::make_move_iterator(mid), std::make_move_iterator(ch.end()));
    ch.erase(mid, ch.end());
    firsts_.insert(firsts_.begin() + static_cast<std::ptrdiff_t>(c) + 1,
                   KeyOf::Get(upper->front()));
    chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c) + 1, std::move(upper));
  }

  std::vector<std::unique_ptr<Chunk>> chunks_;
  std::vector<Key> firsts_;
  size_t size_ = 0;
};

template <typename K, typename V>
struct PairKey {
  static const K& Get(const std::pair<K, V>& e) {
    return e.first;
  }
};
template <typename K>
struct SelfKey {
  static const K& Get(const K& e) {
    return e;
  }
};

}  // namespace detail

// Ordered map: iteration yields std::pair<K, V>& (structured bindings work).
template <typename K, typename V>
class SortedChunkMap : public detail::SortedChunks<K, std::pair<K, V>, detail::PairKey<K, V>> {
  using Base = detail::SortedChunks<K, std::pair<K, V>, detail::PairKey<K, V>>;

 public:
  std::pair<typename Base::iterator, bool> try_emplace(const K& k) {
    return this->Insert(std::pair<K, V>(k, V{}));
  }
  std::pair<typename Base::iterator, bool> emplace(const K& k, V v) {
    return this->Insert(std::pair<K, V>(k, std::move(v)));
  }
};

// Ordered set: iteration yields the keys.
template <typename K>
class SortedChunkSet : public detail::SortedChunks<K, K, detail::SelfKey<K>> {
 public:
  bool insert(const K& k) {
    return this->Insert(k).second;
  }
};

}  // namespace kvgate::engine

// File: engine/detail/watch_index.h
// Indexes a bucket's watches by filter so a write costs O(matching watches), not O(all watches):
// exact keys in a hash map keyed by the key's XXH3 hash (already computed for the keyspace),
// NATS token patterns in the shared token trie (engine/token_trie.h), byte
// prefixes in a (rarely used) list, and unfiltered watches in a list. A watch with several
// filters may be reported several times for one key: callers dedupe (WatchImpl::stamp_).
//
//   WatchIndex idx;
//   idx.Add(w, w->Options().filters);
//   idx.ForEachMatching(key, Keyspace::Hash(key), [](WatchImpl* w) { ... });
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/filter.h"
#include "engine/token_trie.h"

namespace kvgate::engine {
class WatchImpl;
}

namespace kvgate::engine::detail {

class WatchIndex {
 public:
  WatchIndex();
  ~WatchIndex();
  WatchIndex(const WatchIndex&) = delete;
  WatchIndex& operator=(const WatchIndex&) = delete;

  // `filters` must stay alive and unchanged while registered (the watch's own options).
  // An empty vector means every key.
  void Add(WatchImpl* w, const std::vector<KeyFilter>& filters);
  void Remove(WatchImpl* w, const std::vector<KeyFilter>& filters);

  // Calls fn for every watch whose filters match the key. Exact-key watches are looked up only
  // when `maybe_exact` (the key node's kFlagWatched hint). Returns false when the hint was set
  // but no exact-key watch names the key (the caller clears the hint).
  template <typename Fn>
  bool ForEachMatching(std::string_view key, uint64_t hash, bool maybe_exact, Fn&& fn) const {
    for (WatchImpl* w : all_) fn(w);
    bool exact_found = !maybe_exact;
    if (maybe_exact && !exact_.empty()) {
      auto it = exact_.find(hash);
      if (it != exact_.end()) {
        for (const auto& [w, text] : it->second) {
          if (*text == key) {
            exact_found = true;
            fn(w);
          }
        }
      }
    }
    for (const auto& [w, text] : prefix_) {
      if (key.substr(0, text->size()) == *text) fn(w);
    }
    if (trie_count_ != 0) {
      trie_.Match(key, [&fn](const std::vector<WatchImpl*>& ws) {
        for (WatchImpl* w : ws) fn(w);
      });
    }
    return exact_found;
  }
  // True if an exact-key watch may name the key (bitmap prefilter: ~3% false positives). Asked
  // when a key node is created, to set its kFlagWatched hint.
  bool MayWatchExact(uint64_t hash) const {
    return !exact_.empty() && MaybeExact(hash);
  }
  // Every registered watch exactly once.
  const std::vector<WatchImpl*>& watches() const {
    return watches_;
  }

 private:
  using Reg = std::pair<WatchImpl*, const std::string*>;

  // Bitmap prefilter in front of exact_ for new keys: a key created while nobody watches it
  // costs one bit test (the map lookup is a division and a pointer chase). Writes to existing
  // keys test the node's kFlagWatched hint instead, which costs no extra cache miss.
  bool MaybeExact(uint64_t hash) const {
    uint64_t bit = hash >> bits_shift_;
    return (exact_bits_[bit >> 6] >> (bit & 63)) & 1;
  }
  void SetExactBit(uint64_t hash) {
    uint64_t bit = hash >> bits_shift_;
    exact_bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
  // Re-sizes and re-fills the bitmap (after growth, or when removals left many stale bits).
  void RebuildExactBits();

  std::vector<WatchImpl*> all_;
  std::unordered_map<uint64_t, std::vector<Reg>> exact_;
  std::vector<uint64_t> exact_bits_ = std::vector<uint64_t>(64);  // 4096 bits to start
  unsigned bits_shift_ = 64 - 12;
  size_t stale_bits_ = 0;  // hashes removed from exact_ whose bits are still set
  std::vector<Reg> prefix_;
  // kLiteralFirst (the default): watches become ready in the order they always did.
  TokenTrie<std::vector<WatchImpl*>> trie_;
  size_t trie_count_ = 0;
  std::vector<WatchImpl*> watches_;
};

}  // namespace kvgate::engine::detail

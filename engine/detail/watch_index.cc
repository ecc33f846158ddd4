// File: engine/detail/watch_index.cc
// Registration side of the watcher index (matching is inline in watch_index.h).
//
//   idx.Add(w, filters);      // once per watch, after its snapshot was taken
//   idx.Remove(w, filters);   // from the watch's destructor
//   idx.watches().size();     // registered watches
#include "engine/detail/watch_index.h"

#include <algorithm>

#include "engine/detail/keyspace.h"

namespace kvgate::engine::detail {
namespace {

template <typename T>
void EraseOne(std::vector<T>* v, const T& x) {
  auto it = std::find(v->begin(), v->end(), x);
  if (it != v->end()) v->erase(it);
}

}  // namespace

WatchIndex::WatchIndex() = default;
WatchIndex::~WatchIndex() = default;

void WatchIndex::Add(WatchImpl* w, const std::vector<KeyFilter>& filters) {
  watches_.push_back(w);
  if (filters.empty()) {
    all_.push_back(w);
    return;
  }
  for (const KeyFilter& f : filters) {
    switch (f.kind()) {
      case KeyFilter::Kind::kAll:
        all_.push_back(w);
        break;
      case KeyFilter::Kind::kExact: {
        uint64_t h = Keyspace::Hash(f.text());
        exact_[h].emplace_back(w, &f.text());
        if (exact_.size() * 32 > exact_bits_.size() * 64) {
          RebuildExactBits();  // keep >= 32 bits per watched key: ~3% false positives
        } else {
          SetExactBit(h);
        }
        break;
      }
      case KeyFilter::Kind::kPrefix:
        prefix_.emplace_back(w, &f.text());
        break;
      case KeyFilter::Kind::kTokens: {
        trie_.Insert(f.text()).push_back(w);
        ++trie_count_;
        break;
      }
    }
  }
}

void WatchIndex::RebuildExactBits() {
  size_t bits = 4096;
  unsigned shift = 64 - 12;
  while (bits < exact_.size() * 32) {
    bits *= 2;
    --shift;
  }
  exact_bits_.assign(bits / 64, 0);
  bits_shift_ = shift;
  for (const auto& [h, regs] : exact_) SetExactBit(h);
  stale_bits_ = 0;
}

void WatchIndex::Remove(WatchImpl* w, const std::vector<KeyFilter>& filters) {
  EraseOne(&watches_, w);
  if (filters.empty()) {
    EraseOne(&all_, w);
    return;
  }
  for (const KeyFilter& f : filters) {
    switch (f.kind()) {
      case KeyFilter::Kind::kAll:
        EraseOne(&all_, w);
        break;
      case KeyFilter::Kind::kExact: {
        auto it = exact_.find(Keyspace::Hash(f.text()));
        if (it != exact_.end()) {
          EraseOne(&it->second, Reg(w, &f.text()));
          if (it->second.empty()) {
            exact_.erase(it);
            if (++stale_bits_ > exact_.size() + 64) RebuildExactBits();
          }
        }
        break;
      }
      case KeyFilter::Kind::kPrefix:
        EraseOne(&prefix_, Reg(w, &f.text()));
        break;
      case KeyFilter::Kind::kTokens:
        trie_.Remove(f.text(), [w](std::vector<WatchImpl*>& ws) {
          EraseOne(&ws, w);
          return true;
        });
        --trie_count_;
        break;
    }
  }
}

}  // namespace kvgate::engine::detail

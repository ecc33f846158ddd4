// File: engine/detail/entry.h
// Memory layout of stored entries. A key costs ONE allocation (KeyNode) holding the key bytes and
// its newest entry inline; older retained entries (history > 1) are HistEntry allocations chained
// newest -> oldest from the KeyNode. Both start with EntryBase so the revision log can point at
// either. Variable part after the fixed header: [int64 expires_at_ms if kFlagExpiry][key bytes
// (KeyNode only)][value][meta].
//
//   KeyNode* n = NewKeyNode("k", "v", "", /*expires_at_ms=*/0, &mem);
//   n->value() == "v";  n->key() == "k";
//   FreeEntry(n, &mem);
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "engine/collection.h"
#include "engine/types.h"

namespace kvgate::engine::detail {

// Approximate heap bytes, per bucket with an engine-wide parent.
struct MemoryCounter {
  uint64_t bytes = 0;
  MemoryCounter* parent = nullptr;
  void Add(uint64_t n) {
    for (MemoryCounter* c = this; c != nullptr; c = c->parent) c->bytes += n;
  }
  void Sub(uint64_t n) {
    for (MemoryCounter* c = this; c != nullptr; c = c->parent) c->bytes -= n;
  }
};

// Heap cost of a live allocation (usable size plus the allocator's chunk header).
size_t AllocCost(void* p);

struct HistEntry;
struct KeyNode;

// The variable part lives past the end of the C++ object; hide the pointer's provenance so
// GCC's object-size tracking (-Wstringop-overflow at -O2) does not treat the struct as the
// whole allocation. Costs nothing at run time.
inline char* TailBase(const void* p) {
  char* c = const_cast<char*>(static_cast<const char*>(p));
  __asm__("" : "+r"(c));
  return c;
}

enum EntryFlags : uint8_t {
  kFlagNode = 1,     // this is a KeyNode (the key's newest entry)
  kFlagExpiry = 2,   // an expires_at_ms word follows the fixed header
  kFlagTrimmed = 4,  // KeyNode only: older entries of this key were removed (GetAsOf)
  // KeyNode only: an exact-key watch may name this key. Set when such a watch starts or the
  // node is created while one exists; cleared when a dispatch finds none. Lets a write to an
  // unwatched key skip the watcher index without touching memory outside its own node.
  kFlagWatched = 8,
  // KeyNode only: the value bytes are a Collection* (a hash, list, set or sorted set) holding a
  // reference; value() is not the value then, object() is.
  kFlagTyped = 16,
};

struct EntryBase {
  Revision revision;
  UnixNanos created_ns;
  HistEntry* older;  // next older retained entry of the same key (nullptr: none)
  uint32_t value_len;
  uint32_t meta_len;
  uint32_t key_len;  // KeyNode only
  Op op;
  MarkerReason reason;
  uint8_t flags;
  uint8_t hist_count;  // KeyNode only: retained entries of the key, this one included

  bool is_node() const {
    return flags & kFlagNode;
  }
  bool is_marker() const {
    return op != Op::kPut;
  }
  bool has_expiry() const {
    return flags & kFlagExpiry;
  }
  bool is_typed() const {
    return flags & kFlagTyped;
  }
  Collection* object() const {  // only when is_typed()
    Collection* c;
    std::memcpy(&c, var() + key_len, sizeof c);
    return c;
  }
  inline KeyNode* owner();
  inline const KeyNode* owner() const;
  inline size_t FixedSize() const;
  UnixMillis expires_at_ms() const {
    if (!has_expiry()) return kNoExpiry;
    int64_t v;
    std::memcpy(&v, TailBase(this) + FixedSize(), sizeof v);
    return v;
  }
  void set_expires_at_ms(UnixMillis ms) {  // only when has_expiry()
    std::memcpy(TailBase(this) + FixedSize(), &ms, sizeof ms);
  }
  char* var() {
    return TailBase(this) + FixedSize() + (has_expiry() ? 8 : 0);
  }
  const char* var() const {
    return TailBase(this) + FixedSize() + (has_expiry() ? 8 : 0);
  }
  inline std::string_view key() const;
  std::string_view value() const {
    return {var() + (is_node() ? key_len : 0), value_len};
  }
  std::string_view meta() const {
    return {var() + (is_node() ? key_len : 0) + value_len, meta_len};
  }
  // Bytes accounted in BucketStatus::bytes (NATS counts the subject with every message).
  inline uint64_t AccountedBytes() const;
  EntryView View() const;
};
static_assert(sizeof(EntryBase) == 40, "EntryBase layout");

struct KeyNode : EntryBase {};
struct HistEntry : EntryBase {
  KeyNode* node;
};
static_assert(sizeof(HistEntry) == 48, "HistEntry layout");

inline KeyNode* EntryBase::owner() {
  return is_node() ? static_cast<KeyNode*>(this) : static_cast<HistEntry*>(this)->node;
}
inline const KeyNode* EntryBase::owner() const {
  return is_node() ? static_cast<const KeyNode*>(this) : static_cast<const HistEntry*>(this)->node;
}
inline size_t EntryBase::FixedSize() const {
  return is_node() ? sizeof(KeyNode) : sizeof(HistEntry);
}
inline std::string_view EntryBase::key() const {
  const KeyNode* n = owner();
  return {n->var(), n->key_len};
}
inline uint64_t EntryBase::AccountedBytes() const {
  if (is_typed()) return uint64_t{key_len} + meta_len + object()->MemoryBytes();
  return uint64_t{owner()->key_len} + value_len + meta_len;
}

// Size a KeyNode needs for these contents.
inline size_t KeyNodeSize(size_t key, size_t value, size_t meta, bool expiry) {
  return sizeof(KeyNode) + (expiry ? 8 : 0) + key + value + meta;
}

// A fresh KeyNode (revision/created/op left zero: the caller fills them in).
KeyNode* NewKeyNode(std::string_view key, std::string_view value, std::string_view meta,
                    bool expiry, MemoryCounter* mem);
// Rewrites `node` for new contents, in place when the allocation fits, else into a new
// allocation (the old one is freed; the caller re-points every reference). The key and the
// `older` chain are kept; value/meta may alias the old node's bytes.
KeyNode* RewriteKeyNode(KeyNode* node, std::string_view value, std::string_view meta, bool expiry,
                        MemoryCounter* mem);
// A copy of the node's newest entry as a history entry (expiry dropped: superseded values
// never expire on their own).
HistEntry* NewHistFrom(const KeyNode* node, MemoryCounter* mem);
// Frees the allocation only: a typed node's collection is released by DetachObject first.
void FreeEntry(EntryBase* e, MemoryCounter* mem);
// Collection memory is counted per key holding it: attaching adds its bytes, detaching (which
// drops the key's reference) subtracts them.
void AttachObject(Collection* c, MemoryCounter* mem);
void DetachObject(Collection* c, MemoryCounter* mem);
// Releases the collection a typed node holds (nothing for other entries).
inline void DetachObjectOf(EntryBase* e, MemoryCounter* mem) {
  if (e->is_typed()) DetachObject(e->object(), mem);
}

}  // namespace kvgate::engine::detail

// File: engine/detail/entry.cc
// Allocation of KeyNode / HistEntry records (see entry.h for the layout).
//
//   KeyNode* n = NewKeyNode("k", "v", "", false, &mem);
//   n = RewriteKeyNode(n, "longer value", "", false, &mem);   // may move: re-point references
//   FreeEntry(n, &mem);
#include "engine/detail/entry.h"

#include <malloc.h>

#include <cstdlib>
#include <functional>
#include <new>

namespace kvgate::engine::detail {
namespace {

void* Allocate(size_t n, MemoryCounter* mem) {
  void* p = std::malloc(n);
  if (p == nullptr) throw std::bad_alloc();
  mem->Add(AllocCost(p));
  return p;
}

bool Overlaps(const char* a, size_t alen, const char* b, size_t blen) {
  std::less<const char*> lt;
  return alen != 0 && blen != 0 && lt(a, b + blen) && lt(b, a + alen);
}

}  // namespace

size_t AllocCost(void* p) {
  return malloc_usable_size(p) + 8;
}

EntryView EntryBase::View() const {
  EntryView v;
  v.key = key();
  if (is_typed()) {
    v.object = object();
    v.type = v.object->type();
  } else {
    v.value = value();
  }
  v.meta = meta();
  v.revision = revision;
  v.op = op;
  v.reason = reason;
  v.created_ns = created_ns;
  v.expires_at_ms = expires_at_ms();
  return v;
}

KeyNode* NewKeyNode(std::string_view key, std::string_view value, std::string_view meta,
                    bool expiry, MemoryCounter* mem) {
  size_t size = KeyNodeSize(key.size(), value.size(), meta.size(), expiry);
  auto* n = static_cast<KeyNode*>(Allocate(size, mem));
  n->revision = 0;
  n->created_ns = 0;
  n->older = nullptr;
  n->value_len = static_cast<uint32_t>(value.size());
  n->meta_len = static_cast<uint32_t>(meta.size());
  n->key_len = static_cast<uint32_t>(key.size());
  n->op = Op::kPut;
  n->reason = MarkerReason::kNone;
  n->flags = kFlagNode | (expiry ? kFlagExpiry : 0);
  n->hist_count = 1;
  if (expiry) n->set_expires_at_ms(kNoExpiry);
  char* p = n->var();
  if (!key.empty()) std::memcpy(p, key.data(), key.size());
  if (!value.empty()) std::memcpy(p + key.size(), value.data(), value.size());
  if (!meta.empty()) std::memcpy(p + key.size() + value.size(), meta.data(), meta.size());
  return n;
}

KeyNode* RewriteKeyNode(KeyNode* node, std::string_view value, std::string_view meta, bool expiry,
                        MemoryCounter* mem) {
  size_t need = KeyNodeSize(node->key_len, value.size(), meta.size(), expiry);
  size_t have = malloc_usable_size(node);
  const char* base = reinterpret_cast<const char*>(node);
  bool aliased = Overlaps(value.data(), value.size(), base, have) ||
                 Overlaps(meta.data(), meta.size(), base, have);
  // In place when it fits without wasting more than half the block, and the new bytes are not
  // read from this very node (moving the key could clobber them).
  if (!aliased && need <= have && need * 2 > have) {
    if (expiry != node->has_expiry()) {
      char* old_key = node->var();
      node->flags =
          static_cast<uint8_t>(expiry ? (node->flags | kFlagExpiry) : (node->flags & ~kFlagExpiry));
      std::memmove(node->var(), old_key, node->key_len);
      if (expiry) node->set_expires_at_ms(kNoExpiry);
    }
    char* p = node->var() + node->key_len;
    if (!value.empty()) std::memcpy(p, value.data(), value.size());
    if (!meta.empty()) std::memcpy(p + value.size(), meta.data(), meta.size());
    node->value_len = static_cast<uint32_t>(value.size());
    node->meta_len = static_cast<uint32_t>(meta.size());
    return node;
  }
  auto* n = static_cast<KeyNode*>(Allocate(need, mem));
  std::memcpy(n, node, sizeof(KeyNode));
  n->flags = static_cast<uint8_t>(expiry ? (n->flags | kFlagExpiry) : (n->flags & ~kFlagExpiry));
  n->value_len = static_cast<uint32_t>(value.size());
  n->meta_len = static_cast<uint32_t>(meta.size());
  if (expiry) n->set_expires_at_ms(kNoExpiry);
  char* p = n->var();
  std::memcpy(p, node->var(), node->key_len);
  if (!value.empty()) std::memcpy(p + n->key_len, value.data(), value.size());
  if (!meta.empty()) std::memcpy(p + n->key_len + value.size(), meta.data(), meta.size());
  FreeEntry(node, mem);
  return n;
}

HistEntry* NewHistFrom(const KeyNode* node, MemoryCounter* mem) {
  size_t size = sizeof(HistEntry) + node->value_len + node->meta_len;
  auto* h = static_cast<HistEntry*>(Allocate(size, mem));
  h->revision = node->revision;
  h->created_ns = node->created_ns;
  h->older = nullptr;
  h->value_len = node->value_len;
  h->meta_len = node->meta_len;
  h->key_len = 0;
  h->op = node->op;
  h->reason = node->reason;
  h->flags = 0;
  h->hist_count = 0;
  h->node = const_cast<KeyNode*>(node);
  std::string_view v = node->value();
  std::string_view m = node->meta();
  if (!v.empty()) std::memcpy(h->var(), v.data(), v.size());
  if (!m.empty()) std::memcpy(h->var() + v.size(), m.data(), m.size());
  return h;
}

void AttachObject(Collection* c, MemoryCounter* mem) {
  c->AddRef();
  mem->Add(c->MemoryBytes());
}

void DetachObject(Collection* c, MemoryCounter* mem) {
  mem->Sub(c->MemoryBytes());
  if (c->Release()) delete c;
}

void FreeEntry(EntryBase* e, MemoryCounter* mem) {
  mem->Sub(AllocCost(e));
  std::free(e);
}

}  // namespace kvgate::engine::detail

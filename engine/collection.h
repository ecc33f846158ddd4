// File: engine/collection.h
// Values that are not strings: a key may hold a hash, list, set, sorted set or stream (Redis
// types).
// The engine stores a collection by pointer in the key's newest entry and changes it in place
// (StoreBucket::Mutate: one revision per change, no copy of the collection). A collection may
// be shared by several keys (RENAME, COPY, MOVE hand the pointer on); a change to a shared one
// clones it first (copy on write), so sharing is never visible.
//
//   CollectionRef h = NewCollection(ValueType::kHash);
//   static_cast<HashValue&>(*h).Set("f", "v");
//   bucket->Write(WriteRequest::PutObject("k", h.get()), done);   // the key now holds it
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace kvgate::engine {

enum class ValueType : uint8_t { kString, kHash, kList, kSet, kZSet, kStream };

// Redis TYPE names: "string", "hash", "list", "set", "zset", "stream".
std::string_view TypeName(ValueType type);

class Collection {
 public:
  virtual ~Collection() = default;
  Collection& operator=(const Collection&) = delete;

  ValueType type() const {
    return type_;
  }
  // Elements (fields, members, list entries).
  virtual size_t size() const = 0;
  // Whether the key holding it goes when it is empty: Redis removes an emptied hash, list, set
  // or sorted set, but a stream stays (its last ID and groups outlive its entries).
  virtual bool RemovedWhenEmpty() const {
    return true;
  }
  // Approximate heap bytes held, the object itself included (MEMORY USAGE, maxmemory).
  virtual uint64_t MemoryBytes() const = 0;
  // Redis's OBJECT ENCODING name at Redis's thresholds ("listpack", "hashtable", ...).
  virtual std::string_view EncodingName() const = 0;
  // A deep copy (copy on write, COPY).
  virtual std::unique_ptr<Collection> Clone() const = 0;

  // Intrusive reference count: keys (engine entries) and CollectionRefs holding it.
  void AddRef() const {
    ++refs_;
  }
  // True when this was the last reference (the caller deletes the object).
  bool Release() const {
    return --refs_ == 0;
  }
  uint32_t refs() const {
    return refs_;
  }
  // Set while the engine logs a change of this collection in a file bucket: mutators append
  // the operations they did (engine/collection_delta.h). Never copied by a clone.
  std::string* delta() const {
    return delta_;
  }
  void set_delta(std::string* d) {
    delta_ = d;
  }

 protected:
  explicit Collection(ValueType type) : type_(type) {
  }
  Collection(const Collection& other) : type_(other.type_) {  // a copy starts unreferenced
  }

 private:
  mutable uint32_t refs_ = 0;
  ValueType type_;
  std::string* delta_ = nullptr;
};

// An owning reference to a collection (intrusive: no control block).
class CollectionRef {
 public:
  CollectionRef() = default;
  explicit CollectionRef(Collection* c) : c_(c) {
    if (c_ != nullptr) c_->AddRef();
  }
  explicit CollectionRef(std::unique_ptr<Collection> c) : CollectionRef(c.release()) {
  }
  CollectionRef(const CollectionRef& o) : CollectionRef(o.c_) {
  }
  CollectionRef(CollectionRef&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {
  }
  CollectionRef& operator=(CollectionRef o) noexcept {
    std::swap(c_, o.c_);
    return *this;
  }
  ~CollectionRef() {
    if (c_ != nullptr && c_->Release()) delete c_;
  }
  Collection* get() const {
    return c_;
  }
  Collection& operator*() const {
    return *c_;
  }
  Collection* operator->() const {
    return c_;
  }
  explicit operator bool() const {
    return c_ != nullptr;
  }

 private:
  Collection* c_ = nullptr;
};

// An empty collection of `type` (not kString).
std::unique_ptr<Collection> NewCollection(ValueType type);

}  // namespace kvgate::engine

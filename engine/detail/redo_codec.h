// File: engine/detail/redo_codec.h
// The payloads of redo records (engine/redo.h): one record type per engine state change, with
// a writer that frames straight into the RedoBuffer (no temporary) and a bounds-checked reader.
// Integers are LEB128 varints (signed ones zigzagged), strings a varint length and the bytes.
//
//   RedoWriter w(&redo, RedoType::kRemove);
//   w.Str("db0"); w.Uint(42); w.Finish();
//   RedoReader r(payload); RedoType t = r.Type(); std::string_view b = r.Str(); ...; r.ok()
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/redo.h"
#include "engine/types.h"

namespace kvgate::engine::detail {

enum class RedoType : uint8_t {
  kBucketCreate = 1,  // name, created_ns, config
  kBucketUpdate = 2,  // name, config
  kBucketDelete = 3,  // name
  kBucketSwap = 4,    // name a, name b
  // bucket, key, revision, created_ns, op, reason, flags (kRedoRollup | kRedoTyped), expires,
  // meta, then the value, or for a collection its type byte and its image (collection_codec.h)
  kAppend = 5,
  kSetExpiry = 6,    // bucket, key, expires (0: none); no new revision
  kRemove = 7,       // bucket, revision: a superseded entry, or a newest one with its whole key
  kFlush = 8,        // bucket
  kBucketState = 9,  // bucket, last revision, watermark (after an image of the bucket)
  // bucket, key, revision, created_ns, expires, type, then the operations that changed the
  // key's collection (collection_delta.h), applied to its state before them (a new one if the
  // key held none)
  kAppendDelta = 10,
};

inline constexpr uint8_t kRedoRollup = 1;
inline constexpr uint8_t kRedoTyped = 2;
inline constexpr uint8_t kRedoTrimmed = 4;  // images: the key's older entries were removed

class RedoWriter {
 public:
  RedoWriter(RedoBuffer* buffer, RedoType type);
  void Uint(uint64_t v);
  void Int(int64_t v) {
    Uint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void Byte(uint8_t v) {
    out_->push_back(static_cast<char>(v));
  }
  void Str(std::string_view s) {
    Uint(s.size());
    out_->append(s);
  }
  void Config(const BucketConfig& c);
  // The string the payload is being written to (a collection image appends itself).
  std::string* out() {
    return out_;
  }
  // Fills in the frame header.
  void Finish();

 private:
  RedoBuffer* buffer_;
  std::string* out_;
  size_t start_;
};

class RedoReader {
 public:
  explicit RedoReader(std::string_view payload) : p_(payload) {
  }
  RedoType Type() {
    return static_cast<RedoType>(Byte());
  }
  uint64_t Uint();
  int64_t Int() {
    const uint64_t z = Uint();
    return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  uint8_t Byte();
  std::string_view Str();
  BucketConfig Config();
  // The unread rest (a collection image at the end of a record).
  std::string_view Rest() {
    std::string_view r = p_;
    p_ = {};
    return r;
  }
  // False once any read ran past the end or found a bad value.
  bool ok() const {
    return ok_;
  }
  bool done() const {
    return ok_ && p_.empty();
  }
  void Fail() {
    ok_ = false;
  }

 private:
  std::string_view p_;
  bool ok_ = true;
};

}  // namespace kvgate::engine::detail

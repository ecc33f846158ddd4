// File: engine/detail/redo_codec.h
// The payloads of redo records (engine/redo.h): one record type per engine state change, with
// a writer that frames straight into the RedoBuffer (no temporary) and a bounds-checked reader.
// The primitives are the collection codec's (detail/codec.h): LEB128 varints (signed ones
// zigzagged), strings as a varint length and the bytes.
//
//   RedoWriter w(&redo, RedoType::kRemove);
//   w.Str("db0"); w.Uint(42); w.Finish();
//   RedoReader r(payload); RedoType t = r.Type(); std::string_view b = r.Str(); ...; r.ok()
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/detail/codec.h"
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
  // name: the bucket became a file bucket while images are deferred (Engine::DeferFileImages);
  // it is durable only from the next checkpoint's image on, so replay ignores its records
  // until a create brings it (a crash before that checkpoint completes loses it whole).
  kBucketPending = 11,
  // name, value: a front's own durable state (Engine::SetMeta: Redis FUNCTION libraries);
  // an empty value removes it.
  kMeta = 12,
};

inline constexpr uint8_t kRedoRollup = 1;
inline constexpr uint8_t kRedoTyped = 2;
inline constexpr uint8_t kRedoTrimmed = 4;  // images: the key's older entries were removed

class RedoWriter {
 public:
  RedoWriter(RedoBuffer* buffer, RedoType type);
  void Uint(uint64_t v) {
    PutVarint(out_, v);
  }
  void Int(int64_t v) {
    PutSigned(out_, v);
  }
  void Byte(uint8_t v) {
    PutByte(out_, v);
  }
  void Str(std::string_view s) {
    PutString(out_, s);
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

// Reads a payload. A failed read (past the end, a bad value) returns zero / empty and makes
// ok() false from then on, so a record is decoded field by field and checked once.
class RedoReader {
 public:
  explicit RedoReader(std::string_view payload) : r_(payload) {
  }
  RedoType Type() {
    return static_cast<RedoType>(Byte());
  }
  uint64_t Uint() {
    uint64_t v = 0;
    ok_ = ok_ && r_.Varint(&v);
    return ok_ ? v : 0;
  }
  int64_t Int() {
    int64_t v = 0;
    ok_ = ok_ && r_.Signed(&v);
    return ok_ ? v : 0;
  }
  uint8_t Byte() {
    uint8_t v = 0;
    ok_ = ok_ && r_.Byte(&v);
    return ok_ ? v : 0;
  }
  std::string_view Str() {
    std::string_view v;
    ok_ = ok_ && r_.String(&v);
    return ok_ ? v : std::string_view();
  }
  BucketConfig Config();
  // The unread rest (a collection image or operations at the end of a record).
  std::string_view Rest() {
    return r_.Rest();
  }
  bool ok() const {
    return ok_;
  }
  bool done() const {
    return ok_ && r_.done();
  }

 private:
  Reader r_;
  bool ok_ = true;
};

}  // namespace kvgate::engine::detail

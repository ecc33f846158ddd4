// File: engine/result.h
// Errors as values for the engine and the layers above it (translate/, gateway/ reuse it).
//
//   Result<Revision> r = bucket->Put("k", "v", {});
//   if (!r.ok()) return ToReply(r.errc(), r.detail());   // detail: e.g. the current revision
//   Revision rev = *r;
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace kvgate::engine {

enum class Errc : uint8_t {
  kOk = 0,
  kNotFound,  // key absent, tombstoned, expired, or revision not retained
  kBucketNotFound,
  kBucketExists,     // CreateBucket with a config different from the existing one
  kAlreadyExists,    // Create over a live key; detail = the key's current revision
  kWrongRevision,    // expected revision mismatch; detail = the key's current revision (0: none)
  kInvalidArgument,  // bad bucket name, bad config, bad filter (empty keys are valid)
  kValueTooLarge,    // value (+meta) above max_value_size
  kBucketFull,       // max_bytes or max_keys reached
  kTtlNotAllowed,    // per-key TTL on a bucket with allow_key_ttl = false
  kCursorExpired,    // resume point below the watermark; detail = the watermark
  kSlowConsumer,     // a watch's bounded queue overflowed; resume from Watch::position()
  kOutOfMemory,      // engine-wide memory limit reached; writes refused
  kWrongType,        // the key holds another type of value (a hash where a string is read, ...)
  kStorageFailed,    // the redo log could not be written: file buckets refuse writes
};

// Stable lower-case name for logs and tests ("not_found", "wrong_revision", ...).
std::string_view ErrcName(Errc e);

// Result<T>: either a value or an Errc plus a 64-bit detail (revision, watermark, ...).
template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose: `return value;` and `return Errc::kNotFound;` both make a Result.
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(T value) : value_(std::move(value)) {
  }
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Errc e, uint64_t detail = 0) : errc_(e), detail_(detail) {
    assert(e != Errc::kOk);
  }

  bool ok() const {
    return errc_ == Errc::kOk;
  }
  Errc errc() const {
    return errc_;
  }
  uint64_t detail() const {
    return detail_;
  }
  T& value() {
    assert(ok());
    return *value_;
  }
  const T& value() const {
    assert(ok());
    return *value_;
  }
  T& operator*() {
    return value();
  }
  const T& operator*() const {
    return value();
  }
  T* operator->() {
    return &value();
  }
  const T* operator->() const {
    return &value();
  }

 private:
  std::optional<T> value_;
  Errc errc_ = Errc::kOk;
  uint64_t detail_ = 0;
};

// Status: a Result without a value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  // NOLINTNEXTLINE(google-explicit-constructor)
  Status(Errc e, uint64_t detail = 0) : errc_(e), detail_(detail) {
  }
  bool ok() const {
    return errc_ == Errc::kOk;
  }
  Errc errc() const {
    return errc_;
  }
  uint64_t detail() const {
    return detail_;
  }

 private:
  Errc errc_ = Errc::kOk;
  uint64_t detail_ = 0;
};

#define KVGATE_RETURN_IF_ERROR(expr)                                                   \
  do {                                                                                 \
    auto kvgate_status_ = (expr);                                                      \
    if (!kvgate_status_.ok()) {                                                        \
      return ::kvgate::engine::Status(kvgate_status_.errc(), kvgate_status_.detail()); \
    }                                                                                  \
  } while (0)

}  // namespace kvgate::engine

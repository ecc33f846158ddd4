#include "engine/result.h"

namespace kvgate::engine {

std::string_view ErrcName(Errc e) {
  switch (e) {
    case Errc::kOk:
      return "ok";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kBucketNotFound:
      return "bucket_not_found";
    case Errc::kBucketExists:
      return "bucket_exists";
    case Errc::kAlreadyExists:
      return "already_exists";
    case Errc::kWrongRevision:
      return "wrong_revision";
    case Errc::kInvalidArgument:
      return "invalid_argument";
    case Errc::kValueTooLarge:
      return "value_too_large";
    case Errc::kBucketFull:
      return "bucket_full";
    case Errc::kTtlNotAllowed:
      return "ttl_not_allowed";
    case Errc::kCursorExpired:
      return "cursor_expired";
    case Errc::kSlowConsumer:
      return "slow_consumer";
    case Errc::kOutOfMemory:
      return "out_of_memory";
    case Errc::kWrongType:
      return "wrong_type";
    case Errc::kStorageFailed:
      return "storage_failed";
  }
  return "unknown";
}

}  // namespace kvgate::engine

// File: engine/types.cc
// Validation helpers and BucketConfig comparison shared by both fronts.
//
//   IsValidBucketName("orders_v2") == true;   IsValidNatsKey("a..b") == false;
//   BucketConfig a, b; b.attachment = "x";   a.SameSemantics(b) == true;
#include "engine/types.h"

namespace kvgate::engine {

bool BucketConfig::SameSemantics(const BucketConfig& o) const {
  return history == o.history && max_age_ns == o.max_age_ns && max_value_size == o.max_value_size &&
         max_bytes == o.max_bytes && max_keys == o.max_keys && allow_key_ttl == o.allow_key_ttl &&
         marker_on_max_age == o.marker_on_max_age && tombstone_ttl_ns == o.tombstone_ttl_ns &&
         storage == o.storage && description == o.description;
}

bool IsValidBucketName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsValidNatsKey(std::string_view key) {
  if (key.empty() || key.front() == '.' || key.back() == '.') return false;
  char prev = 0;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '/' || c == '_' || c == '=' || c == '.';
    if (!ok) return false;
    if (c == '.' && prev == '.') return false;
    prev = c;
  }
  return true;
}

}  // namespace kvgate::engine

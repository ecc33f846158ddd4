// File: translate/redis/client_name.h
// Client name rules shared by CLIENT SETNAME and HELLO ... SETNAME (Redis validateClientName).
//
//   if (!IsValidClientName(name)) w.Error(kInvalidClientName);
//   IsValidClientName("") == true;        // clears the name
//   IsValidClientName("a b") == false;
#pragma once

#include <string_view>

namespace kvgate::redis {

inline constexpr std::string_view kInvalidClientName =
    "ERR Client names cannot contain spaces, newlines or special characters.";

// Only bytes '!'..'~' are allowed.
inline bool IsValidClientName(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

}  // namespace kvgate::redis

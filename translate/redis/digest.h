// File: translate/redis/digest.h
// Redis 8.4 value digests: XXH3-64 of a string value, written as 16 lower-case hex digits
// (DIGEST), and the IFDEQ/IFDNE argument checks (16 hex digits, compared case-insensitively).
//
//   DigestHex("Hello world") == "b6acb9d84a38ff74";
//   IsValidDigest("B6ACB9D84A38FF74") == true;
//   DigestMatches("Hello world", "B6ACB9D84A38FF74") == true;
#pragma once

#include <string>
#include <string_view>

namespace kvgate::redis {

inline constexpr std::string_view kBadDigest = "ERR must be exactly 16 hexadecimal characters";

std::string DigestHex(std::string_view value);
bool IsValidDigest(std::string_view digest);
// The value's digest equals `digest` (a valid digest, any case).
bool DigestMatches(std::string_view value, std::string_view digest);

}  // namespace kvgate::redis

// File: translate/redis/sha1.h
// SHA-1 (FIPS 180-4) as 40 lower-case hex digits: script names (EVAL caches a script under the
// SHA-1 of its body, EVALSHA and SCRIPT EXISTS look it up) and redis.sha1hex.
//
//   Sha1Hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709";
#pragma once

#include <string>
#include <string_view>

namespace kvgate::redis {

std::string Sha1Hex(std::string_view data);

}  // namespace kvgate::redis

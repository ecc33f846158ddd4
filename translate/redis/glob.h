// File: translate/redis/glob.h
// Redis glob matching (util.c stringmatchlen) for KEYS, SCAN MATCH, PSUBSCRIBE, PUBSUB CHANNELS
// and CONFIG GET: `*`, `?`, `[abc]`, `[a-z]` (either order), `[^x]`, `\x`. Byte-wise; bytes are
// compared as signed chars in ranges, exactly like the C original.
//
//   GlobMatch("h?llo", "hello") == true;
//   GlobMatch("h[^e]llo", "hallo") == true;
//   GlobLiteralPrefix("user:*:name") == "user:";
#pragma once

#include <string_view>

namespace kvgate::redis {

bool GlobMatch(std::string_view pattern, std::string_view str, bool nocase = false);

// The bytes every match must start with (the pattern up to its first special character); used
// to narrow engine scans with a prefix filter.
std::string_view GlobLiteralPrefix(std::string_view pattern);

}  // namespace kvgate::redis

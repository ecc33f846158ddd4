// File: translate/redis/scan_args.h
// The arguments every SCAN-family command shares (SCAN, HSCAN, SSCAN, ZSCAN): the cursor as
// Redis parses it, then MATCH pattern, COUNT n (>= 1) and, for SCAN only, TYPE name, each with
// its value; anything else is a syntax error.
//
//   ScanArgs a;
//   if (!ParseScanArgs(ctx, /*cursor_at=*/2, /*allow_type=*/false, &a)) return;  // replied
//   WriteScanReply(ctx.w, next_cursor, n);  then n bulk strings
#pragma once

#include <cstdint>
#include <string_view>

#include "protocols/resp/reply_writer.h"

namespace kvgate::redis {

struct CommandContext;

struct ScanArgs {
  uint64_t cursor = 0;
  int64_t count = 10;
  std::string_view pattern;
  bool use_pattern = false;  // false for no MATCH and for MATCH *
  std::string_view type;
  bool use_type = false;
  // True if `s` passes MATCH (always true without one).
  bool Matches(std::string_view s) const;
};

// Redis parseScanCursorOrReply: strtoull() over the C string, no leading blank, no overflow.
bool ParseScanCursor(std::string_view arg, uint64_t* out);
// Parses ctx.arg(cursor_at) and the options after it; false after replying with the error.
bool ParseScanArgs(CommandContext& ctx, size_t cursor_at, bool allow_type, ScanArgs* out);
// [cursor, *n]: the caller writes the n elements next.
void WriteScanHeader(resp::ReplyWriter& w, uint64_t next_cursor, size_t n);

}  // namespace kvgate::redis

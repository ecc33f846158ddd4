// File: translate/redis/scan_args.cc
// SCAN-family argument parsing and the reply header (scan_args.h).
#include "translate/redis/scan_args.h"

#include <cctype>
#include <cstdio>

#include "translate/redis/arg_parser.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/glob.h"

namespace kvgate::redis {

bool ScanArgs::Matches(std::string_view s) const {
  return !use_pattern || GlobMatch(pattern, s);
}

bool ParseScanCursor(std::string_view arg, uint64_t* out) {
  std::string_view s = CString(arg);
  if (s.empty()) {
    *out = 0;
    return true;
  }
  if (isspace(static_cast<unsigned char>(s[0]))) return false;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = negative ? 0 - v : v;
  return true;
}

bool ParseScanArgs(CommandContext& ctx, size_t cursor_at, bool allow_type, ScanArgs* out) {
  if (!ParseScanCursor(ctx.arg(cursor_at), &out->cursor)) {
    ctx.w.Error(kInvalidCursor);
    return false;
  }
  ArgParser p(ctx.args, cursor_at + 1);
  while (!p.Done()) {
    // Each option needs its value; a lone keyword is a syntax error, as in Redis.
    if (p.Remaining() >= 2 && p.Keyword("COUNT")) {
      out->count = p.NextInt64();
      if (p.ok() && out->count < 1) p.Fail(kSyntaxError);
    } else if (p.Remaining() >= 2 && p.Keyword("MATCH")) {
      out->pattern = p.Next();
      out->use_pattern = !(out->pattern.size() == 1 && out->pattern[0] == '*');
    } else if (allow_type && p.Remaining() >= 2 && p.Keyword("TYPE")) {
      out->type = p.Next();
      out->use_type = true;
    } else {
      p.Fail(kSyntaxError);
    }
  }
  return !p.ReplyIfError(ctx.w);
}

void WriteScanHeader(resp::ReplyWriter& w, uint64_t next_cursor, size_t n) {
  char buf[24];
  int len = snprintf(buf, sizeof(buf), "%llu", static_cast<unsigned long long>(next_cursor));
  w.ArrayHeader(2);
  w.Bulk(std::string_view(buf, static_cast<size_t>(len)));
  w.ArrayHeader(n);
}

}  // namespace kvgate::redis

// File: translate/redis/stream_read_args.cc
// XREAD / XREADGROUP argument parsing (stream_read_args.h), in xreadCommand's order: options
// are read left to right up to STREAMS, each error as Redis words it.
#include "translate/redis/stream_read_args.h"

#include <limits>
#include <string>

#include "protocols/ascii.h"
#include "protocols/resp/number.h"
#include "translate/redis/errors.h"

namespace kvgate::redis {

bool ParseBlockMs(CommandContext& ctx, std::string_view arg, int64_t* deadline_ms) {
  int64_t ms = 0;
  if (!resp::ParseInt64(arg, &ms)) {
    ctx.w.Error("ERR timeout is not an integer or out of range");
    return false;
  }
  if (ms < 0) {
    ctx.w.Error("ERR timeout is negative");
    return false;
  }
  *deadline_ms = 0;
  if (ms > 0 && ms <= std::numeric_limits<int64_t>::max() - ctx.now_ms) {
    *deadline_ms = ctx.now_ms + ms;
  }
  return true;
}

bool ParseXReadArgs(CommandContext& ctx, bool xreadgroup, XReadArgs* out) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    const size_t more = ctx.argc() - i - 1;
    const std::string_view o = CString(ctx.arg(i));
    if (protocols::EqualsIgnoreCase(o, "block") && more > 0) {
      if (ctx.in_script()) {
        ctx.w.Error("ERR " + std::string(ctx.arg(0)) +
                    " command is not allowed with BLOCK option from scripts");
        return false;
      }
      if (!ParseBlockMs(ctx, ctx.arg(++i), &out->deadline_ms)) return false;
      out->block = true;
    } else if (protocols::EqualsIgnoreCase(o, "count") && more > 0) {
      if (!resp::ParseInt64(ctx.arg(++i), &out->count)) {
        ctx.w.Error(kNotInteger);
        return false;
      }
      if (out->count < 0) out->count = 0;
    } else if (protocols::EqualsIgnoreCase(o, "streams") && more > 0) {
      if (more % 2 != 0) {
        ctx.w.Error(
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
        return false;
      }
      out->keys = i + 1;
      out->n = more / 2;
      if (xreadgroup && out->group == 0) {
        ctx.w.Error("ERR Missing GROUP option for XREADGROUP");
        return false;
      }
      return true;
    } else if (protocols::EqualsIgnoreCase(o, "group") && more >= 2) {
      if (!xreadgroup) {
        ctx.w.Error(
            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return false;
      }
      out->group = i + 1;
      i += 2;
    } else if (protocols::EqualsIgnoreCase(o, "noack")) {
      if (!xreadgroup) {
        ctx.w.Error(
            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return false;
      }
      out->noack = true;
    } else {
      ctx.w.Error(kSyntaxError);
      return false;
    }
  }
  ctx.w.Error(kSyntaxError);  // no STREAMS
  return false;
}

void ReplyTopHeader(resp::ReplyWriter& w, size_t n) {
  if (w.resp() == 2) return w.ArrayHeader(n);
  w.MapHeader(n);
}

}  // namespace kvgate::redis

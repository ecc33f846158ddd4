// File: translate/redis/stream_access.cc
// Stream IDs, XADD / XTRIM options and entry replies (stream_access.h), as Redis 7.0's
// t_stream.c reads and writes them.
#include "translate/redis/stream_access.h"

#include <vector>

#include "protocols/ascii.h"
#include "protocols/resp/number.h"
#include "translate/redis/errors.h"

namespace kvgate::redis {
namespace {

using engine::StreamId;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Redis's string2ull: string2ll, then strtoull (leading spaces, a sign, leading zeros; a minus
// negates modulo 2^64, overflow fails).
bool String2ull(std::string_view s, uint64_t* out) {
  int64_t ll = 0;
  if (resp::ParseInt64(s, &ll)) {
    if (ll < 0) return false;
    *out = static_cast<uint64_t>(ll);
    return true;
  }
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  const size_t digits = i;
  uint64_t v = 0;
  bool overflow = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    const auto d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) overflow = true;
    v = v * 10 + d;
  }
  if (i == digits || overflow || i != s.size()) return false;
  *out = negative ? 0 - v : v;
  return true;
}

constexpr std::string_view kTrimBoth =
    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";

// MAXLEN|MINID [=|~] <arg> at args[*i]; advances *i to the argument.
bool ParseTrimOption(CommandContext& ctx, size_t* i, StreamAddArgs* out) {
  const bool by_len = protocols::EqualsIgnoreCase(CString(ctx.arg(*i)), "maxlen");
  if (out->trim.by != engine::StreamTrim::By::kNone) {
    ctx.w.Error(kTrimBoth);
    return false;
  }
  const size_t more = ctx.argc() - 1 - *i;
  out->trim.approx = false;
  const std::string_view next = CString(ctx.arg(*i + 1));
  if (more >= 2 && next == "~") {
    out->trim.approx = true;
    ++*i;
  } else if (more >= 2 && next == "=") {
    ++*i;
  }
  ++*i;
  if (by_len) {
    int64_t n = 0;
    if (!resp::ParseInt64(ctx.arg(*i), &n)) {
      ctx.w.Error(kNotInteger);
      return false;
    }
    if (n < 0) {
      ctx.w.Error("ERR The MAXLEN argument must be >= 0.");
      return false;
    }
    out->trim.maxlen = static_cast<uint64_t>(n);
    out->trim.by = engine::StreamTrim::By::kMaxLen;
  } else {
    if (!ParseStreamIdOrReply(ctx, ctx.arg(*i), 0, true, nullptr, &out->trim.minid)) return false;
    out->trim.by = engine::StreamTrim::By::kMinId;
  }
  out->trim_arg = *i;
  return true;
}

}  // namespace

bool ParseStreamId(std::string_view arg, uint64_t missing_seq, bool strict, bool* seq_given,
                   StreamId* out) {
  if (arg.size() > 127) return false;
  const std::string_view s = CString(arg);
  if (strict && (s == "-" || s == "+")) return false;
  if (seq_given != nullptr) *seq_given = true;
  if (s == "-") {
    *out = StreamId{};
    return true;
  }
  if (s == "+") {
    *out = engine::kMaxStreamId;
    return true;
  }
  const size_t dash = s.find('-');
  StreamId id;
  if (!String2ull(s.substr(0, dash), &id.ms)) return false;
  if (dash == std::string_view::npos) {
    id.seq = missing_seq;
  } else {
    const std::string_view seq = s.substr(dash + 1);
    if (seq_given != nullptr && seq == "*") {
      id.seq = 0;
      *seq_given = false;
    } else if (!String2ull(seq, &id.seq)) {
      return false;
    }
  }
  *out = id;
  return true;
}

bool ParseStreamIdOrReply(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                          bool strict, bool* seq_given, StreamId* out) {
  if (ParseStreamId(arg, missing_seq, strict, seq_given, out)) return true;
  ctx.w.Error(kInvalidStreamId);
  return false;
}

std::string FormatStreamId(StreamId id) {
  return std::to_string(id.ms) + "-" + std::to_string(id.seq);
}

bool ParseStreamAddArgs(CommandContext& ctx, bool xadd, StreamAddArgs* out) {
  *out = StreamAddArgs{};
  bool limit_given = false;
  size_t i = 2;
  for (; i < ctx.argc(); ++i) {
    const size_t more = ctx.argc() - 1 - i;
    const std::string_view opt = CString(ctx.arg(i));
    if (xadd && opt == "*") break;
    if ((protocols::EqualsIgnoreCase(opt, "maxlen") || protocols::EqualsIgnoreCase(opt, "minid")) &&
        more > 0) {
      if (!ParseTrimOption(ctx, &i, out)) return false;
    } else if (protocols::EqualsIgnoreCase(opt, "limit") && more > 0) {
      if (!resp::ParseInt64(ctx.arg(i + 1), &out->trim.limit)) {
        ctx.w.Error(kNotInteger);
        return false;
      }
      if (out->trim.limit < 0) {
        ctx.w.Error("ERR The LIMIT argument must be >= 0.");
        return false;
      }
      limit_given = true;
      ++i;
    } else if (xadd && protocols::EqualsIgnoreCase(opt, "nomkstream")) {
      out->no_mkstream = true;
    } else if (xadd) {
      if (!ParseStreamIdOrReply(ctx, ctx.arg(i), 0, true, &out->seq_given, &out->id)) return false;
      out->id_given = true;
      break;
    } else {
      ctx.w.Error(kSyntaxError);
      return false;
    }
  }
  out->id_arg = i;
  const bool no_trim = out->trim.by == engine::StreamTrim::By::kNone;
  if (out->trim.limit != 0 && no_trim) {
    ctx.w.Error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return false;
  }
  if (!xadd && no_trim) {
    ctx.w.Error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return false;
  }
  if (limit_given) {
    if (!out->trim.approx) {
      ctx.w.Error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return false;
    }
  } else {
    // Redis bounds a `~` trim to 100 nodes' worth of entries unless told otherwise.
    out->trim.limit = out->trim.approx ? 100 * engine::StreamValue::kNodeMaxEntries : 0;
  }
  return true;
}

bool ParseStreamBound(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                      bool* exclusive, StreamId* out) {
  *exclusive = arg.size() > 1 && arg[0] == '(';
  if (*exclusive) return ParseStreamIdOrReply(ctx, arg.substr(1), missing_seq, true, nullptr, out);
  return ParseStreamIdOrReply(ctx, arg, missing_seq, false, nullptr, out);
}

std::string NoGroupForKey(std::string_view key, std::string_view group) {
  return "NOGROUP No such consumer group '" + std::string(CString(group)) + "' for key name '" +
         std::string(CString(key)) + "'";
}

std::string NoKeyOrGroup(std::string_view key, std::string_view group, std::string_view suffix) {
  return "NOGROUP No such key '" + std::string(CString(key)) + "' or consumer group '" +
         std::string(CString(group)) + "'" + std::string(suffix);
}

void ReplyStreamEntry(resp::ReplyWriter& w, const engine::StreamEntry& e) {
  w.ArrayHeader(2);
  w.Bulk(FormatStreamId(e.id));
  w.ArrayHeader(size_t{e.pairs} * 2);
  e.ForEach([&](std::string_view f, std::string_view v) {
    w.Bulk(f);
    w.Bulk(v);
  });
}

void StreamReplyItems::AddEntry(const engine::StreamEntry& e) {
  items_.push_back({e.id, e.pairs, Kind::kEntry, packed_.size(), e.packed.size()});
  packed_.append(e.packed);
}

void StreamReplyItems::Reply(resp::ReplyWriter& w) const {
  w.ArrayHeader(items_.size());
  const std::string_view packed = packed_;
  for (const Item& it : items_) {
    switch (it.kind) {
      case Kind::kEntry:
        ReplyStreamEntry(w,
                         engine::StreamEntry{it.id, it.pairs, packed.substr(it.offset, it.size)});
        break;
      case Kind::kId:
        w.Bulk(FormatStreamId(it.id));
        break;
      case Kind::kMissing:
        w.ArrayHeader(2);
        w.Bulk(FormatStreamId(it.id));
        w.NullArray();
        break;
    }
  }
}

void ReplyStreamRange(resp::ReplyWriter& w, const engine::StreamValue& s, StreamId start,
                      StreamId end, bool rev, size_t count) {
  std::vector<engine::StreamEntry> entries;
  s.Range(start, end, rev, count, [&](const engine::StreamEntry& e) {
    entries.push_back(e);
    return true;
  });
  w.ArrayHeader(entries.size());
  for (const engine::StreamEntry& e : entries) ReplyStreamEntry(w, e);
}

}  // namespace kvgate::redis

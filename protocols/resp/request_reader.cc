#include "protocols/resp/request_reader.h"

#include <hiredis/read.h>

#include <algorithm>
#include <cstring>

#include "protocols/resp/detail/inline_split.h"
#include "protocols/resp/number.h"

namespace kvgate::resp {
namespace {

// Any non-null pointer: hiredis treats NULL from a callback as out-of-memory.
char kObjectMarker;

void* CreateString(const redisReadTask* task, char* str, size_t len) {
  // Copy now: hiredis memmoves its buffer after 1 KiB is consumed, so `str` is only valid during
  // this call (STYLE.md §3.5).
  return static_cast<RequestReader*>(task->privdata)->OnHiredisString(str, len);
}
void* CreateArray(const redisReadTask*, int) {
  return &kObjectMarker;
}
void* CreateInteger(const redisReadTask*, long long) {  // NOLINT(google-runtime-int)
  return &kObjectMarker;
}
void* CreateNil(const redisReadTask*) {
  return &kObjectMarker;
}
void FreeObject(void*) {
}

redisReplyObjectFunctions kFunctions = {CreateString, CreateArray, CreateInteger, CreateNil,
                                        FreeObject};

// A request header line (`*N` or `$len`) as Redis finds it: strchr(p, '\r') (which stops at a
// NUL byte), then at least one more byte (assumed to be '\n', never checked).
enum class HeaderStatus : uint8_t {
  kOk,
  kIncomplete,
  kTooBigCount,  // no CR within inline_max_size bytes of a `*` line
  kTooBigBulk,   // ... of a `$` line
  kBadCount,
  kNotDollar,
  kBadBulk,
  kUnauthCount,  // over Redis's limits for a client that has not authenticated
  kUnauthBulk,
};

struct Header {
  HeaderStatus status = HeaderStatus::kIncomplete;
  int64_t value = 0;
  size_t size = 0;  // bytes of the line including CR and the byte after it
};

Header ReadHeaderLimits(std::string_view data, bool bulk, const ReaderLimits& limits) {
  Header h;
  // Fast path for the common header: '*' or '$', 1-18 digits without a leading zero, CR and
  // one more byte. Anything else takes the general path below, which mirrors Redis exactly.
  if (data.size() >= 4 && (!bulk || data[0] == '$') && data[1] >= '1' && data[1] <= '9') {
    int64_t v = data[1] - '0';
    size_t i = 2;
    const size_t end = std::min<size_t>(data.size(), 19);
    while (i < end && data[i] >= '0' && data[i] <= '9') v = v * 10 + (data[i++] - '0');
    if (i + 1 < data.size() && data[i] == '\r') {
      h.size = i + 2;
      h.value = v;
      if (bulk) {
        h.status = v > limits.proto_max_bulk_len ? HeaderStatus::kBadBulk : HeaderStatus::kOk;
      } else {
        h.status = (v > 2147483647 || v > limits.max_multibulk_len) ? HeaderStatus::kBadCount
                                                                    : HeaderStatus::kOk;
      }
      return h;
    }
  }
  size_t cr = std::string_view::npos;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\r') {
      cr = i;
      break;
    }
    if (data[i] == '\0') break;
  }
  if (cr == std::string_view::npos) {
    if (data.size() > limits.inline_max_size) {
      h.status = bulk ? HeaderStatus::kTooBigBulk : HeaderStatus::kTooBigCount;
    }
    return h;
  }
  if (cr + 1 >= data.size()) return h;  // the byte after CR has not arrived
  h.size = cr + 2;
  if (bulk && data[0] != '$') {
    h.status = HeaderStatus::kNotDollar;
    return h;
  }
  int64_t v = 0;
  bool ok = ParseInt64(data.substr(1, cr - 1), &v);
  if (bulk) {
    h.status = (!ok || v < 0 || v > limits.proto_max_bulk_len) ? HeaderStatus::kBadBulk
                                                               : HeaderStatus::kOk;
  } else {
    h.status = (!ok || v > 2147483647 || v > limits.max_multibulk_len) ? HeaderStatus::kBadCount
                                                                       : HeaderStatus::kOk;
  }
  h.value = v;
  return h;
}

// Redis processMultibulkBuffer checks these after its own limits, only while authRequired().
constexpr int64_t kUnauthMaxCount = 10;
constexpr int64_t kUnauthMaxBulk = 16384;

Header ReadHeader(std::string_view data, bool bulk, const ReaderLimits& limits,
                  bool unauthenticated) {
  Header h = ReadHeaderLimits(data, bulk, limits);
  if (unauthenticated && h.status == HeaderStatus::kOk) {
    if (bulk && h.value > kUnauthMaxBulk) h.status = HeaderStatus::kUnauthBulk;
    if (!bulk && h.value > kUnauthMaxCount) h.status = HeaderStatus::kUnauthCount;
  }
  return h;
}

std::string HeaderError(const Header& h, char first) {
  switch (h.status) {
    case HeaderStatus::kTooBigCount:
      return "ERR Protocol error: too big mbulk count string";
    case HeaderStatus::kTooBigBulk:
      return "ERR Protocol error: too big bulk count string";
    case HeaderStatus::kBadCount:
      return "ERR Protocol error: invalid multibulk length";
    case HeaderStatus::kNotDollar:
      return std::string("ERR Protocol error: expected '$', got '") + first + "'";
    case HeaderStatus::kBadBulk:
      return "ERR Protocol error: invalid bulk length";
    case HeaderStatus::kUnauthCount:
      return "ERR Protocol error: unauthenticated multibulk length";
    case HeaderStatus::kUnauthBulk:
      return "ERR Protocol error: unauthenticated bulk length";
    case HeaderStatus::kOk:
    case HeaderStatus::kIncomplete:
      break;
  }
  return {};
}

bool IsError(HeaderStatus s) {
  return s != HeaderStatus::kOk && s != HeaderStatus::kIncomplete;
}

constexpr size_t kKeepArenaBytes = 64 * 1024;

}  // namespace

RequestReader::RequestReader(const ReaderLimits* limits) : limits_(limits) {
  args_.reserve(16);
}

RequestReader::~RequestReader() {
  if (hiredis_ != nullptr) redisReaderFree(hiredis_);
}

void RequestReader::Reset() {
  if (hiredis_ != nullptr) {
    redisReaderFree(hiredis_);
    hiredis_ = nullptr;
  }
  state_ = State::kStart;
  args_.clear();
  ClearArena();
  args_left_ = 0;
  body_left_ = 0;
  request_bytes_ = 0;
}

void RequestReader::ClearArena() {
  // Keep memory proportional to the current request, not to the largest one ever seen.
  if (arena_.capacity() > kKeepArenaBytes) std::string().swap(arena_);
  arena_.clear();
  if (arena_args_.capacity() > 1024) std::vector<std::pair<size_t, size_t>>().swap(arena_args_);
  arena_args_.clear();
}

void* RequestReader::OnHiredisString(const char* bytes, size_t len) {
  arena_args_.emplace_back(arena_.size(), len);
  arena_.append(bytes, len);
  return &kObjectMarker;
}

ReadStatus RequestReader::Fail(std::string_view message) {
  error_.assign(message);
  state_ = State::kFailed;
  return ReadStatus::kError;
}

ReadStatus RequestReader::Next(std::string_view data, size_t* consumed) {
  *consumed = 0;
  if (state_ == State::kFailed) return ReadStatus::kError;
  if (state_ == State::kStart && args_.capacity() > 1024) {
    // A huge request grew the argument vector; do not keep it for the connection's lifetime.
    std::vector<std::string_view>().swap(args_);
  }
  args_.clear();
  size_t total = 0;
  for (;;) {
    std::string_view rest = data.substr(total);
    size_t n = 0;
    bool empty = false;
    ReadStatus s;
    if (state_ != State::kStart) {
      s = ParseSplit(rest, &n, &empty);
    } else if (rest.empty()) {
      s = ReadStatus::kNeedMore;
    } else if (rest[0] == '*') {
      s = ParseComplete(rest, &n, &empty);
      if (s == ReadStatus::kNeedMore) s = ParseSplit(rest, &n, &empty);
    } else {
      s = ParseInline(rest, &n, &empty);
    }
    total += n;
    *consumed = total;
    if (s == ReadStatus::kCommand && empty) continue;  // blank line, *0, *-1: no reply
    return s;
  }
}

ReadStatus RequestReader::ParseInline(std::string_view data, size_t* consumed, bool* empty) {
  // Redis looks for the newline with strchr(), which stops at a NUL byte.
  size_t nl = std::string_view::npos;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\n') {
      nl = i;
      break;
    }
    if (data[i] == '\0') break;
  }
  if (nl == std::string_view::npos) {
    if (data.size() > limits_->inline_max_size) {
      return Fail("ERR Protocol error: too big inline request");
    }
    return ReadStatus::kNeedMore;
  }
  size_t line_len = nl;
  if (line_len > 0 && data[line_len - 1] == '\r') --line_len;
  ClearArena();
  if (!detail::SplitInline(data.substr(0, line_len), &arena_, &arena_args_)) {
    return Fail("ERR Protocol error: unbalanced quotes in request");
  }
  *consumed = nl + 1;
  *empty = arena_args_.empty();
  for (const auto& [off, len] : arena_args_) args_.emplace_back(arena_.data() + off, len);
  return ReadStatus::kCommand;
}

ReadStatus RequestReader::ParseComplete(std::string_view data, size_t* consumed, bool* empty) {
  const ReaderLimits& lim = *limits_;
  Header h = ReadHeader(data, false, lim, unauthenticated_);
  if (h.status == HeaderStatus::kIncomplete) return ReadStatus::kNeedMore;
  if (IsError(h.status)) return Fail(HeaderError(h, data[0]));
  size_t pos = h.size;
  if (h.value <= 0) {
    *consumed = pos;
    *empty = true;
    return ReadStatus::kCommand;
  }
  // A count larger than what the buffer could possibly hold is incomplete; do not reserve for it.
  args_.reserve(static_cast<size_t>(std::min<int64_t>(h.value, 1024)));
  for (int64_t i = 0; i < h.value; ++i) {
    Header b = ReadHeader(data.substr(pos), true, lim, unauthenticated_);
    if (b.status == HeaderStatus::kIncomplete) break;
    if (IsError(b.status)) return Fail(HeaderError(b, data[pos]));
    pos += b.size;
    uint64_t len = static_cast<uint64_t>(b.value);
    // The two bytes after the payload are skipped unchecked, as Redis and hiredis do.
    if (data.size() - pos < len + 2) break;
    args_.emplace_back(data.data() + pos, len);
    pos += len + 2;
  }
  if (args_.size() != static_cast<size_t>(h.value)) {
    args_.clear();
    return ReadStatus::kNeedMore;
  }
  *consumed = pos;
  return ReadStatus::kCommand;
}

void RequestReader::Feed(std::string_view bytes) {
  if (!bytes.empty()) redisReaderFeed(hiredis_, bytes.data(), bytes.size());
}

void RequestReader::FeedHeader(char type, int64_t n) {
  char buf[kMaxInt64Chars + 3];
  buf[0] = type;
  std::string_view digits = FormatInt64(n, buf + 1);
  size_t len = 1 + digits.size();
  buf[len++] = '\r';
  buf[len++] = '\n';
  redisReaderFeed(hiredis_, buf, len);
}

ReadStatus RequestReader::NeedMore(size_t unconsumed) {
  if (request_bytes_ + unconsumed > limits_->query_buffer_limit) return Fail("");
  return ReadStatus::kNeedMore;
}

ReadStatus RequestReader::ParseSplit(std::string_view data, size_t* consumed, bool* empty) {
  const ReaderLimits& lim = *limits_;
  size_t pos = 0;
  for (;;) {
    std::string_view rest = data.substr(pos);
    *consumed = pos;
    switch (state_) {
      case State::kStart: {
        Header h = ReadHeader(rest, false, lim, unauthenticated_);
        if (h.status == HeaderStatus::kIncomplete) return NeedMore(rest.size());
        if (IsError(h.status)) return Fail(HeaderError(h, rest[0]));
        pos += h.size;
        if (h.value <= 0) {
          *consumed = pos;
          *empty = true;
          return ReadStatus::kCommand;
        }
        if (hiredis_ == nullptr) {
          hiredis_ = redisReaderCreateWithFunctions(&kFunctions);
          if (hiredis_ == nullptr) return Fail("");
          hiredis_->privdata = this;  // the 0.14 macro casts the result to int
        }
        ClearArena();
        FeedHeader('*', h.value);
        args_left_ = h.value;
        request_bytes_ = h.size;
        state_ = State::kBulkHeader;
        break;
      }
      case State::kBulkHeader: {
        Header h = ReadHeader(rest, true, lim, unauthenticated_);
        if (h.status == HeaderStatus::kIncomplete) return NeedMore(rest.size());
        if (IsError(h.status)) return Fail(HeaderError(h, rest[0]));
        pos += h.size;
        request_bytes_ += h.size;
        FeedHeader('$', h.value);
        body_left_ = static_cast<uint64_t>(h.value) + 2;
        state_ = State::kBulkBody;
        break;
      }
      case State::kBulkBody: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(body_left_, rest.size()));
        Feed(rest.substr(0, take));
        pos += take;
        request_bytes_ += take;
        body_left_ -= take;
        if (body_left_ > 0) {
          *consumed = pos;
          return NeedMore(0);
        }
        if (--args_left_ > 0) {
          state_ = State::kBulkHeader;
          break;
        }
        *consumed = pos;
        if (!FinishSplitRequest()) return Fail("ERR Protocol error: unreadable request");
        return ReadStatus::kCommand;
      }
      case State::kFailed:
        return ReadStatus::kError;
    }
  }
}

bool RequestReader::FinishSplitRequest() {
  void* reply = nullptr;
  int rc = redisReaderGetReply(hiredis_, &reply);
  state_ = State::kStart;
  request_bytes_ = 0;
  if (rc != REDIS_OK || reply == nullptr) return false;
  args_.clear();
  for (const auto& [off, len] : arena_args_) args_.emplace_back(arena_.data() + off, len);
  return true;
}

}  // namespace kvgate::resp

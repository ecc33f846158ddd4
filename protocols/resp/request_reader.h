// File: protocols/resp/request_reader.h
// Incremental RESP request parser: turns a connection's input bytes into commands (arrays of
// binary-safe arguments), byte-compatible with redis-server 7.0's processMultibulkBuffer and
// processInlineBuffer (specs/resp-subset.md §1).
//
//   RequestReader reader(limits);
//   size_t pos = 0, n = 0;
//   while (reader.Next(in.Data().substr(pos), &n) == ReadStatus::kCommand) { pos += n;
//   Run(reader.args()); } pos += n; in.Consume(pos);   // after kNeedMore; on kError reply
//   reader.error() and close
//
// Three paths, one grammar:
//  * fast path: a multibulk request that is complete in `data` is parsed in place; its
//    arguments are views into `data` (no copy).
//  * split path: a multibulk request that is not complete yet is streamed into hiredis's
//    redisReader (required by the project) and consumed from `data`; every `*N` and `$len` header
//    is checked against the limits by our own scanner BEFORE hiredis sees it, and hiredis only
//    ever receives canonical headers, so its missing limits and laxer grammar never matter.
//    Arguments are copied into the reader's arena.
//  * inline path: a line of text (telnet), split with Redis's quoting rules into the arena.
// Fast and split paths produce identical commands for the same byte stream (fuzzed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct redisReader;

namespace kvgate::resp {

struct ReaderLimits {
  // Largest bulk argument (`$len`); Redis proto-max-bulk-len.
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  // Largest `*N`; Redis 7 accepts up to INT_MAX and never preallocates for it.
  int64_t max_multibulk_len = 2147483647;
  // Longest inline line, and longest `*N` / `$len` header line (PROTO_INLINE_MAX_SIZE).
  size_t inline_max_size = 64 * 1024;
  // Bytes a single pending request may buffer (client-query-buffer-limit); over it the
  // connection is closed without a reply, as Redis does.
  uint64_t query_buffer_limit = 1024ULL * 1024 * 1024;
};

enum class ReadStatus : uint8_t {
  kCommand,   // args() holds a command; `consumed` bytes of data belong to it (and before it)
  kNeedMore,  // no complete command; `consumed` bytes were absorbed (blank lines, split path)
  kError,     // protocol error: reply error() (if not empty) and close the connection
};

class RequestReader {
 public:
  // `limits` must outlive the reader; it is read on every call, so CONFIG SET applies at once.
  explicit RequestReader(const ReaderLimits* limits);
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  // Parses at most one command from `data` (the unconsumed input). Sets *consumed to the bytes
  // the caller must drop from the front of its input (also for kNeedMore). Views in args() are
  // valid until the next Next() call and until those bytes are dropped.
  ReadStatus Next(std::string_view data, size_t* consumed);

  std::span<const std::string_view> args() const {
    return {args_.data(), args_.size()};
  }
  // After kError: the error line without '-' and CRLF ("ERR Protocol error: ..."); empty means
  // close without replying (query buffer limit).
  std::string_view error() const {
    return error_;
  }
  // True while a split request has been partly absorbed.
  bool in_request() const {
    return state_ != State::kStart;
  }
  // Bytes held for the current split request (for CLIENT LIST qbuf and limits).
  size_t buffered_bytes() const {
    return request_bytes_;
  }
  // Drops any partial request and returns memory held for large ones.
  void Reset();
  // A client that must still authenticate: Redis allows it at most 10 arguments of 16 KiB each
  // ("Protocol error: unauthenticated multibulk length" / "... bulk length", then close).
  void set_unauthenticated(bool v) {
    unauthenticated_ = v;
  }

  // hiredis callbacks (implementation detail, public for the C trampolines).
  void* OnHiredisString(const char* bytes, size_t len);

 private:
  enum class State : uint8_t { kStart, kBulkHeader, kBulkBody, kFailed };
  enum class Line : uint8_t { kOk, kIncomplete, kTooBig };

  ReadStatus ParseInline(std::string_view data, size_t* consumed, bool* empty);
  // Whole request in place; kNeedMore when incomplete (nothing consumed then).
  ReadStatus ParseComplete(std::string_view data, size_t* consumed, bool* empty);
  ReadStatus ParseSplit(std::string_view data, size_t* consumed, bool* empty);
  ReadStatus Fail(std::string_view message);
  ReadStatus NeedMore(size_t unconsumed);
  void Feed(std::string_view bytes);
  void FeedHeader(char type, int64_t n);
  bool FinishSplitRequest();
  void ClearArena();

  const ReaderLimits* limits_;
  bool unauthenticated_ = false;
  State state_ = State::kStart;
  std::vector<std::string_view> args_;
  std::string arena_;
  std::vector<std::pair<size_t, size_t>> arena_args_;  // offset, length (arena may grow)
  std::string error_;
  redisReader* hiredis_ = nullptr;
  int64_t args_left_ = 0;   // split path: arguments still to read
  uint64_t body_left_ = 0;  // split path: payload + 2 trailing bytes still to read
  size_t request_bytes_ = 0;
};

}  // namespace kvgate::resp

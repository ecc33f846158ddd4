// File: translate/redis/arg_parser.h
// Option parsing with a latched error (Dragonfly's cmd_arg_parser.h): parse everything, then
// check the error once. The first error wins; later calls become no-ops returning defaults.
//
//   ArgParser p(ctx.args, 3);
//   while (!p.Done()) { if (p.Keyword("NX")) nx = true; else if (p.Keyword("EX")) ex = p.Next();
//   else p.Fail(kSyntaxError); } if (p.ReplyIfError(ctx.w)) return;
#pragma once

#include <cassert>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "protocols/resp/reply_writer.h"

namespace kvgate::redis {

// Redis getIntFromObjectOrReply: a canonical int64 that also fits an int (SELECT, SWAPDB).
bool ParseInt(std::string_view s, int* out);

class ArgParser {
 public:
  ArgParser(std::span<const std::string_view> args, size_t pos) : args_(args), pos_(pos) {
  }
  ~ArgParser() {
    assert((checked_ || error_.empty()) && "ArgParser error never checked");
  }
  ArgParser(const ArgParser&) = delete;
  ArgParser& operator=(const ArgParser&) = delete;

  bool Done() const {
    return !error_.empty() || pos_ >= args_.size();
  }
  size_t Remaining() const {
    return pos_ >= args_.size() ? 0 : args_.size() - pos_;
  }
  size_t pos() const {
    return pos_;
  }
  // Consumes the next argument if it is `keyword` (case-insensitive; compared as a C string).
  bool Keyword(std::string_view keyword);
  // The next argument; latches a syntax error if there is none.
  std::string_view Next();
  // The next argument as a canonical int64; latches "not an integer" (or a syntax error if
  // missing).
  int64_t NextInt64();
  void Fail(std::string_view text);

  bool ok() const {
    return error_.empty();
  }
  std::string_view error() {
    checked_ = true;
    return error_;
  }
  // Writes the latched error, if any, and returns true then.
  bool ReplyIfError(resp::ReplyWriter& w);

 private:
  std::span<const std::string_view> args_;
  size_t pos_;
  std::string error_;
  bool checked_ = false;
};

}  // namespace kvgate::redis

#include "translate/redis/arg_parser.h"

#include "protocols/resp/number.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"

namespace kvgate::redis {

bool ParseInt(std::string_view s, int* out) {
  int64_t v = 0;
  if (!resp::ParseInt64(s, &v) || v < INT32_MIN || v > INT32_MAX) return false;
  *out = static_cast<int>(v);
  return true;
}

bool ArgParser::Keyword(std::string_view keyword) {
  if (Done()) return false;
  if (!EqualsIgnoreCase(CString(args_[pos_]), keyword)) return false;
  ++pos_;
  return true;
}

std::string_view ArgParser::Next() {
  if (Done()) {
    Fail(kSyntaxError);
    return {};
  }
  return args_[pos_++];
}

int64_t ArgParser::NextInt64() {
  std::string_view s = Next();
  if (!ok()) return 0;
  int64_t v = 0;
  if (!resp::ParseInt64(s, &v)) Fail(kNotInteger);
  return v;
}

void ArgParser::Fail(std::string_view text) {
  if (error_.empty()) error_.assign(text);
  checked_ = false;
}

bool ArgParser::ReplyIfError(resp::ReplyWriter& w) {
  checked_ = true;
  if (error_.empty()) return false;
  w.Error(error_);
  return true;
}

}  // namespace kvgate::redis

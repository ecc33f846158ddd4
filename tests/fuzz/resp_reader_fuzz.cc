// File: tests/fuzz/resp_reader_fuzz.cc
// libFuzzer target for the RESP request reader. The first input byte picks a split point; the
// rest is parsed (1) whole, where complete multibulk requests take the in-place fast path, and
// (2) in two chunks, where requests crossing the cut go through hiredis. Both must yield the same
// commands and the same error; with tiny limits no argument may exceed them.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target resp_reader_fuzz
//   build/fuzz/tests/fuzz/resp_reader_fuzz -dict=tests/fuzz/dict/resp_reader_fuzz.dict \
//       tests/fuzz/corpus/resp_reader_fuzz
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocols/resp/request_reader.h"
#include "tests/protocols/resp/reader_harness.h"

using kvgate::resp::ReaderLimits;
using kvgate::resp::ReadStatus;
using kvgate::resp::RequestReader;
using kvgate::resp::testing::Drive;

namespace {

// Parses with tiny limits, one byte at a time past `cut`, checking the limits hold.
void CheckLimits(std::string_view input, size_t cut) {
  ReaderLimits limits;
  limits.proto_max_bulk_len = 64;
  limits.max_multibulk_len = 16;
  limits.inline_max_size = 32;
  limits.query_buffer_limit = 256;
  RequestReader reader(&limits);
  std::string buf;
  size_t fed = 0;
  while (fed < input.size()) {
    size_t take = fed < cut ? cut - fed : 1;
    buf.append(input.substr(fed, take));
    fed += take;
    size_t pos = 0;
    for (;;) {
      size_t n = 0;
      ReadStatus s = reader.Next(std::string_view(buf).substr(pos), &n);
      if (n > buf.size() - pos) abort();
      pos += n;
      if (s == ReadStatus::kError) return;
      if (s == ReadStatus::kNeedMore) break;
      if (reader.args().empty()) abort();
      if (reader.args().size() > 16 && reader.args().size() > cut) abort();  // as below
      for (std::string_view a : reader.args()) {
        // Multibulk arguments are bounded by proto-max-bulk-len; an inline line may be longer
        // than inline_max_size only if it arrived whole, with its newline, in the first chunk.
        if (a.size() > 64 && a.size() > cut) abort();
      }
    }
    buf.erase(0, pos);
    if (reader.buffered_bytes() > limits.query_buffer_limit) abort();
    // Between requests the reader holds at most one header or inline line. Like Redis, it only
    // refuses a line for its length when no CR has arrived: a line whose CR came in the first
    // chunk (but not the byte after it) waits whole, so that chunk's size also bounds it.
    if (!reader.in_request() &&
        buf.size() > std::max<size_t>(cut + 1, 2 * limits.inline_max_size) + 64) {
      abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t cut = input.empty() ? 0 : data[0] % (input.size() + 1);
  ReaderLimits limits;  // defaults: inputs are far below every limit, so chunking cannot matter
  auto whole = Drive(input, {}, limits);
  auto split = Drive(input, {cut}, limits);
  if (!(whole == split)) abort();
  CheckLimits(input, cut);
  return 0;
}

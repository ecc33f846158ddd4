// File: protocols/rdb/lzf.h
// LZF as Redis uses it for RDB strings (lzf_c.c / lzf_d.c, HLOG 16, VERY_FAST): the compressor
// reproduces redis-server's output byte for byte (DUMP payloads compare equal), the
// decompressor checks every bound (RESTORE of hostile payloads).
//
//   std::string out;
//   if (LzfCompress(in, in.size() - 4, &out)) ...   // fits in in.size() - 4 bytes
//   LzfDecompress(out, in.size(), &back);            // true: back == in
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kvgate::rdb {

// Compresses `in` into *out when the result fits in `max_out` bytes (false otherwise, as
// lzf_compress returning 0). An empty input never compresses.
bool LzfCompress(std::string_view in, size_t max_out, std::string* out);
// Decompresses `in` into exactly `out_len` bytes; false on any malformed input (a back
// reference before the start, a run past either end, a length other than out_len).
bool LzfDecompress(std::string_view in, size_t out_len, std::string* out);

}  // namespace kvgate::rdb

// File: tests/engine/support/codec_checks.h
// Checks shared by the collection codec tests (collection_codec_test.cc,
// collection_codec_stream_test.cc): a round trip that compares what every collection shows
// (size, OBJECT ENCODING, memory within reason, the same bytes when encoded again), and the
// hostile-input sweeps: every truncation refused, flipped bytes refused or decoded to a value
// that encodes back to exactly those bytes (the decoder accepts canonical bytes only).
//
//   std::unique_ptr<Collection> back = RoundTrip(h);   // then compare type-specific state
//   CheckTruncations(ValueType::kHash, Encode(h));
//   CheckFlips(ValueType::kHash, Encode(h));
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/collection.h"
#include "engine/collection_codec.h"

namespace kvgate::engine::codec_test {

inline std::string Encode(const Collection& c) {
  std::string out;
  EncodeCollection(c, &out);
  return out;
}

// Memory that depends on capacities and random skiplist levels: equal within a quarter.
inline bool Near(uint64_t a, uint64_t b) {
  const uint64_t hi = std::max(a, b);
  const uint64_t lo = std::min(a, b);
  return hi - lo <= hi / 4 + 256;
}

// Decodes what `c` encodes to and checks what all collections share (memory near the
// original's or a copy's); the caller compares the type's own state on the result.
template <typename T>
std::unique_ptr<T> RoundTrip(const T& c) {
  const std::string bytes = Encode(c);
  std::unique_ptr<Collection> back = DecodeCollection(c.type(), bytes);
  REQUIRE(back != nullptr);
  REQUIRE(back->type() == c.type());
  CHECK(back->size() == c.size());
  CHECK(back->EncodingName() == c.EncodingName());
  // A loaded value is laid out afresh, as a copy (Clone) is: holes and spare capacity go.
  CHECK((Near(back->MemoryBytes(), c.MemoryBytes()) ||
         Near(back->MemoryBytes(), c.Clone()->MemoryBytes())));
  CHECK(Encode(*back) == bytes);
  return std::unique_ptr<T>(static_cast<T*>(back.release()));
}

// Every proper prefix is refused (the format is length-prefixed throughout). `stride` > 1
// samples the prefixes of a large value.
inline void CheckTruncations(ValueType type, const std::string& bytes, size_t stride = 1) {
  size_t accepted = 0;
  for (size_t n = 0; n < bytes.size(); n += stride) {
    if (DecodeCollection(type, std::string_view(bytes).substr(0, n)) != nullptr) ++accepted;
  }
  CHECK(accepted == 0);
  CHECK(DecodeCollection(type, bytes) != nullptr);
}

// Flipping bits anywhere never crashes; what still decodes encodes back to the same bytes.
inline void CheckFlips(ValueType type, const std::string& bytes) {
  size_t not_canonical = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {0x01, 0x02, 0x40, 0x80, 0xff}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      if (auto c = DecodeCollection(type, bad); c != nullptr && Encode(*c) != bad) ++not_canonical;
    }
  }
  CHECK(not_canonical == 0);
}

}  // namespace kvgate::engine::codec_test

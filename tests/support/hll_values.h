// File: tests/support/hll_values.h
// A HyperLogLog header as Redis lays it out (translate/redis/hyperloglog.h), for tests that build
// HLL values by hand: "HYLL", the encoding byte (0 dense, 1 sparse), three unused bytes and the
// cached count, zero but for its last byte (0x80: stale).
//
//   SET h (HllHeader('\x01') + "\x7f\xff")   // an empty sparse HLL with a stale cache
#pragma once

#include <string>

namespace kvgate::testing {

inline std::string HllHeader(char encoding, char card7 = '\x80') {
  std::string h("HYLL", 4);
  h.push_back(encoding);
  h.append(10, '\0');
  h.push_back(card7);
  return h;
}

}  // namespace kvgate::testing

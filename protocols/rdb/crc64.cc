// File: protocols/rdb/crc64.cc
// Table-driven reflected CRC-64 (crc64.h).
#include "protocols/rdb/crc64.h"

#include <array>

namespace kvgate::rdb {
namespace {

// The Jones polynomial bit-reversed: a reflected CRC shifts right.
constexpr uint64_t kReflectedPoly = 0x95ac9329ac4bc9b5ull;

constexpr std::array<uint64_t, 256> MakeTable() {
  std::array<uint64_t, 256> t{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? (c >> 1) ^ kReflectedPoly : c >> 1;
    t[i] = c;
  }
  return t;
}

constexpr std::array<uint64_t, 256> kTable = MakeTable();

}  // namespace

uint64_t Crc64(uint64_t crc, std::string_view data) {
  for (unsigned char b : data) crc = kTable[(crc ^ b) & 0xff] ^ (crc >> 8);
  return crc;
}

}  // namespace kvgate::rdb

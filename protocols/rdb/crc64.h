// File: protocols/rdb/crc64.h
// Redis's CRC-64 (crc64.c): the Jones polynomial 0xad93d23594c935a9, reflected input and
// output, initial value 0, no final xor. DUMP payloads end with it (little endian).
//
//   Crc64(0, "123456789") == 0xe9c6d914c4b8d9ca
#pragma once

#include <cstdint>
#include <string_view>

namespace kvgate::rdb {

// Continues `crc` over `data` (0 to start).
uint64_t Crc64(uint64_t crc, std::string_view data);

}  // namespace kvgate::rdb

// File: protocols/rdb/rdb_format.h
// The pieces of redis-server 7.0's RDB serialization that DUMP payloads are made of (rdb.c):
// object type numbers, lengths (6/14/32/64 bit), strings (raw, integer-encoded, LZF),
// doubles (binary and the old text form) and the DUMP footer (RDB version, CRC-64).
//
//   std::string p;
//   p.push_back(rdb::kTypeString);
//   rdb::AppendString(&p, "hello");
//   rdb::AppendFooter(&p);                         // what DUMP replies
//   rdb::Reader r(rdb::PayloadBody(p));            // after VerifyFooter(p)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kvgate::rdb {

// rdb.h object types (7.0).
enum Type : uint8_t {
  kTypeString = 0,
  kTypeList = 1,
  kTypeSet = 2,
  kTypeZSet = 3,
  kTypeHash = 4,
  kTypeZSet2 = 5,
  kTypeHashZipmap = 9,
  kTypeListZiplist = 10,
  kTypeSetIntset = 11,
  kTypeZSetZiplist = 12,
  kTypeHashZiplist = 13,
  kTypeListQuicklist = 14,
  kTypeStreamListpacks = 15,
  kTypeHashListpack = 16,
  kTypeZSetListpack = 17,
  kTypeListQuicklist2 = 18,
  kTypeStreamListpacks2 = 19,
};

// The RDB version redis-server 7.0 writes; it refuses payloads of newer versions.
inline constexpr uint16_t kRdbVersion = 10;
// Footer: 2 bytes of version, 8 of CRC-64, both little endian.
inline constexpr size_t kFooterSize = 10;

// Redis string2ll's strict test (also listpack's lpStringToInt64): decimal, no '+', no leading
// zeros, no "-0", at most 20 characters.
bool ParseCanonicalInt64(std::string_view s, int64_t* out);

void AppendLen(std::string* out, uint64_t len);
// rdbSaveRawString with rdbcompression yes: integer-encoded when it is a canonical integer of
// at most 11 characters that fits 32 bits, LZF when longer than 20 bytes and that saves at
// least 4 bytes, else raw.
void AppendString(std::string* out, std::string_view s);
// rdbSaveLongLongAsStringObject: integer-encoded when it fits 32 bits, else its decimal text.
void AppendInteger(std::string* out, int64_t v);
void AppendBinaryDouble(std::string* out, double v);
// rdbSaveMillisecondTime: 8 bytes, little endian.
void AppendMillisecondTime(std::string* out, int64_t ms);
// Appends version and CRC-64 (over everything before the CRC) to a payload.
void AppendFooter(std::string* payload);

// verifyDumpPayload: at least a footer, version <= kRdbVersion, CRC matching.
bool VerifyFooter(std::string_view payload);
// The payload without its footer (VerifyFooter must have passed).
inline std::string_view PayloadBody(std::string_view payload) {
  return payload.substr(0, payload.size() - kFooterSize);
}

// A bounded cursor over a payload body. Every load fails (false) rather than read past the
// end; lengths are only trusted as far as the bytes left can back them.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {
  }
  size_t remaining() const {
    return data_.size() - pos_;
  }
  bool LoadByte(uint8_t* out);
  // A length; *encoded set for the special (RDB_ENCVAL) forms, whose kind is then *out.
  bool LoadLen(uint64_t* out, bool* encoded = nullptr);
  // A string in any form (raw, integer-encoded, LZF).
  bool LoadString(std::string* out);
  bool LoadBinaryDouble(double* out);
  bool LoadMillisecondTime(int64_t* out);
  // `n` bytes as they are (stream PEL IDs).
  bool LoadRaw(size_t n, std::string_view* out) {
    return Take(n, out);
  }
  // The text form of RDB_TYPE_ZSET scores (253 nan, 254 inf, 255 -inf, else length + text).
  bool LoadTextDouble(double* out);

 private:
  bool Take(size_t n, std::string_view* out);

  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace kvgate::rdb

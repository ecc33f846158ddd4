// File: tests/fuzz/restore_fuzz.cc
// libFuzzer target for RESTORE's decoder (translate/redis/rdb/dump_codec.h). The input is a
// payload body (type byte, object); a valid footer is appended so the decoder itself is
// exercised, not only the checksum. A decoded value must be non-empty and encode again into a
// payload that decodes to an equal value (same DUMP bytes). The first byte's high bit, when
// set, lowers the thresholds so the conversions on load run too.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target restore_fuzz
//   build/fuzz/tests/fuzz/restore_fuzz tests/fuzz/corpus/restore_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/types.h"
#include "protocols/rdb/rdb_format.h"
#include "translate/redis/rdb/dump_codec.h"

namespace {

void Require(bool ok) {
  if (!ok) abort();
}

kvgate::engine::EntryView ViewOf(const kvgate::redis::DecodedValue& v) {
  kvgate::engine::EntryView e;
  e.key = "k";
  e.type = v.type;
  e.value = v.bytes;
  e.object = v.object.get();
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string payload(reinterpret_cast<const char*>(data), size);
  kvgate::redis::CollectionLimits lim;
  if ((data[0] & 0x80) != 0) {
    payload[0] = static_cast<char>(data[0] & 0x7f);
    lim = {4, 8, 4, 4, 8};
  }
  kvgate::rdb::AppendFooter(&payload);
  Require(kvgate::rdb::VerifyFooter(payload));
  kvgate::redis::DecodedValue v;
  if (!kvgate::redis::DecodeDump(kvgate::rdb::PayloadBody(payload), lim, &v)) return 0;
  // Empty collections are refused, except a stream, which Redis keeps (and restores) empty.
  if (v.object && v.object->RemovedWhenEmpty()) Require(v.object->size() > 0);
  // Every decoded value encodes, and decodes again to the same bytes.
  const std::string again = kvgate::redis::EncodeDump(ViewOf(v));
  Require(kvgate::rdb::VerifyFooter(again));
  kvgate::redis::DecodedValue w;
  Require(kvgate::redis::DecodeDump(kvgate::rdb::PayloadBody(again), lim, &w));
  Require(w.type == v.type);
  Require(kvgate::redis::EncodeDump(ViewOf(w)) == again);
  return 0;
}

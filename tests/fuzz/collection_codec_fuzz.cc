// File: tests/fuzz/collection_codec_fuzz.cc
// libFuzzer target for the collection codec (engine/collection_codec.h), what recovery will
// read back from snapshots and the redo log. The first input byte picks the type (its value
// mod 8: 0 string and 6, 7 unknown, all refused); the rest is decoded. The decoder accepts
// canonical bytes only, so a decoded value must encode back to exactly its input, and so must
// a copy of it (Clone, copy on write) and the value decoded again.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target collection_codec_fuzz
//   build/fuzz/tests/fuzz/collection_codec_fuzz tests/fuzz/corpus/collection_codec_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "engine/collection.h"
#include "engine/collection_codec.h"

namespace {

using kvgate::engine::Collection;
using kvgate::engine::ValueType;

void Require(bool ok) {
  if (!ok) abort();
}

std::string Encode(const Collection& c) {
  std::string out;
  kvgate::engine::EncodeCollection(c, &out);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t tag = data[0] % 8;
  const auto type = static_cast<ValueType>(tag);
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::unique_ptr<Collection> c = kvgate::engine::DecodeCollection(type, bytes);
  if (type == ValueType::kString || tag > static_cast<uint8_t>(ValueType::kStream)) {
    Require(c == nullptr);
    return 0;
  }
  if (c == nullptr) return 0;
  Require(c->type() == type);
  Require(!c->EncodingName().empty() && c->MemoryBytes() > 0);
  const std::string again = Encode(*c);
  Require(again == bytes);
  Require(Encode(*c->Clone()) == bytes);
  std::unique_ptr<Collection> d = kvgate::engine::DecodeCollection(type, again);
  Require(d != nullptr && d->size() == c->size() && Encode(*d) == again);
  return 0;
}

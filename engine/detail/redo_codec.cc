// File: engine/detail/redo_codec.cc
// Varint/string encoding of redo payloads and the framing done in place (redo_codec.h).
//
//   RedoWriter w(&redo, RedoType::kFlush); w.Str("db0"); w.Finish();
#include "engine/detail/redo_codec.h"

namespace kvgate::engine::detail {

namespace {
constexpr uint8_t kConfigVersion = 1;
}  // namespace

RedoWriter::RedoWriter(RedoBuffer* buffer, RedoType type)
    : buffer_(buffer), out_(&buffer->bytes), start_(buffer->bytes.size()) {
  out_->append(kRedoHeaderBytes, '\0');
  Byte(static_cast<uint8_t>(type));
}

void RedoWriter::Config(const BucketConfig& c) {
  Byte(kConfigVersion);
  Uint(c.history);
  Int(c.max_age_ns);
  Int(c.max_value_size);
  Int(c.max_bytes);
  Int(c.max_keys);
  Byte(static_cast<uint8_t>((c.allow_key_ttl ? 1 : 0) | (c.marker_on_max_age ? 2 : 0)));
  Int(c.tombstone_ttl_ns);
  Byte(static_cast<uint8_t>(c.storage));
  Str(c.description);
  Str(c.attachment);
}

void RedoWriter::Finish() {
  SealRedoFrame(out_->data() + start_, out_->size() - start_ - kRedoHeaderBytes);
  ++buffer_->records;
}

BucketConfig RedoReader::Config() {
  BucketConfig c;
  const bool version_ok = Byte() == kConfigVersion;
  const uint64_t history = Uint();
  c.history = history <= 64 ? static_cast<uint32_t>(history) : 0;
  c.max_age_ns = Int();
  c.max_value_size = Int();
  c.max_bytes = Int();
  c.max_keys = Int();
  const uint8_t flags = Byte();
  c.allow_key_ttl = (flags & 1) != 0;
  c.marker_on_max_age = (flags & 2) != 0;
  c.tombstone_ttl_ns = Int();
  const uint8_t storage = Byte();
  ok_ = ok_ && version_ok && storage <= static_cast<uint8_t>(Storage::kFile);
  c.storage = static_cast<Storage>(storage);
  c.description = std::string(Str());
  c.attachment = std::string(Str());
  return c;
}

}  // namespace kvgate::engine::detail

// File: engine/collection_codec.h
// Collections as bytes for persistence (snapshots and the redo log, docs/design.md "Persistence
// (planned)"): EncodeCollection writes the complete observable state of a hash, list, set,
// sorted set or stream, and DecodeCollection rebuilds an object that every command sees the
// same way (contents, order, OBJECT ENCODING, stream nodes and consumer groups). The bytes are
// a versioned little-endian format (docs in collection_codec.cc); the type tag is the caller's.
// Decoding is strict: it accepts exactly the bytes the encoder writes, so decoding and encoding
// again gives the input back, and anything else (hostile, torn, trailing bytes) is refused.
//
//   std::string bytes;
//   EncodeCollection(*h, &bytes);                      // store h->type() beside it
//   std::unique_ptr<Collection> back = DecodeCollection(ValueType::kHash, bytes);
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/collection.h"

namespace kvgate::engine {

// Appends the complete state of `c` to *out (not the type tag: the caller stores c.type()).
void EncodeCollection(const Collection& c, std::string* out);
// Rebuilds a collection of `type` from bytes EncodeCollection wrote; nullptr if the bytes are
// malformed, truncated, have trailing garbage, or the type is kString/unknown. Never crashes,
// never allocates unboundedly on hostile input (lengths are checked against the remaining bytes).
std::unique_ptr<Collection> DecodeCollection(ValueType type, std::string_view bytes);

}  // namespace kvgate::engine

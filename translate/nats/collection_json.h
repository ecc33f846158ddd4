// File: translate/nats/collection_json.h
// What a NATS KV get answers for a key holding a Redis collection (README "Typed keys on the
// NATS side"): the message carries a `KV-Type` header (hash, list, set, zset, stream) and a JSON
// rendering of the collection as its data, e.g. {"name":"ann","age":"7"} for a hash, and
// [["a",1],["b",2.5],["c","inf"]] for a zset (members in order; infinite scores as strings),
// [["1-1",["f","v"]]] for a stream (entries as XRANGE - + lists them). Watches
// and consumers get the header with an empty body instead (O(1) per change, whatever the size).
// Bytes that are not UTF-8 text are escaped as the JSON writer escapes them.
//
//   std::string body = CollectionJson(*entry.object);
#pragma once

#include <string>

#include "engine/collection.h"

namespace kvgate::nats {

std::string CollectionJson(const engine::Collection& c);

}  // namespace kvgate::nats

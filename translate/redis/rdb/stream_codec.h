// File: translate/redis/rdb/stream_codec.h
// Streams in DUMP / RESTORE payloads as redis-server 7.0 writes them (RDB_TYPE_STREAM_LISTPACKS_2,
// rdbSaveObject): the node count, each node's radix-tree key (its first ID, 128 bits big
// endian) and listpack (a master entry of counts and the first entry's fields, then per entry
// its flags, ID deltas, fields unless they are the master's, values and piece count), then
// length, last ID, first ID, max deleted ID, entries added and the consumer groups (each with
// its PEL and consumers). The node listpacks are the bytes Redis holds, so DUMP compares equal
// and MEMORY USAGE sizes them.
//
//   std::string out;
//   EncodeStream(stream, &out);              // type byte included
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/collection.h"
#include "engine/collections/stream_value.h"
#include "protocols/rdb/rdb_format.h"

namespace kvgate::redis {

// A node's radix-tree key (streamEncodeID).
std::string StreamNodeKey(engine::StreamId id);
// The nodes of the radix tree Redis keeps over the node keys (XINFO radix-tree-nodes).
uint64_t StreamRaxNodes(const engine::StreamValue& s);
// Node `i`'s listpack as Redis holds it.
std::string StreamNodeListpack(const engine::StreamValue& s, size_t i);
void EncodeStream(const engine::StreamValue& s, std::string* out);
// After the type byte (15 or 19); false on malformed bytes or inconsistent groups.
bool DecodeStream(rdb::Reader& r, uint8_t type, engine::StreamValue* out);

}  // namespace kvgate::redis

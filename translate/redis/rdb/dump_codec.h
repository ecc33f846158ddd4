// File: translate/redis/rdb/dump_codec.h
// DUMP / RESTORE payloads of engine values in redis-server 7.0's format (protocols/rdb): the
// object type byte, the object as rdbSaveObject writes it, then the RDB version and CRC-64.
// Strings, hashes (listpack / hashtable), sets (intset / hashtable) and sorted sets (listpack /
// skiplist) encode as redis-server would for the same value in the same encoding, so DUMP
// bytes compare equal wherever Redis's own order is deterministic (all but the hashtables).
// Decoding accepts every 7.0 form of those types plus the ziplist forms of older RDB versions,
// validates every byte, and never allocates more than the payload's size backs. Streams (no
// consumer groups yet) are laid out by stream_codec.h.
//
//   std::string p = EncodeDump(entry);                 // DUMP's reply
//   DecodedValue v;
//   if (!rdb::VerifyFooter(p)) ...                     // "payload version or checksum"
//   if (!DecodeDump(rdb::PayloadBody(p), limits, &v)) ...   // "Bad data format"
//
// Lists plug in with one case on each side: EncodeDump's kList (RDB_TYPE_LIST_QUICKLIST_2:
// node count, then per node its container kind 2 (packed) and its listpack blob) and
// DecodeDump's list types (10 ziplist, 14 quicklist of ziplists, 18 quicklist 2).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/collection.h"
#include "engine/types.h"

namespace kvgate::engine {
class HashValue;
class ListValue;
class ZSetValue;
}  // namespace kvgate::engine

namespace kvgate::redis {

// The encoding thresholds a restored collection is labelled by (the session's config).
struct CollectionLimits {
  size_t hash_max_listpack_entries = 512;
  size_t hash_max_listpack_value = 64;
  size_t set_max_intset_entries = 512;
  size_t zset_max_listpack_entries = 128;
  size_t zset_max_listpack_value = 64;
};

// The listpacks redis-server holds for a small hash / sorted set (DUMP, MEMORY USAGE).
std::string HashListpack(const engine::HashValue& h);
std::string ZSetListpack(const engine::ZSetValue& z);
// A list's quicklist nodes as redis-server 7.0 fills them when the list is built by RPUSH at
// list-max-listpack-size -2: each node's listpack takes elements while its bytes plus the
// element's length plus 8 stay within 8 KiB.
std::vector<std::string> ListNodes(const engine::ListValue& l);

// The whole DUMP payload of a live entry (string or collection), footer included.
std::string EncodeDump(const engine::EntryView& e);

struct DecodedValue {
  engine::ValueType type = engine::ValueType::kString;
  std::string bytes;             // a string's value
  engine::CollectionRef object;  // a collection
};

// Decodes a payload body (without its footer); false for anything RESTORE answers
// "Bad data format" to (unknown or unsupported type, malformed bytes, an empty collection,
// duplicate members, a NaN score).
bool DecodeDump(std::string_view body, const CollectionLimits& limits, DecodedValue* out);

}  // namespace kvgate::redis

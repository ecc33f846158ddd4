// File: engine/collection.cc
// Type names and the factory of empty collections (collection.h).
#include "engine/collection.h"

#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/stream_value.h"
#include "engine/collections/zset_value.h"

namespace kvgate::engine {

std::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kHash:
      return "hash";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
    case ValueType::kStream:
      return "stream";
  }
  return "none";
}

std::unique_ptr<Collection> NewCollection(ValueType type) {
  switch (type) {
    case ValueType::kHash:
      return std::make_unique<HashValue>();
    case ValueType::kSet:
      return std::make_unique<SetValue>();
    case ValueType::kZSet:
      return std::make_unique<ZSetValue>();
    case ValueType::kList:
      return std::make_unique<ListValue>();
    case ValueType::kStream:
      return std::make_unique<StreamValue>();
    case ValueType::kString:
      break;
  }
  return nullptr;
}

}  // namespace kvgate::engine

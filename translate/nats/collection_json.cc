// File: translate/nats/collection_json.cc
// JSON renderings of collections for NATS gets (collection_json.h).
#include "translate/nats/collection_json.h"

#include "engine/collections/hash_value.h"
#include "engine/collections/set_value.h"
#include "protocols/json.h"

namespace kvgate::nats {

std::string CollectionJson(const engine::Collection& c) {
  std::string out;
  protocols::JsonWriter w(&out);
  switch (c.type()) {
    case engine::ValueType::kHash: {
      w.BeginObject();
      static_cast<const engine::HashValue&>(c).table().ForEach(
          [&](std::string_view f, std::string_view v) { w.Key(f).String(v); });
      w.EndObject();
      break;
    }
    case engine::ValueType::kSet: {
      w.BeginArray();
      static_cast<const engine::SetValue&>(c).ForEach([&](std::string_view m) { w.String(m); });
      w.EndArray();
      break;
    }
    case engine::ValueType::kString:
    case engine::ValueType::kList:
    case engine::ValueType::kZSet:
      w.Null();
      break;
  }
  return out;
}

}  // namespace kvgate::nats

// File: translate/nats/collection_json.cc
// JSON renderings of collections for NATS gets (collection_json.h).
#include "translate/nats/collection_json.h"

#include <charconv>
#include <cmath>
#include <string>

#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/stream_value.h"
#include "engine/collections/zset_value.h"
#include "protocols/json.h"

namespace kvgate::nats {
namespace {

// A score as a JSON number (shortest text that reads back exactly); JSON has no infinities, so
// those are the strings "inf" and "-inf" (Redis's spelling).
void Score(protocols::JsonWriter& w, double v) {
  if (std::isinf(v)) {
    w.String(v > 0 ? "inf" : "-inf");
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  w.Raw(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

}  // namespace

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
    case engine::ValueType::kZSet: {  // [[member, score], ...] in order
      const auto& z = static_cast<const engine::ZSetValue&>(c);
      w.BeginArray();
      for (auto* n = z.First(); n != nullptr; n = engine::ZSetValue::Next(n)) {
        w.BeginArray();
        w.String(engine::ZSetValue::MemberOf(n));
        Score(w, engine::ZSetValue::ScoreOf(n));
        w.EndArray();
      }
      w.EndArray();
      break;
    }
    case engine::ValueType::kList: {  // the elements, head first
      const auto& l = static_cast<const engine::ListValue&>(c);
      w.BeginArray();
      l.Walk(0, true, [&](std::string_view e) {
        w.String(e);
        return true;
      });
      w.EndArray();
      break;
    }
    case engine::ValueType::kStream: {  // [[id, [field, value, ...]], ...] as XRANGE - +
      const auto& s = static_cast<const engine::StreamValue&>(c);
      w.BeginArray();
      s.Range({}, engine::kMaxStreamId, false, 0, [&](const engine::StreamEntry& e) {
        w.BeginArray();
        w.String(std::to_string(e.id.ms) + "-" + std::to_string(e.id.seq));
        w.BeginArray();
        e.ForEach([&](std::string_view f, std::string_view v) {
          w.String(f);
          w.String(v);
        });
        w.EndArray();
        w.EndArray();
        return true;
      });
      w.EndArray();
      break;
    }
    case engine::ValueType::kString:
      w.Null();
      break;
  }
  return out;
}

}  // namespace kvgate::nats

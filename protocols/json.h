// File: protocols/json.h
// JSON for the NATS front: a small streaming writer (exact field order, no DOM, no exceptions)
// and non-throwing readers over nlohmann::json for request bodies.
//
//   std::string s; JsonWriter w(&s);
//   w.BeginObject().Key("stream").String("KV_b").Key("seq").Uint(7).EndObject();
//   JsonValue v; if (ParseJson(body, &v)) { int64_t n; GetInt(v, "offset", &n); }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kvgate::protocols {

using JsonValue = nlohmann::json;

// Appends compact JSON to a string; commas are inserted automatically.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {
  }

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Uint(uint64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // A ready-made JSON value (trusted; e.g. a stored nlohmann dump).
  JsonWriter& Raw(std::string_view json);

 private:
  void BeforeValue();
  std::string* out_;
  bool need_comma_ = false;
};

// Appends `s` as a JSON string literal (quotes included).
void AppendJsonString(std::string* out, std::string_view s);

// Deepest nesting ParseJson accepts (request bodies nest 2-3 levels; the serializer recurses).
inline constexpr size_t kMaxJsonDepth = 64;

// Parses without exceptions. False for invalid JSON (including invalid UTF-8) and for input
// nested deeper than kMaxJsonDepth.
bool ParseJson(std::string_view text, JsonValue* out);

// Field readers. kMissing also covers an explicit null (Go's encoding/json treats them alike).
enum class JsonGet : uint8_t { kOk, kMissing, kWrongType };
JsonGet GetString(const JsonValue& obj, std::string_view key, std::string* out);
JsonGet GetInt(const JsonValue& obj, std::string_view key, int64_t* out);
JsonGet GetUint(const JsonValue& obj, std::string_view key, uint64_t* out);
JsonGet GetBool(const JsonValue& obj, std::string_view key, bool* out);
// The member (any type) or nullptr.
const JsonValue* GetMember(const JsonValue& obj, std::string_view key);
// Compact serialization that never throws (invalid UTF-8 is replaced).
std::string DumpJson(const JsonValue& v);

}  // namespace kvgate::protocols

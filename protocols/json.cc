#include "protocols/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace kvgate::protocols {

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the pending run of bytes that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xf]);
    }
  }
  out->append(s.substr(run));
  out->push_back('"');
}

void JsonWriter::BeforeValue() {
  if (need_comma_) out_->push_back(',');
  need_comma_ = true;
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_->push_back('}');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_->push_back('[');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_->push_back(']');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  AppendJsonString(out_, key);
  out_->push_back(':');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out_->append(buf, static_cast<size_t>(r.ptr - buf));
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t value) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out_->append(buf, static_cast<size_t>(r.ptr - buf));
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_->append(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_->append("null");
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_->append(json);
  return *this;
}

namespace {

// Deepest array/object nesting in `text` (strings skipped). nlohmann's parser is iterative but
// its serializer and comparisons recurse, so deeply nested input must never become a value.
size_t NestingDepth(std::string_view text) {
  size_t depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

}  // namespace

bool ParseJson(std::string_view text, JsonValue* out) {
  if (NestingDepth(text) > kMaxJsonDepth) {
    *out = JsonValue(JsonValue::value_t::discarded);
    return false;
  }
  *out = JsonValue::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  return !out->is_discarded();
}

const JsonValue* GetMember(const JsonValue& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end()) return nullptr;
  return &*it;
}

namespace {

const JsonValue* Present(const JsonValue& obj, std::string_view key) {
  const JsonValue* v = GetMember(obj, key);
  if (v == nullptr || v->is_null()) return nullptr;
  return v;
}

}  // namespace

JsonGet GetString(const JsonValue& obj, std::string_view key, std::string* out) {
  const JsonValue* v = Present(obj, key);
  if (v == nullptr) return JsonGet::kMissing;
  if (!v->is_string()) return JsonGet::kWrongType;
  *out = v->get_ref<const std::string&>();
  return JsonGet::kOk;
}

JsonGet GetInt(const JsonValue& obj, std::string_view key, int64_t* out) {
  const JsonValue* v = Present(obj, key);
  if (v == nullptr) return JsonGet::kMissing;
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return JsonGet::kWrongType;
    *out = static_cast<int64_t>(u);
    return JsonGet::kOk;
  }
  if (v->is_number_integer()) {
    *out = v->get<int64_t>();
    return JsonGet::kOk;
  }
  if (v->is_number_float()) {
    // Go never writes integers as floats, but 1e9 is valid JSON for an integer field there.
    double d = v->get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || d < -9.2e18 || d > 9.2e18) {
      return JsonGet::kWrongType;
    }
    *out = static_cast<int64_t>(d);
    return JsonGet::kOk;
  }
  return JsonGet::kWrongType;
}

JsonGet GetUint(const JsonValue& obj, std::string_view key, uint64_t* out) {
  const JsonValue* v = Present(obj, key);
  if (v == nullptr) return JsonGet::kMissing;
  if (v->is_number_unsigned()) {
    *out = v->get<uint64_t>();
    return JsonGet::kOk;
  }
  int64_t i = 0;
  JsonGet r = GetInt(obj, key, &i);
  if (r != JsonGet::kOk) return r;
  if (i < 0) return JsonGet::kWrongType;
  *out = static_cast<uint64_t>(i);
  return JsonGet::kOk;
}

JsonGet GetBool(const JsonValue& obj, std::string_view key, bool* out) {
  const JsonValue* v = Present(obj, key);
  if (v == nullptr) return JsonGet::kMissing;
  if (!v->is_boolean()) return JsonGet::kWrongType;
  *out = v->get<bool>();
  return JsonGet::kOk;
}

std::string DumpJson(const JsonValue& v) {
  return v.dump(-1, ' ', false, JsonValue::error_handler_t::replace);
}

}  // namespace kvgate::protocols

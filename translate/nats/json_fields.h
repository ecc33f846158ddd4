// File: translate/nats/json_fields.h
// Reads optional members of a JSON request object with a latched error: read everything, then
// check ok() once (STYLE.md §3.10). Absent or null members leave the target unchanged; a member
// of the wrong type or an enum string outside its set latches the error (Go's json.Unmarshal
// fails the whole request the same way: nats-server answers 10025 invalid JSON).
//
//   FieldReader r(body);
//   r.Int("max_age", &cfg.max_age);
//   r.Enum("storage", &cfg.storage, {"file", "memory"});
//   if (!r.ok()) return Error(JsErr::kInvalidJson);
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/json.h"

namespace kvgate::nats {

class FieldReader {
 public:
  explicit FieldReader(const protocols::JsonValue& obj) : obj_(obj), ok_(obj.is_object()) {
  }

  bool ok() const {
    return ok_;
  }
  // The first member that failed ("" if none).
  const std::string& bad_field() const {
    return bad_field_;
  }

  void Str(std::string_view key, std::string* out) {
    Check(protocols::GetString(obj_, key, out), key);
  }
  void Int(std::string_view key, int64_t* out) {
    Check(protocols::GetInt(obj_, key, out), key);
  }
  void Uint(std::string_view key, uint64_t* out) {
    Check(protocols::GetUint(obj_, key, out), key);
  }
  void Bool(std::string_view key, bool* out) {
    Check(protocols::GetBool(obj_, key, out), key);
  }
  // A string restricted to `allowed`; "" (Go's zero value) is accepted and left as the default.
  void Enum(std::string_view key, std::string* out,
            std::initializer_list<std::string_view> allowed) {
    std::string v;
    protocols::JsonGet g = protocols::GetString(obj_, key, &v);
    if (g == protocols::JsonGet::kMissing) return;
    if (g != protocols::JsonGet::kOk) return Fail(key);
    if (v.empty()) return;
    for (std::string_view a : allowed) {
      if (v == a) {
        *out = std::move(v);
        return;
      }
    }
    Fail(key);
  }
  void StrList(std::string_view key, std::vector<std::string>* out) {
    const protocols::JsonValue* v = protocols::GetMember(obj_, key);
    if (v == nullptr || v->is_null()) return;
    if (!v->is_array()) return Fail(key);
    out->clear();
    for (const auto& item : *v) {
      if (!item.is_string()) return Fail(key);
      out->push_back(item.get<std::string>());
    }
  }
  // Any JSON value kept as compact text; empty objects/arrays count as absent.
  void Opaque(std::string_view key, std::string* out) {
    const protocols::JsonValue* v = protocols::GetMember(obj_, key);
    if (v == nullptr || v->is_null() || ((v->is_object() || v->is_array()) && v->empty())) {
      out->clear();
      return;
    }
    *out = protocols::DumpJson(*v);
  }

 private:
  void Check(protocols::JsonGet g, std::string_view key) {
    if (g == protocols::JsonGet::kWrongType) Fail(key);
  }
  void Fail(std::string_view key) {
    if (ok_) bad_field_.assign(key);
    ok_ = false;
  }

  const protocols::JsonValue& obj_;
  bool ok_;
  std::string bad_field_;
};

}  // namespace kvgate::nats

// File: translate/nats/js_errors.h
// JetStream API errors as nats-server reports them: one data table (code, err_code,
// description) after nats-server's errors.json, the JSON `"error":{...}` member, errors as
// values (JsError, JsResult<T>, JsStatus) and the one mapping of engine::Errc onto them.
//
//   JsResult<StreamConfig> cfg = ParseStreamConfig(body);
//   if (!cfg.ok()) WriteJsError(w, cfg.error());      // "error":{"code":400,"err_code":10025,...}
//   WriteJsError(w, {JsErr::kWrongLastSequence, "3"});  // "wrong last sequence: 3"
//   JsError e = JsErrorFromErrc(JsOp::kWrite, engine::Errc::kValueTooLarge);  // 10054
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "engine/result.h"
#include "protocols/json.h"

namespace kvgate::nats {

enum class JsErr : uint8_t {
  kBadRequest,                 // 10003
  kUnavailable,                // 10008 (the data directory is still being replayed)
  kConsumerCreate,             // 10012 {err}
  kConsumerNameExists,         // 10013
  kConsumerNotFound,           // 10014
  kInsufficientResources,      // 10023
  kInvalidJson,                // 10025
  kMaxConsumers,               // 10026
  kMemoryExceeded,             // 10028
  kNoMessageFound,             // 10037
  kNotEmptyRequest,            // 10038
  kStreamInvalidConfig,        // 10052 {err}
  kMessageTooLarge,            // 10054
  kStreamMismatch,             // 10056
  kMsgDeleteFailed,            // 10057 {err}
  kStreamNameExists,           // 10058
  kStreamNotFound,             // 10059
  kStreamNotMatch,             // 10060
  kSubjectsOverlap,            // 10065
  kReplicasNotSupported,       // 10074
  kStoreFailed,                // 10077 {err}
  kConsumerConfigRequired,     // 10078
  kDeliverToWildcards,         // 10079
  kFilterNotSubset,            // 10093
  kInvalidPolicy,              // 10094 {err}
  kBadDurableName,             // 10103
  kFlowControlNeedsHb,         // 10108
  kRollupFailed,               // 10111 {err}
  kInvalidDeliverSubject,      // 10112
  kFilterMismatch,             // 10131
  kDurableNameMismatch,        // 10132
  kNegativeReplicas,           // 10133
  kDuplicateFilters,           // 10136
  kMultipleFiltersNotAllowed,  // 10137
  kOverlappingFilters,         // 10138
  kEmptyFilter,                // 10139
  kConsumerAlreadyExists,      // 10148
  kConsumerDoesNotExist,       // 10149
  kWrongLastSequence,          // 10071 {seq}
  kInvalidTtl,                 // 10165
  kTtlDisabled,                // 10166
  kRequiredApiLevel,           // 10185
  kNotSupported,               // 10003 with kvgate's reason (unsupported API or feature)
};

struct JsErrInfo {
  int code;                 // HTTP-like status
  int err_code;             // JetStream error code clients branch on
  std::string_view format;  // description; "{}" is replaced by the detail
};

const JsErrInfo& GetJsErrInfo(JsErr err);

// The description with its placeholder filled (detail ignored when there is none).
std::string FormatJsError(JsErr err, std::string_view detail = {});

// A JetStream error as a value: the table row and the text for its placeholder.
struct JsError {
  // Implicit on purpose: `return JsErr::kStreamNotFound;` makes an error without detail.
  // NOLINTNEXTLINE(google-explicit-constructor)
  JsError(JsErr e, std::string d = {}) : err(e), detail(std::move(d)) {
  }
  JsErr err;
  std::string detail;  // fills the description's "{}" (ignored when it has none)
};

// A value or the JsError that prevented it.
template <typename T>
class [[nodiscard]] JsResult {
 public:
  // Implicit on purpose, as engine::Result: `return value;` and `return JsErr::kX;`.
  // NOLINTNEXTLINE(google-explicit-constructor)
  JsResult(T value) : v_(std::in_place_index<0>, std::move(value)) {
  }
  // NOLINTNEXTLINE(google-explicit-constructor)
  JsResult(JsError error) : v_(std::in_place_index<1>, std::move(error)) {
  }
  // NOLINTNEXTLINE(google-explicit-constructor)
  JsResult(JsErr err) : v_(std::in_place_index<1>, JsError(err)) {
  }
  bool ok() const {
    return v_.index() == 0;
  }
  T& value() {
    return std::get<0>(v_);
  }
  T& operator*() {
    return value();
  }
  T* operator->() {
    return &value();
  }
  const JsError& error() const {
    return std::get<1>(v_);
  }

 private:
  std::variant<T, JsError> v_;
};

// Success, or the JsError of a check that failed.
class [[nodiscard]] JsStatus {
 public:
  JsStatus() = default;
  // NOLINTNEXTLINE(google-explicit-constructor)
  JsStatus(JsError error) : error_(std::move(error)) {
  }
  // NOLINTNEXTLINE(google-explicit-constructor)
  JsStatus(JsErr err) : error_(JsError(err)) {
  }
  bool ok() const {
    return !error_.has_value();
  }
  const JsError& error() const {
    return *error_;
  }

 private:
  std::optional<JsError> error_;
};

// What the failed engine call was doing: nats-server words one failure differently per API.
enum class JsOp : uint8_t {
  kWrite,          // a $KV publish stored through Put / Delete / Purge
  kStreamConfig,   // STREAM.CREATE / STREAM.UPDATE creating or reconfiguring the bucket
  kConsumerWatch,  // CONSUMER.CREATE starting the consumer's engine watch
};

// The one engine::Errc -> JetStream error mapping. `detail` is the Result's detail (the
// current revision for kWrongRevision).
JsError JsErrorFromErrc(JsOp op, engine::Errc errc, uint64_t detail = 0);

// Writes `"error":{"code":..,"err_code":..,"description":".."}` as an object member.
void WriteJsError(protocols::JsonWriter& w, const JsError& error);

}  // namespace kvgate::nats

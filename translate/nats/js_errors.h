// File: translate/nats/js_errors.h
// JetStream API errors as nats-server reports them: one data table (code, err_code,
// description) after nats-server's errors.json, and the JSON `"error":{...}` member.
//
//   std::string s; JsonWriter w(&s);
//   w.BeginObject().Key("type").String(kStreamInfoResponse);
//   WriteJsError(w, JsErr::kStreamNotFound);  // "error":{"code":404,"err_code":10059,...}
//   WriteJsError(w, JsErr::kWrongLastSequence, "3");  // "wrong last sequence: 3"
#pragma once

#include <cstdint>
#include <string_view>

#include "protocols/json.h"

namespace kvgate::nats {

enum class JsErr : uint8_t {
  kBadRequest,                 // 10003
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

// Writes `"error":{"code":..,"err_code":..,"description":".."}` as an object member.
void WriteJsError(protocols::JsonWriter& w, JsErr err, std::string_view detail = {});

}  // namespace kvgate::nats

#include "translate/nats/js_errors.h"

#include <array>
#include <string>

namespace kvgate::nats {
namespace {

struct Row {
  JsErr err;
  JsErrInfo info;
};

// After nats-server's server/errors.json (descriptions byte for byte; "{}" marks its {err},
// {seq} placeholders). Order must follow the enum (the static_assert below checks it).
constexpr std::array<Row, 43> kTable = {{
    {JsErr::kBadRequest, {400, 10003, "bad request"}},
    {JsErr::kUnavailable, {503, 10008, "JetStream system temporarily unavailable"}},
    {JsErr::kConsumerCreate, {500, 10012, "{}"}},
    {JsErr::kConsumerNameExists, {400, 10013, "consumer name already in use"}},
    {JsErr::kConsumerNotFound, {404, 10014, "consumer not found"}},
    {JsErr::kInsufficientResources, {503, 10023, "insufficient resources"}},
    {JsErr::kInvalidJson, {400, 10025, "invalid JSON"}},
    {JsErr::kMaxConsumers, {400, 10026, "maximum consumers limit reached"}},
    {JsErr::kMemoryExceeded, {500, 10028, "insufficient memory resources available"}},
    {JsErr::kNoMessageFound, {404, 10037, "no message found"}},
    {JsErr::kNotEmptyRequest, {400, 10038, "expected an empty request payload"}},
    {JsErr::kStreamInvalidConfig, {500, 10052, "{}"}},
    {JsErr::kMessageTooLarge, {400, 10054, "message size exceeds maximum allowed"}},
    {JsErr::kStreamMismatch, {400, 10056, "stream name in subject does not match request"}},
    {JsErr::kMsgDeleteFailed, {500, 10057, "{}"}},
    {JsErr::kStreamNameExists,
     {400, 10058, "stream name already in use with a different configuration"}},
    {JsErr::kStreamNotFound, {404, 10059, "stream not found"}},
    {JsErr::kStreamNotMatch, {400, 10060, "expected stream does not match"}},
    {JsErr::kSubjectsOverlap, {400, 10065, "subjects overlap with an existing stream"}},
    {JsErr::kReplicasNotSupported,
     {500, 10074, "replicas > 1 not supported in non-clustered mode"}},
    {JsErr::kStoreFailed, {503, 10077, "{}"}},
    {JsErr::kConsumerConfigRequired, {400, 10078, "consumer config required"}},
    {JsErr::kDeliverToWildcards, {400, 10079, "consumer deliver subject has wildcards"}},
    {JsErr::kFilterNotSubset,
     {400, 10093, "consumer filter subject is not a valid subset of the interest subjects"}},
    {JsErr::kInvalidPolicy, {400, 10094, "{}"}},
    {JsErr::kBadDurableName, {400, 10103, "durable name can not contain '.', '*', '>'"}},
    {JsErr::kFlowControlNeedsHb, {400, 10108, "consumer with flow control also needs heartbeats"}},
    {JsErr::kRollupFailed, {500, 10111, "{}"}},
    {JsErr::kInvalidDeliverSubject, {400, 10112, "invalid push consumer deliver subject"}},
    {JsErr::kFilterMismatch,
     {400, 10131, "Consumer create request did not match filtered subject from create subject"}},
    {JsErr::kDurableNameMismatch,
     {400, 10132, "Consumer Durable and Name have to be equal if both are provided"}},
    {JsErr::kNegativeReplicas, {400, 10133, "replicas count cannot be negative"}},
    {JsErr::kDuplicateFilters,
     {400, 10136, "consumer cannot have both FilterSubject and FilterSubjects specified"}},
    {JsErr::kMultipleFiltersNotAllowed,
     {400, 10137, "consumer with multiple subject filters cannot use subject based API"}},
    {JsErr::kOverlappingFilters, {400, 10138, "consumer subject filters cannot overlap"}},
    {JsErr::kEmptyFilter, {400, 10139, "consumer filter in FilterSubjects cannot be empty"}},
    {JsErr::kConsumerAlreadyExists, {400, 10148, "consumer already exists"}},
    {JsErr::kConsumerDoesNotExist, {400, 10149, "consumer does not exist"}},
    {JsErr::kWrongLastSequence, {400, 10071, "wrong last sequence: {}"}},
    {JsErr::kInvalidTtl, {400, 10165, "invalid per-message TTL"}},
    {JsErr::kTtlDisabled, {400, 10166, "per-message TTL is disabled"}},
    {JsErr::kRequiredApiLevel, {412, 10185, "JetStream minimum api level required"}},
    {JsErr::kNotSupported, {400, 10003, "bad request: {}"}},
}};

constexpr bool TableInEnumOrder() {
  for (size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<size_t>(kTable[i].err) != i) return false;
  }
  return true;
}
static_assert(TableInEnumOrder(), "kTable rows must follow JsErr's order");

}  // namespace

const JsErrInfo& GetJsErrInfo(JsErr err) {
  return kTable[static_cast<size_t>(err)].info;
}

std::string FormatJsError(JsErr err, std::string_view detail) {
  std::string_view format = GetJsErrInfo(err).format;
  size_t at = format.find("{}");
  if (at == std::string_view::npos) return std::string(format);
  std::string out(format.substr(0, at));
  out.append(detail);
  out.append(format.substr(at + 2));
  return out;
}

JsError JsErrorFromErrc(JsOp op, engine::Errc errc, uint64_t detail) {
  const std::string name(engine::ErrcName(errc));
  switch (op) {
    case JsOp::kWrite:
      switch (errc) {
        case engine::Errc::kWrongRevision:
          return {JsErr::kWrongLastSequence, std::to_string(detail)};
        case engine::Errc::kValueTooLarge:
          return JsErr::kMessageTooLarge;
        case engine::Errc::kBucketFull:
          return {JsErr::kStoreFailed, "maximum bytes exceeded"};
        case engine::Errc::kTtlNotAllowed:
          return JsErr::kTtlDisabled;
        case engine::Errc::kOutOfMemory:
          return JsErr::kMemoryExceeded;
        default:
          return {JsErr::kStoreFailed, name};
      }
    case JsOp::kStreamConfig:
      if (errc == engine::Errc::kBucketExists) return JsErr::kStreamNameExists;
      return {JsErr::kStreamInvalidConfig, "invalid stream configuration (" + name + ")"};
    case JsOp::kConsumerWatch:
      return {JsErr::kConsumerCreate, "consumer watch failed: " + name};
  }
  return {JsErr::kStoreFailed, name};
}

void WriteJsError(protocols::JsonWriter& w, const JsError& error) {
  const JsErr err = error.err;
  const std::string_view detail = error.detail;
  const JsErrInfo& info = GetJsErrInfo(err);
  w.Key("error")
      .BeginObject()
      .Key("code")
      .Int(info.code)
      .Key("err_code")
      .Int(info.err_code)
      .Key("description")
      .String(FormatJsError(err, detail))
      .EndObject();
}

}  // namespace kvgate::nats

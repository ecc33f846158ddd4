#include "translate/redis/kv_common.h"

#include "protocols/resp/number.h"
#include "translate/redis/errors.h"

namespace kvgate::redis {

std::string_view OpName(engine::Op op) {
  switch (op) {
    case engine::Op::kPut:
      return "PUT";
    case engine::Op::kDelete:
      return "DEL";
    case engine::Op::kPurge:
      return "PURGE";
  }
  return "PUT";
}

void WriteEntry(resp::ReplyWriter& w, const engine::EntryView& e) {
  w.ArrayHeader(3);
  w.Bulk(e.value);
  w.Integer(static_cast<int64_t>(e.revision));
  w.SimpleString(OpName(e.op));
}

bool ParseRevision(resp::ReplyWriter& w, std::string_view arg, engine::Revision* rev) {
  int64_t v = 0;
  if (!resp::ParseInt64(arg, &v) || v < 0) {
    w.Error("ERR revision is not a non-negative integer");
    return false;
  }
  *rev = static_cast<engine::Revision>(v);
  return true;
}

std::string CursorExpiredText(engine::Revision watermark) {
  const std::string wm = std::to_string(watermark);
  return "CURSOREXPIRED " + wm + " history up to revision " + wm +
         " has been compacted; read the current values and watch from there";
}

void ReplyRevisionError(resp::ReplyWriter& w, engine::Errc errc, uint64_t detail) {
  const std::string rev = std::to_string(detail);
  switch (errc) {
    case engine::Errc::kAlreadyExists:
      return w.Error("EXISTS " + rev + " the key exists at revision " + rev);
    case engine::Errc::kWrongRevision:
      return w.Error("WRONGREVISION " + rev + " the key is at revision " + rev);
    case engine::Errc::kCursorExpired:
      return w.Error(CursorExpiredText(detail));
    default:
      return ReplyEngineError(w, errc);
  }
}

}  // namespace kvgate::redis

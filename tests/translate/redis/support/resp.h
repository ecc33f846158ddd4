// File: tests/translate/redis/support/resp.h
// Tiny builders for expected RESP bytes in tests.
//
//   Bulk("v") == "$1\r\nv\r\n";   Int(3) == ":3\r\n";   Arr(2) == "*2\r\n";
//   Err("ERR syntax error") == "-ERR syntax error\r\n";
//   KeyEvents("k", "set") == the two RESP3 pmessages a PSUBSCRIBE __key* client gets for it
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kvgate::redis::testing {

inline std::string Bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}
inline std::string Int(int64_t v) {
  return ":" + std::to_string(v) + "\r\n";
}
inline std::string Arr(size_t n) {
  return "*" + std::to_string(n) + "\r\n";
}
inline std::string Err(std::string_view s) {
  return "-" + std::string(s) + "\r\n";
}
inline std::string Simple(std::string_view s) {
  return "+" + std::string(s) + "\r\n";
}
// A (un)subscribe reply: [kind, name, count] as an array ('*', RESP2) or a push ('>').
inline std::string Sub(std::string_view kind, std::string_view name, int64_t n, char type = '*') {
  return std::string(1, type) + "3\r\n" + Bulk(kind) + Bulk(name) + Int(n);
}
// A RESP3 pmessage on pattern `__key*`.
inline std::string KeyEventPush(std::string_view channel, std::string_view msg) {
  return ">4\r\n" + Bulk("pmessage") + Bulk("__key*") + Bulk(channel) + Bulk(msg);
}
// The __keyspace@db__ and __keyevent@db__ pmessages of one event, in Redis's order.
inline std::string KeyEvents(std::string_view key, std::string_view event, int db = 0) {
  const std::string d = std::to_string(db);
  return KeyEventPush("__keyspace@" + d + "__:" + std::string(key), event) +
         KeyEventPush("__keyevent@" + d + "__:" + std::string(event), key);
}
// One stream entry as XRANGE / XREAD reply it: [id, [field, value]].
inline std::string XEntry(std::string_view id, std::string_view f, std::string_view v) {
  return Arr(2) + Bulk(id) + Arr(2) + Bulk(f) + Bulk(v);
}
inline const std::string kOk = "+OK\r\n";
inline const std::string kNil = "$-1\r\n";
inline const std::string kNull3 = "_\r\n";

}  // namespace kvgate::redis::testing

// File: tests/translate/redis/support/resp.h
// Tiny builders for expected RESP bytes in tests.
//
//   Bulk("v") == "$1\r\nv\r\n";   Int(3) == ":3\r\n";   Arr(2) == "*2\r\n";
//   Err("ERR syntax error") == "-ERR syntax error\r\n";
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
inline const std::string kOk = "+OK\r\n";
inline const std::string kNil = "$-1\r\n";
inline const std::string kNull3 = "_\r\n";

}  // namespace kvgate::redis::testing

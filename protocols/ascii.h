// File: protocols/ascii.h
// ASCII case folding for protocol keywords: Redis command names and options, NATS header names
// and header values such as Nats-Rollup. Bytes outside A-Z compare exactly (no locale).
// Header-only and in protocols/ so both codecs and every translate/ front share one definition.
//
//   EqualsIgnoreCase("SeT", "set") == true;
//   EqualsIgnoreCase("Nats-Rollup", "nats-rollup") == true;
//   EqualsIgnoreCase("a@", "a`") == false;
#pragma once

#include <cstddef>
#include <string_view>

namespace kvgate::protocols {

constexpr char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace kvgate::protocols

// File: tests/protocols/resp/reader_harness.h
// Test helper: drives a RequestReader the way a session does, over an input delivered in chunks.
//
//   ReaderLimits lim;
//   Outcome o = Drive("*1\r\n$4\r\nPING\r\n", {5}, lim);   // delivered as 5 bytes + the rest
//   o.commands == {{"PING"}}; o.error == false;
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocols/resp/request_reader.h"

namespace kvgate::resp::testing {

struct Outcome {
  std::vector<std::vector<std::string>> commands;
  bool error = false;
  std::string error_text;
  bool partial = false;  // an incomplete request is buffered (input or reader)
  bool operator==(const Outcome&) const = default;
};

// Feeds `input` cut at the given offsets (ascending), parsing after every chunk.
inline Outcome Drive(std::string_view input, const std::vector<size_t>& cuts,
                     const ReaderLimits& limits) {
  RequestReader reader(&limits);
  Outcome o;
  std::string buf;
  size_t fed = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(input.size());
  for (size_t end : ends) {
    if (end < fed) continue;
    buf.append(input.substr(fed, end - fed));
    fed = end;
    size_t pos = 0;
    for (;;) {
      size_t n = 0;
      ReadStatus s = reader.Next(std::string_view(buf).substr(pos), &n);
      pos += n;
      if (s == ReadStatus::kCommand) {
        std::vector<std::string> cmd;
        for (std::string_view a : reader.args()) cmd.emplace_back(a);
        o.commands.push_back(std::move(cmd));
        continue;
      }
      if (s == ReadStatus::kError) {
        o.error = true;
        o.error_text = std::string(reader.error());
        return o;
      }
      break;
    }
    buf.erase(0, pos);
  }
  o.partial = !buf.empty() || reader.in_request();
  return o;
}

}  // namespace kvgate::resp::testing

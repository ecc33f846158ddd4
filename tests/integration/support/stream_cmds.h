// File: tests/integration/support/stream_cmds.h
// Command lists the stream differential scripts build on: a run of XADDs with explicit IDs (the
// clock's `*` IDs would differ between the two servers) and the joining of command lists.
//
//   S("trim", Concat(AddRange("s", 1, 251), {{"XTRIM", "s", "MAXLEN", "~", "150"}}));
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace kvgate::testing {

using CmdList = std::vector<std::vector<std::string>>;

// XADD key <i>-1 <field> <value> for i in [from, to); values of `size` bytes.
inline CmdList AddRange(const std::string& key, int from, int to, size_t size = 1,
                        const std::string& field = "f") {
  CmdList out;
  for (int i = from; i < to; ++i) {
    out.push_back({"XADD", key, std::to_string(i) + "-1", field,
                   std::string(size, static_cast<char>('a' + i % 26))});
  }
  return out;
}

inline CmdList Concat(CmdList a, const CmdList& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace kvgate::testing

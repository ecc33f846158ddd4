// File: tests/integration/support/script_diff.h
// Single-connection differential runs: each script (valid, pipelined, split or malformed bytes)
// goes to a real redis-server and to kvgate, each from empty databases; the replies must match
// byte for byte, and so must whether the server closed the connection. CompareScripts runs
// every script in RESP2 and, with `resp3`, once more after a HELLO 3 whose reply is dropped
// (it names the server's version).
//
//   std::vector<Script> s;
//   s.push_back(S("hset basics", {{"HSET", "h", "f", "v"}, {"HGET", "h", "f"}}));
//   CompareScripts(s, /*resp3=*/true);
#pragma once

#include <string>
#include <vector>

namespace kvgate::testing {

struct Script {
  std::string name;
  std::vector<std::string> chunks;  // sent in order, with a short pause between chunks
};

// Commands encoded as RESP multibulk requests, back to back.
std::string Cmds(const std::vector<std::vector<std::string>>& cmds);
// A script of commands sent as one write (a pipeline).
Script S(std::string name, const std::vector<std::vector<std::string>>& cmds);
// A script of raw byte chunks.
Script Raw(std::string name, std::vector<std::string> chunks);
// EVAL body numkeys... as a command: Eval("return 1") is {"EVAL", "return 1", "0"}.
std::vector<std::string> Eval(const std::string& body,
                              const std::vector<std::string>& rest = {"0"});

// Runs every script on redis-server and on kvgate and CHECKs that the outcomes match.
void CompareScripts(const std::vector<Script>& scripts, bool resp3 = false);

}  // namespace kvgate::testing

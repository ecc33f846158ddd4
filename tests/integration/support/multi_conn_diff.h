// File: tests/integration/support/multi_conn_diff.h
// Differential runs over several connections: each step sends commands on one connection, then
// every connection's output is collected; the same script runs on a real redis-server and on
// kvgate (databases flushed first) and every connection's transcript must match byte for byte.
// "{id0}", "{id1}", ... in a command stand for the CLIENT ID of that connection.
//
//   CompareMulti({{"unblock", 2, {{0, {"WAIT", "1", "0"}}, {1, {"CLIENT", "UNBLOCK", "{id0}"}}}}});
#pragma once

#include <string>
#include <vector>

namespace kvgate::testing {

struct Step {
  int conn;
  std::vector<std::string> cmd;  // several commands in one write: separated by an empty string
  bool quiet = false;            // read and drop the replies (HELLO 3 names the server version)
};

struct MultiScript {
  std::string name;
  int conns;
  std::vector<Step> steps;
};

// Runs the script on the server at `port`; one transcript per connection.
std::vector<std::string> RunMulti(int port, const MultiScript& script);
// Runs each script on redis-server and on kvgate and CHECKs that the transcripts match.
void CompareMulti(const std::vector<MultiScript>& scripts);
// Bytes with CR/LF and non-printables escaped, for failure messages.
std::string Printable(const std::string& s);

}  // namespace kvgate::testing

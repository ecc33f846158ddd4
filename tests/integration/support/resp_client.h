// File: tests/integration/support/resp_client.h
// A raw RESP connection for byte-exact differential tests: send any bytes (valid or not) and
// read back whole replies exactly as the server wrote them.
//
//   RawConn c(port);
//   c.Send("*1\r\n$4\r\nPING\r\n");
//   std::string reply = c.ReadReplies(1);    // "+PONG\r\n"
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kvgate::testing {

// A TCP connection to 127.0.0.1:port (a blocking fd), or -1.
int ConnectLoopback(int port);
// Length of the first complete RESP2/RESP3 reply in `data`, or 0 if incomplete.
size_t RespReplyLength(std::string_view data);

class RawConn {
 public:
  explicit RawConn(int port);
  ~RawConn();
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  void Send(std::string_view bytes);
  // Reads until `count` whole replies arrived (or timeout / close); returns their raw bytes.
  std::string ReadReplies(size_t count, int timeout_ms = 5000);
  // Sends one command and returns its reply's raw bytes.
  std::string Call(const std::vector<std::string>& args);
  // Reads whatever arrives until the connection is quiet for quiet_ms.
  std::string ReadUntilQuiet(int quiet_ms = 200);
  // True if the server closed the connection (EOF) within timeout_ms.
  bool WaitClosed(int timeout_ms = 2000);
  bool closed() const {
    return closed_;
  }

 private:
  bool Fill(int timeout_ms);
  int fd_ = -1;
  std::string buf_;
  bool closed_ = false;
};

// Encodes a command as a RESP multibulk request.
std::string EncodeCommand(const std::vector<std::string>& args);

}  // namespace kvgate::testing

#include "integration/support/resp_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <stdexcept>

namespace kvgate::testing {
namespace {

// Position after the CRLF ending the line that starts at pos, or npos.
size_t LineEnd(std::string_view data, size_t pos) {
  size_t crlf = data.find("\r\n", pos);
  return crlf == std::string_view::npos ? crlf : crlf + 2;
}

int64_t ParseLen(std::string_view data, size_t from, size_t to) {
  int64_t v = 0;
  std::from_chars(data.data() + from, data.data() + to, v);
  return v;
}

// Returns the end offset of the reply starting at pos, or npos if incomplete.
size_t ReplyEnd(std::string_view data, size_t pos) {
  if (pos >= data.size()) return std::string_view::npos;
  char type = data[pos];
  size_t line_end = LineEnd(data, pos);
  if (line_end == std::string_view::npos) return line_end;
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case ',':
    case '#':
    case '(':
      return line_end;
    case '$':
    case '=':
    case '!': {
      int64_t len = ParseLen(data, pos + 1, line_end - 2);
      if (len < 0) return line_end;
      size_t end = line_end + static_cast<size_t>(len) + 2;
      return end <= data.size() ? end : std::string_view::npos;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      int64_t n = ParseLen(data, pos + 1, line_end - 2);
      if (n < 0) return line_end;
      if (type == '%' || type == '|') n *= 2;
      size_t cur = line_end;
      for (int64_t i = 0; i < n; ++i) {
        cur = ReplyEnd(data, cur);
        if (cur == std::string_view::npos) return cur;
      }
      // An attribute precedes the real reply.
      if (type == '|') return ReplyEnd(data, cur);
      return cur;
    }
    default:
      return line_end;  // not RESP: treat the line as one unit
  }
}

}  // namespace

size_t RespReplyLength(std::string_view data) {
  size_t end = ReplyEnd(data, 0);
  return end == std::string_view::npos ? 0 : end;
}

int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

RawConn::RawConn(int port) {
  fd_ = ConnectLoopback(port);
  if (fd_ < 0) throw std::runtime_error("connect failed to port " + std::to_string(port));
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawConn::~RawConn() {
  if (fd_ >= 0) close(fd_);
}

void RawConn::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may have closed: reads will tell
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

bool RawConn::Fill(int timeout_ms) {
  if (closed_) return false;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return false;
  char tmp[65536];
  ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
  if (n <= 0) {
    closed_ = true;
    return false;
  }
  buf_.append(tmp, static_cast<size_t>(n));
  return true;
}

std::string RawConn::ReadReplies(size_t count, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string out;
  size_t got = 0;
  while (got < count) {
    size_t len = RespReplyLength(buf_);
    if (len > 0) {
      out.append(buf_, 0, len);
      buf_.erase(0, len);
      ++got;
      continue;
    }
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0 || !Fill(left)) break;
  }
  return out;
}

std::string RawConn::ReadUntilQuiet(int quiet_ms) {
  while (Fill(quiet_ms)) {
  }
  std::string out;
  out.swap(buf_);
  return out;
}

bool RawConn::WaitClosed(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!closed_) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) return false;
    Fill(left);
  }
  return true;
}

std::string EncodeCommand(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

std::string RawConn::Call(const std::vector<std::string>& args) {
  Send(EncodeCommand(args));
  return ReadReplies(1);
}

}  // namespace kvgate::testing

#include "protocols/resp/reply_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace kvgate::resp {
namespace {

// Values up to this size are written with their header in one contiguous reservation.
constexpr size_t kInlineBulk = 4096;

char* PutHeader(char* p, char type, int64_t n) {
  *p++ = type;
  p = std::to_chars(p, p + 21, n).ptr;
  *p++ = '\r';
  *p++ = '\n';
  return p;
}

}  // namespace

void ReplyWriter::Header(char type, int64_t n) {
  char* start = out_->Reserve(24);
  out_->Commit(static_cast<size_t>(PutHeader(start, type, n) - start));
}

void ReplyWriter::SimpleString(std::string_view s) {
  char* p = out_->Reserve(s.size() + 3);
  *p = '+';
  std::memcpy(p + 1, s.data(), s.size());
  p[s.size() + 1] = '\r';
  p[s.size() + 2] = '\n';
  out_->Commit(s.size() + 3);
}

void ReplyWriter::Error(std::string_view msg) {
  char* p = out_->Reserve(msg.size() + 3);
  *p = '-';
  for (size_t i = 0; i < msg.size(); ++i) {
    char c = msg[i];
    p[i + 1] = (c == '\r' || c == '\n') ? ' ' : c;
  }
  p[msg.size() + 1] = '\r';
  p[msg.size() + 2] = '\n';
  out_->Commit(msg.size() + 3);
}

void ReplyWriter::Integer(int64_t v) {
  Header(':', v);
}

void ReplyWriter::Bulk(std::string_view s) {
  if (s.size() <= kInlineBulk) {
    char* start = out_->Reserve(s.size() + 26);
    char* p = PutHeader(start, '$', static_cast<int64_t>(s.size()));
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p += s.size();
    *p++ = '\r';
    *p++ = '\n';
    out_->Commit(static_cast<size_t>(p - start));
    return;
  }
  Header('$', static_cast<int64_t>(s.size()));
  out_->Append(s);
  out_->Append(std::string_view("\r\n", 2));
}

void ReplyWriter::Null() {
  if (resp_ >= 3) {
    out_->Append(std::string_view("_\r\n", 3));
  } else {
    out_->Append(std::string_view("$-1\r\n", 5));
  }
}

void ReplyWriter::NullArray() {
  if (resp_ >= 3) {
    out_->Append(std::string_view("_\r\n", 3));
  } else {
    out_->Append(std::string_view("*-1\r\n", 5));
  }
}

void ReplyWriter::ArrayHeader(size_t n) {
  Header('*', static_cast<int64_t>(n));
}

void ReplyWriter::MapHeader(size_t n) {
  if (resp_ >= 3) {
    Header('%', static_cast<int64_t>(n));
  } else {
    Header('*', static_cast<int64_t>(n * 2));
  }
}

void ReplyWriter::SetHeader(size_t n) {
  Header(resp_ >= 3 ? '~' : '*', static_cast<int64_t>(n));
}

void ReplyWriter::PushHeader(size_t n) {
  Header(resp_ >= 3 ? '>' : '*', static_cast<int64_t>(n));
}

void ReplyWriter::Double(double v) {
  char buf[64];
  int n;
  if (std::isinf(v)) {
    n = std::snprintf(buf, sizeof(buf), "%s", v > 0 ? "inf" : "-inf");
  } else if (std::isnan(v)) {
    n = std::snprintf(buf, sizeof(buf), "nan");
  } else {
    n = std::snprintf(buf, sizeof(buf), "%.17g", v);
  }
  std::string_view text(buf, static_cast<size_t>(n));
  if (resp_ >= 3) {
    out_->Append(',');
    out_->Append(text);
    out_->Append(std::string_view("\r\n", 2));
  } else {
    Bulk(text);
  }
}

void ReplyWriter::Verbatim(std::string_view format, std::string_view body) {
  if (resp_ < 3) {
    Bulk(body);
    return;
  }
  Header('=', static_cast<int64_t>(format.size() + 1 + body.size()));
  out_->Append(format);
  out_->Append(':');
  out_->Append(body);
  out_->Append(std::string_view("\r\n", 2));
}

void ReplyWriter::Bool(bool b) {
  if (resp_ >= 3) {
    out_->Append(std::string_view(b ? "#t\r\n" : "#f\r\n", 4));
  } else {
    out_->Append(std::string_view(b ? ":1\r\n" : ":0\r\n", 4));
  }
}

}  // namespace kvgate::resp

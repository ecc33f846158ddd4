// File: protocols/resp/reply_writer.h
// RESP2 / RESP3 reply encoder writing straight into a connection's OutChain. One writer call per
// RESP value; aggregates are written as a header followed by their elements. Types RESP2 lacks
// degrade the way redis-server 7 degrades them (map -> flat array, set/push -> array, null ->
// `$-1`, double / verbatim -> bulk, bool -> integer).
//
//   ReplyWriter w(&transport.Out(), 3);
//   w.MapHeader(1); w.Bulk("server"); w.Bulk("redis");   // %1\r\n$6\r\nserver\r\n$5\r\nredis\r\n
//   w.Null();                                            // _\r\n   (RESP2: $-1\r\n)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocols/buffer.h"

namespace kvgate::resp {

class ReplyWriter {
 public:
  explicit ReplyWriter(protocols::OutChain* out, int resp = 2) : out_(out), resp_(resp) {
  }

  int resp() const {
    return resp_;
  }
  void set_resp(int resp) {
    resp_ = resp;
  }
  protocols::OutChain& out() {
    return *out_;
  }

  void SimpleString(std::string_view s);  // +s   (s must not contain CR/LF)
  void Ok() {
    out_->Append(std::string_view("+OK\r\n", 5));
  }
  // -msg; CR and LF inside msg become spaces so the stream stays parseable (as Redis does).
  void Error(std::string_view msg);
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  // Null bulk string: `$-1` in RESP2, `_` in RESP3.
  void Null();
  // Null array: `*-1` in RESP2, `_` in RESP3 (aborted EXEC).
  void NullArray();
  void ArrayHeader(size_t n);
  // n key/value pairs: `%n` in RESP3, `*2n` in RESP2.
  void MapHeader(size_t n);
  void SetHeader(size_t n);   // `~n` / `*n`
  void PushHeader(size_t n);  // `>n` / `*n`
  void Double(double v);      // `,v` / bulk
  // `=len\r\nfmt:body` in RESP3 (fmt is 3 bytes, e.g. "txt"), a bulk of body in RESP2.
  void Verbatim(std::string_view format, std::string_view body);
  void Bool(bool b);  // `#t` / `:1`
  // Bytes already in RESP form.
  void Raw(std::string_view bytes) {
    out_->Append(bytes);
  }

 private:
  void Header(char type, int64_t n);
  protocols::OutChain* out_;
  int resp_;
};

}  // namespace kvgate::resp

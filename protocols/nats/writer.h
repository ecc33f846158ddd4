// File: protocols/nats/writer.h
// Server-to-client NATS frames appended to an OutChain: INFO, +OK, -ERR, PING, PONG, MSG, HMSG.
//
//   WriteMsg(out, "_INBOX.x.1", "7", "", R"({"stream":"KV_b","seq":1})");
//   WriteHmsg(out, "_INBOX.x.1", "7", "", "NATS/1.0 503\r\n\r\n", "");
//   WriteErr(out, "Unknown Protocol Operation");   // -ERR 'Unknown Protocol Operation'\r\n
#pragma once

#include <string_view>

#include "protocols/buffer.h"

namespace kvgate::natswire {

// `INFO <json> \r\n` (nats-server puts a space before the CRLF).
void WriteInfo(protocols::OutChain& out, std::string_view json);
void WriteOk(protocols::OutChain& out);
// `-ERR '<text>'\r\n`
void WriteErr(protocols::OutChain& out, std::string_view text);
void WritePing(protocols::OutChain& out);
void WritePong(protocols::OutChain& out);
// `MSG <subject> <sid> [reply] <#bytes>\r\n<payload>\r\n`
void WriteMsg(protocols::OutChain& out, std::string_view subject, std::string_view sid,
              std::string_view reply, std::string_view payload);
// `HMSG <subject> <sid> [reply] <#hdr> <#total>\r\n<headers><payload>\r\n`
void WriteHmsg(protocols::OutChain& out, std::string_view subject, std::string_view sid,
               std::string_view reply, std::string_view headers, std::string_view payload);
// MSG when `headers` is empty, else HMSG.
inline void WriteMessage(protocols::OutChain& out, std::string_view subject, std::string_view sid,
                         std::string_view reply, std::string_view headers,
                         std::string_view payload) {
  if (headers.empty()) {
    WriteMsg(out, subject, sid, reply, payload);
  } else {
    WriteHmsg(out, subject, sid, reply, headers, payload);
  }
}

}  // namespace kvgate::natswire

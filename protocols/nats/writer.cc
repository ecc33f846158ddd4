#include "protocols/nats/writer.h"

#include <cstring>

namespace kvgate::natswire {
namespace {

// `<op><subject> <sid> [reply ]`: the part of the MSG/HMSG control line before the sizes.
void WriteControl(protocols::OutChain& out, std::string_view op, std::string_view subject,
                  std::string_view sid, std::string_view reply) {
  out.Append(op);
  out.Append(subject);
  out.Append(' ');
  out.Append(sid);
  out.Append(' ');
  if (!reply.empty()) {
    out.Append(reply);
    out.Append(' ');
  }
}

}  // namespace

void WriteInfo(protocols::OutChain& out, std::string_view json) {
  out.Append("INFO ");
  out.Append(json);
  out.Append(" \r\n");
}

void WriteOk(protocols::OutChain& out) {
  out.Append("+OK\r\n");
}

void WriteErr(protocols::OutChain& out, std::string_view text) {
  out.Append("-ERR '");
  out.Append(text);
  out.Append("'\r\n");
}

void WritePing(protocols::OutChain& out) {
  out.Append("PING\r\n");
}

void WritePong(protocols::OutChain& out) {
  out.Append("PONG\r\n");
}

void WriteMsg(protocols::OutChain& out, std::string_view subject, std::string_view sid,
              std::string_view reply, std::string_view payload) {
  WriteControl(out, "MSG ", subject, sid, reply);
  out.AppendUint(payload.size());
  out.Append("\r\n");
  out.Append(payload);
  out.Append("\r\n");
}

void WriteHmsg(protocols::OutChain& out, std::string_view subject, std::string_view sid,
               std::string_view reply, std::string_view headers, std::string_view payload) {
  WriteControl(out, "HMSG ", subject, sid, reply);
  out.AppendUint(headers.size());
  out.Append(' ');
  out.AppendUint(headers.size() + payload.size());
  out.Append("\r\n");
  out.Append(headers);
  out.Append(payload);
  out.Append("\r\n");
}

}  // namespace kvgate::natswire

// File: translate/protected_mode.h
// Protected mode (redis-server 7.0's protected-mode, also applied to the NATS port): while no
// password or authorization is configured, only loopback clients are served. Like Redis, only
// 127.0.0.1 and ::1 count as local; a client from 127.0.0.2 is not.
//
//   if (protected_mode && !auth_configured && !IsLocalPeer(transport.PeerAddress())) refuse
#pragma once

#include <string_view>

namespace kvgate::translate {

// `peer` is "ip:port" or "[ipv6]:port" (Transport::PeerAddress).
inline bool IsLocalPeer(std::string_view peer) {
  std::string_view host = peer;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    host = close == std::string_view::npos ? host : host.substr(1, close - 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return host == "127.0.0.1" || host == "::1";
}

}  // namespace kvgate::translate

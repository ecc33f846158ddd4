// File: translate/live_limits.h
// Limits the gateway enforces that a front may change while running (Redis CONFIG SET
// maxclients). The gateway owns it and reads it on every accept.
//
//   LiveLimits limits;                     // owned by gateway::Server
//   front.AttachLiveLimits(&limits);
//   limits.max_clients = 100;              // CONFIG SET maxclients 100: the next accept sees it
#pragma once

#include <cstdint>

namespace kvgate::translate {

struct LiveLimits {
  uint64_t max_clients = 10'000;  // open connections, both ports together
  uint64_t refused = 0;           // connections refused by max_clients (Redis INFO counts them)
};

}  // namespace kvgate::translate

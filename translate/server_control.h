// File: translate/server_control.h
// What a front may ask of the process itself: to shut down (Redis SHUTDOWN). The gateway
// implements it; fronts hold a pointer that may be null (in-process tests, fuzzers).
//
//   if (translate::ServerControl* c = front.server_control()) c->Shutdown();
#pragma once

namespace kvgate::translate {

class ServerControl {
 public:
  virtual ~ServerControl() = default;
  // Ends the server as SIGTERM does: connections are closed, what the redo log holds is
  // written and synced, the process exits with status 0. From inside a script past
  // busy-reply-threshold (SHUTDOWN NOSAVE) it happens at once: the loop is not running then.
  virtual void Shutdown() = 0;
};

}  // namespace kvgate::translate

// File: gateway/process_control.h
// translate::ServerControl for the kvgate process (Redis SHUTDOWN): stops the server the way
// SIGTERM does; from inside a busy script, whose hook holds the loop, it stops the redo log
// (syncing what it was handed, dropping the script's unacknowledged changes) and exits at once.
//
//   gateway::ProcessControl control(server, persistence);
//   redis_front->AttachServerControl(&control);
#pragma once

#include <cstdlib>

#include "gateway/log.h"
#include "gateway/persistence.h"
#include "gateway/server.h"
#include "translate/server_control.h"

namespace kvgate::gateway {

class ProcessControl final : public translate::ServerControl {
 public:
  ProcessControl(Server& server, Persistence& persistence)
      : server_(server), persistence_(persistence) {
  }
  void Shutdown() override {
    KVGATE_LOG(kInfo, "SHUTDOWN: shutting down");
    if (server_.serving_while_busy()) {
      // The script's hook runs this: the loop cannot be stopped from here, the process can. The
      // script's changes so far (and those of the loop pass it runs in) were never
      // acknowledged: as redis-server, they are not kept.
      persistence_.Stop(/*drop_pending=*/true);
      std::_Exit(0);
    }
    server_.RequestStop();
  }

 private:
  Server& server_;
  Persistence& persistence_;
};

}  // namespace kvgate::gateway

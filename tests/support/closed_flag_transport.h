// File: tests/support/closed_flag_transport.h
// A MemoryTransport that only records a close request (either kind), for fuzz targets that
// drive one session and stop feeding it once it asked to be closed.
//
//   ClosedFlagTransport t;
//   session->OnBytes(in);
//   if (t.closed) break;
#pragma once

#include "tests/support/memory_transport.h"

namespace kvgate::testing {

class ClosedFlagTransport final : public MemoryTransport {
 public:
  void CloseAfterFlush() override {
    closed = true;
  }
  void CloseNow() override {
    closed = true;
  }
  bool closed = false;
};

}  // namespace kvgate::testing

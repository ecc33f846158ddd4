// File: gateway/output_gate.h
// Holding output back until the redo log has the writes it may reveal (DESIGN.md
// "Persistence": group commit). Changes of a loop pass go to the log writer as one batch at
// the end of the pass; output produced until then is marked with that batch's number and a
// connection writes only up to the newest mark whose batch is durable. With nothing to log
// the gate is open and output flows as before.
//
//   gate.pending = &redo;            // the records of the current pass, not yet submitted
//   gate.submitted = writer.Submit(...);
//   gate.durable = seq;              // the writer reported it (written; synced for always)
#pragma once

#include <cstdint>

#include "engine/redo.h"

namespace kvgate::gateway {

struct OutputGate {
  const engine::RedoBuffer* pending = nullptr;  // records not yet handed to the writer
  uint64_t submitted = 0;                       // last batch handed to the writer
  uint64_t durable = 0;                         // last batch the writer finished

  // Everything changed so far is durable: output may go without a mark.
  bool open() const {
    return submitted <= durable && (pending == nullptr || pending->bytes.empty());
  }
  // The batch that covers every change made so far.
  uint64_t covering() const {
    return submitted + (pending != nullptr && !pending->bytes.empty() ? 1 : 0);
  }
};

}  // namespace kvgate::gateway

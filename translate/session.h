// File: translate/session.h
// The seam between gateway/ (sockets, libuv) and translate/ (meaning). The gateway owns one
// Transport per accepted connection and asks the protocol's SessionFactory (its Front,
// translate/front.h) for a Session.
//
//   gateway read_cb:   in.Commit(n); session->OnBytes(in);          // replies go to transport.Out()
//   gateway before poll: front.RunPending(); flush every connection with pending output
//   gateway write_cb:  if (nothing left to write) session->OnDrained();
//   gateway close:     session->OnClose();  (the Transport is gone after this returns)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "protocols/buffer.h"

namespace kvgate::translate {

// What a session may ask of its connection. Implemented by gateway::Connection.
class Transport {
 public:
  virtual ~Transport() = default;
  // Output appended here is flushed before the loop next polls for I/O.
  virtual protocols::OutChain& Out() = 0;
  // Call after appending output outside OnBytes (pub/sub delivery, watch events).
  virtual void ScheduleFlush() = 0;
  // Flush what is queued, then close. Input after this call is ignored.
  virtual void CloseAfterFlush() = 0;
  // Close now, dropping unsent output (slow consumer, output limit).
  virtual void CloseNow() = 0;
  // Bytes appended or in flight but not yet written to the socket.
  virtual size_t PendingOutputBytes() const = 0;
  // True while unsent output is above the connection's high-water mark. A session stops
  // executing further pipelined requests then (leaving them in the InBuffer); the gateway calls
  // OnBytes again with the rest once the output has drained, so a client that never reads its
  // replies cannot grow memory.
  virtual bool OutputCongested() const {
    return false;
  }
  // Stop/resume reading from the socket (input back-pressure).
  virtual void PauseReading() = 0;
  virtual void ResumeReading() = 0;
  // The session held its input (Session::InputHeld) and no longer does: the gateway calls
  // OnBytes again with what is buffered, from the loop, never from inside this call.
  virtual void ResumeInput() = 0;
  // As ResumeInput, but the held input runs before this returns. Only for callers outside every
  // session's OnBytes (a front's RunPending): when CLIENT PAUSE ends, each released client's
  // whole pipeline runs in turn, as in Redis.
  virtual void ResumeInputNow() {
    ResumeInput();
  }
  virtual uint64_t Id() const = 0;
  virtual const std::string& PeerAddress() const = 0;   // "ip:port"
  virtual const std::string& LocalAddress() const = 0;  // "ip:port"
  virtual int Fd() const = 0;
};

class Session {
 public:
  virtual ~Session() = default;
  // Called once right after accept (e.g. NATS sends INFO here).
  virtual void OnOpen() {
  }
  // Processes every complete request in `in`, consuming what it used. Partial requests stay.
  virtual void OnBytes(protocols::InBuffer& in) = 0;
  // A write that had to wait for the socket completed and no output is left (called from the
  // write callback; not after writes the kernel took at once).
  virtual void OnDrained() {
  }
  // True while a command that completes later holds the rest of the input: OnBytes then
  // consumes nothing, and the gateway reads only a bounded amount more (to notice a close)
  // until the session calls Transport::ResumeInput.
  virtual bool InputHeld() const {
    return false;
  }
  // The connection is closing; release subscriptions, watches, etc.
  virtual void OnClose() = 0;
  // Requests (commands, protocol operations) run so far: the gateway's busy polling compares
  // it around each read to tell single requests, worth a spin, from pipelined batches.
  virtual uint64_t requests() const {
    return 0;
  }
  // Whether the gateway may feed this session input while a Redis script runs past its busy
  // threshold (Server::ServeWhileBusy). Only sessions that then run nothing that changes data
  // (Redis sessions answer -BUSY) say yes; the others wait until the script ends.
  virtual bool ServesWhileBusy() const {
    return false;
  }
};

class SessionFactory {
 public:
  virtual ~SessionFactory() = default;
  virtual std::unique_ptr<Session> NewSession(Transport& transport) = 0;
};

}  // namespace kvgate::translate

// File: tests/translate/nats/support/nats_harness.h
// In-process NATS front for tests: bytes in -> bytes out through a FakeTransport, time driven
// by a FakeClock. No sockets, no libuv.
//
//   NatsHarness h;
//   auto c = h.Connect();                      // INFO consumed, CONNECT {"headers":true,...} sent
//   c->Send("SUB foo 1\r\nPUB foo 2\r\nhi\r\n");
//   CHECK(c->Read() == "MSG foo 1 2\r\nhi\r\n");
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "protocols/buffer.h"
#include "translate/nats/nats_front.h"
#include "translate/session.h"

namespace kvgate::nats::testing {

// A server-to-client frame as the test sees it.
struct Frame {
  std::string op;  // MSG, HMSG, INFO, PING, PONG, +OK, -ERR
  std::string subject;
  std::string sid;
  std::string reply;
  std::string headers;
  std::string payload;
  std::string text;  // INFO json / -ERR text
  size_t begin = 0;  // byte range of the frame in the parsed output
  size_t end = 0;
};

// Splits server output into frames. Fails the test on malformed output.
std::vector<Frame> ParseFrames(std::string_view out);

class FakeTransport final : public translate::Transport {
 public:
  protocols::OutChain& Out() override {
    return out_;
  }
  void ScheduleFlush() override {
    ++flushes;
  }
  void CloseAfterFlush() override {
    close_after_flush = true;
  }
  void CloseNow() override;
  size_t PendingOutputBytes() const override {
    return out_.bytes() + extra_pending;
  }
  void PauseReading() override {
    paused = true;
  }
  void ResumeReading() override {
    paused = false;
  }
  uint64_t Id() const override {
    return 1;
  }
  const std::string& PeerAddress() const override {
    return peer_;
  }
  const std::string& LocalAddress() const override {
    return local_;
  }
  int Fd() const override {
    return -1;
  }

  std::string TakeOutput() {
    std::string s = out_.ToString();
    out_.Clear();
    return s;
  }

  translate::Session* session = nullptr;  // told OnClose() by CloseNow, like the gateway
  bool in_on_bytes = false;
  bool close_after_flush = false;
  bool closed = false;
  bool paused = false;
  size_t extra_pending = 0;  // pretend this much output is stuck in the kernel
  int flushes = 0;

 private:
  protocols::OutChain out_;
  std::string peer_ = "127.0.0.1:50000";
  std::string local_ = "127.0.0.1:4222";
};

class NatsHarness;

class TestClient {
 public:
  TestClient(NatsHarness& h, NatsFront& front);
  ~TestClient();

  // Feeds bytes to the session (then runs the front's pending work).
  void Send(std::string_view bytes);
  // Everything written to this client so far (after running pending work), consumed.
  std::string Read();
  std::vector<Frame> ReadFrames() {
    return ParseFrames(Read());
  }
  // PUB/HPUB with a fresh reply inbox, returns the single reply frame (fails if not exactly
  // one frame addressed to the inbox). Other output (e.g. consumer deliveries that follow a
  // create response) is kept for the next Read().
  Frame Request(std::string_view subject, std::string_view payload,
                std::string_view headers = {});
  // Convenience: JSON body of a JetStream API reply.
  std::string Api(std::string_view subject, std::string_view body = {}) {
    return Request(subject, body).payload;
  }
  void Close();

  FakeTransport& transport() {
    return transport_;
  }
  bool closed() const {
    return transport_.closed || transport_.close_after_flush;
  }

 private:
  NatsHarness& h_;
  FakeTransport transport_;
  std::unique_ptr<translate::Session> session_;
  protocols::InBuffer in_;
  std::string backlog_;  // output read by Request() that was not its reply
  int next_reply_ = 0;
  std::string inbox_;  // "_INBOX.t<n>."
};

class NatsHarness {
 public:
  explicit NatsHarness(NatsConfig config = DefaultConfig());

  static NatsConfig DefaultConfig();
  // A connected client: INFO read, CONNECT sent (headers + no_responders unless told).
  std::unique_ptr<TestClient> Connect(std::string_view connect_json =
                                          R"({"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"protocol":1})");
  // Advances time by ms in Tick-sized steps, ticking the front and running pending work.
  void Advance(int64_t ms, int64_t step_ms = 50);

  engine::FakeClock clock;
  engine::Engine engine;
  NatsFront front;
};

}  // namespace kvgate::nats::testing

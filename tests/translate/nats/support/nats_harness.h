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
#include "engine/local_store.h"
#include "protocols/buffer.h"
#include "tests/support/memory_transport.h"
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

// The gateway's CloseNow: Session::OnClose at once, or deferred to after OnBytes returns.
class FakeTransport final : public kvgate::testing::MemoryTransport {
 public:
  FakeTransport() : MemoryTransport(1, "127.0.0.1:50000", "127.0.0.1:4222") {
  }
  void CloseNow() override;

  std::string TakeOutput() {
    return Take();
  }

  translate::Session* session = nullptr;  // told OnClose() by CloseNow, like the gateway
  bool in_on_bytes = false;
  bool closed = false;
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
  Frame Request(std::string_view subject, std::string_view payload, std::string_view headers = {});
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
  std::unique_ptr<TestClient> Connect(
      std::string_view connect_json =
          R"({"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"protocol":1})");
  // Advances time by ms in Tick-sized steps, ticking the front and running pending work.
  void Advance(int64_t ms, int64_t step_ms = 50);

  engine::FakeClock clock;
  engine::Engine engine;
  engine::LocalStore store;
  NatsFront front;
};

}  // namespace kvgate::nats::testing

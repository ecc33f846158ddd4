// File: tests/fuzz/resp_session_fuzz.cc
// libFuzzer target for the whole Redis front: bytes go through the RESP reader into the command
// table and handlers of two sessions sharing one engine (so pub/sub, WATCH and notifications
// cross sessions). The first byte picks the split point between the two sessions' inputs and
// how far the fake clock advances. Nothing may crash, hang or trip a sanitizer; every reply
// must be well-formed enough for the output to keep growing only with input.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target resp_session_fuzz
//   build/fuzz/tests/fuzz/resp_session_fuzz -dict=tests/fuzz/dict/resp_session_fuzz.dict \
//       tests/fuzz/corpus/resp_session_fuzz
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "engine/local_store.h"
#include "protocols/buffer.h"
#include "tests/support/memory_transport.h"
#include "translate/redis/front.h"
#include "translate/session.h"

namespace {

// Closing tells the session at once, as the gateway does.
class Transport final : public kvgate::testing::MemoryTransport {
 public:
  void CloseAfterFlush() override {
    closing = true;
  }
  void CloseNow() override {
    closing = true;
    if (session != nullptr && !closed) {
      closed = true;
      session->OnClose();
    }
  }
  bool closing = false;
  bool closed = false;
  kvgate::translate::Session* session = nullptr;
};

void Feed(kvgate::redis::RedisFront& front, Transport& t, kvgate::protocols::InBuffer& in,
          std::string_view bytes) {
  // Deliver in small reads so split requests take the hiredis path too.
  while (!bytes.empty() && !t.closing) {
    size_t n = bytes.size() < 61 ? bytes.size() : 61;
    in.Append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    t.session->OnBytes(in);
    front.RunPending();
    // A command that completed later (WAIT woken by a deadline or CLIENT UNBLOCK) hands its held
    // pipeline back, as the gateway would.
    if (t.resume_input && !t.closing) {
      t.resume_input = false;
      t.session->OnBytes(in);
    }
    t.Drain();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  kvgate::engine::FakeClock clock;
  kvgate::engine::Engine engine(clock);
  kvgate::engine::LocalStore store(engine);
  kvgate::redis::RedisConfig config;
  config.databases = 4;
  config.limits.proto_max_bulk_len = 1 << 16;
  config.pubsub_output_limit = {4096, 1024, 1};
  auto front = std::make_unique<kvgate::redis::RedisFront>(store, config);
  Transport ta, tb;
  auto a = front->NewSession(ta);
  auto b = front->NewSession(tb);
  ta.session = a.get();
  tb.session = b.get();
  kvgate::protocols::InBuffer ia, ib;

  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t cut = data[0] % (input.size() + 1);
  Feed(*front, ta, ia, input.substr(0, cut));
  clock.AdvanceMs(static_cast<int64_t>(data[0]) * 7);
  engine.Tick();
  front->Tick();
  front->RunPending();
  Feed(*front, tb, ib, input.substr(cut));
  Feed(*front, ta, ia, input.substr(cut));

  if (!ta.closed) a->OnClose();
  if (!tb.closed) b->OnClose();
  a.reset();
  b.reset();
  front.reset();
  return 0;
}

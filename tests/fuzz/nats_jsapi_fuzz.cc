// libFuzzer target for the JetStream layer: arbitrary request bodies (and KV publish header
// blocks) to every $JS.API handler, in sequences, against a bucket with data and a consumer.
// Input: segments separated by 0xFF; each segment's first byte picks the request, the rest is
// its body. Nothing may crash, leak or read out of bounds, whatever the JSON says.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/local_store.h"
#include "protocols/buffer.h"
#include "tests/support/closed_flag_transport.h"
#include "translate/nats/nats_front.h"
#include "translate/session.h"

namespace {

struct Op {
  const char* subject;
  bool as_headers;  // body goes in the header block of an HPUB (KV publish)
};

constexpr Op kOps[] = {
    {"$JS.API.INFO", false},
    {"$JS.API.STREAM.CREATE.KV_b", false},
    {"$JS.API.STREAM.UPDATE.KV_b", false},
    {"$JS.API.STREAM.INFO.KV_b", false},
    {"$JS.API.STREAM.LIST", false},
    {"$JS.API.STREAM.NAMES", false},
    {"$JS.API.STREAM.DELETE.KV_c", false},
    {"$JS.API.STREAM.PURGE.KV_b", false},
    {"$JS.API.STREAM.MSG.GET.KV_b", false},
    {"$JS.API.DIRECT.GET.KV_b", false},
    {"$JS.API.CONSUMER.CREATE.KV_b", false},
    {"$KV.b.k", true},
    {"$KV.c.k", true},
    {"$JS.API.CONSUMER.CREATE.KV_b.named.$KV.b.k", false},
    {"$JS.API.CONSUMER.LIST.KV_b", false},
    {"$JS.API.STREAM.CREATE.KV_c", false},
    {"$JS.API.CONSUMER.DURABLE.CREATE.KV_b.dur", false},
    {"$JS.API.STREAM.MSG.DELETE.KV_b", false},
};

void Publish(kvgate::translate::Session& s, kvgate::protocols::InBuffer& in,
             std::string_view subject, std::string_view headers, std::string_view payload) {
  std::string frame = "HPUB " + std::string(subject) + " _INBOX.f.1 " +
                      std::to_string(headers.size()) + " " +
                      std::to_string(headers.size() + payload.size()) + "\r\n";
  frame.append(headers).append(payload).append("\r\n");
  in.Append(frame);
  s.OnBytes(in);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kvgate;
  engine::FakeClock clock;
  engine::Engine engine(clock);
  engine::LocalStore store(engine);
  nats::NatsConfig cfg;
  cfg.max_payload = 1 << 16;
  nats::NatsFront front(store, cfg);
  testing::ClosedFlagTransport t;
  std::unique_ptr<translate::Session> s = front.NewSession(t);
  s->OnOpen();
  protocols::InBuffer in;
  in.Append(
      "CONNECT {\"headers\":true,\"no_responders\":true}\r\nSUB _INBOX.f.* 1\r\nSUB _INBOX.F "
      "2\r\n");
  s->OnBytes(in);
  Publish(*s, in, "$JS.API.STREAM.CREATE.KV_b", {},
          R"({"name":"KV_b","subjects":["$KV.b.>"],"max_msgs_per_subject":5,"allow_direct":true,)"
          R"("allow_rollup_hdrs":true,"allow_msg_ttl":true})");
  Publish(*s, in, "$KV.b.k", {}, "v1");
  Publish(*s, in, "$KV.b.dir.x", "NATS/1.0\r\nKV-Operation: DEL\r\n\r\n", {});

  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty() && !t.closed) {
    size_t end = rest.find('\xff');
    std::string_view seg = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (seg.empty()) continue;
    const Op& op = kOps[static_cast<uint8_t>(seg[0]) % (sizeof(kOps) / sizeof(kOps[0]))];
    std::string_view body = seg.substr(1);
    if (op.as_headers) {
      Publish(*s, in, op.subject, body, "value");
    } else {
      Publish(*s, in, op.subject, {}, body);
    }
    front.RunPending();
    clock.AdvanceMs(700);
    engine.Tick();
    front.Tick();
    front.RunPending();
    t.Drain();
  }
  s->OnClose();
  return 0;
}

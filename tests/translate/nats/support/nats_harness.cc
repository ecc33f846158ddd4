#include "nats_harness.h"

#include <catch2/catch.hpp>
#include <charconv>

namespace kvgate::nats::testing {
namespace {

std::vector<std::string_view> SplitSpaces(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i == line.size()) break;
    size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    out.push_back(line.substr(start, i - start));
  }
  return out;
}

size_t ToSize(std::string_view s) {
  size_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  REQUIRE(r.ec == std::errc());
  return v;
}

}  // namespace

std::vector<Frame> ParseFrames(std::string_view out) {
  std::vector<Frame> frames;
  const size_t total_size = out.size();
  while (!out.empty()) {
    const size_t begin = total_size - out.size();
    size_t eol = out.find("\r\n");
    REQUIRE(eol != std::string_view::npos);
    std::string_view line = out.substr(0, eol);
    out.remove_prefix(eol + 2);
    Frame f;
    std::vector<std::string_view> a = SplitSpaces(line);
    REQUIRE(!a.empty());
    f.op = std::string(a[0]);
    if (f.op == "MSG" || f.op == "HMSG") {
      const bool h = f.op == "HMSG";
      const size_t nargs = a.size() - 1;
      REQUIRE((nargs == (h ? 4u : 3u) || nargs == (h ? 5u : 4u)));
      f.subject = std::string(a[1]);
      f.sid = std::string(a[2]);
      const bool has_reply = nargs == (h ? 5u : 4u);
      if (has_reply) f.reply = std::string(a[3]);
      size_t total = ToSize(a.back());
      size_t hdr = h ? ToSize(a[a.size() - 2]) : 0;
      REQUIRE(hdr <= total);
      REQUIRE(out.size() >= total + 2);
      f.headers = std::string(out.substr(0, hdr));
      f.payload = std::string(out.substr(hdr, total - hdr));
      REQUIRE(out.substr(total, 2) == "\r\n");
      out.remove_prefix(total + 2);
    } else if (f.op == "INFO") {
      f.text = std::string(line.substr(5));
    } else if (f.op == "-ERR") {
      f.text = std::string(line.substr(5));
    } else {
      REQUIRE((f.op == "PING" || f.op == "PONG" || f.op == "+OK"));
    }
    f.begin = begin;
    f.end = total_size - out.size();
    frames.push_back(std::move(f));
  }
  return frames;
}

void FakeTransport::CloseNow() {
  if (closed) return;
  if (in_on_bytes) {  // the gateway defers a close requested from inside OnBytes
    close_after_flush = true;
    return;
  }
  closed = true;
  if (session != nullptr) session->OnClose();
}

TestClient::TestClient(NatsHarness& h, NatsFront& front) : h_(h) {
  session_ = front.NewSession(transport_);
  transport_.session = session_.get();
  session_->OnOpen();
}

TestClient::~TestClient() {
  Close();
}

void TestClient::Close() {
  if (!transport_.closed) {
    transport_.closed = true;
    session_->OnClose();
  }
}

void TestClient::Send(std::string_view bytes) {
  REQUIRE_FALSE(transport_.closed);
  in_.Append(bytes);
  transport_.in_on_bytes = true;
  session_->OnBytes(in_);
  transport_.in_on_bytes = false;
  h_.front.RunPending();
}

std::string TestClient::Read() {
  h_.front.RunPending();
  std::string out = std::move(backlog_);
  backlog_.clear();
  out += transport_.TakeOutput();
  return out;
}

Frame TestClient::Request(std::string_view subject, std::string_view payload,
                          std::string_view headers) {
  // A unique inbox per client, as real clients use (_INBOX.<nuid>.*).
  static int next_inbox = 0;
  if (inbox_.empty()) {
    inbox_ = "_INBOX.t" + std::to_string(++next_inbox) + ".";
    Send("SUB " + inbox_ + "* 9999\r\n");
  }
  std::string reply = inbox_ + std::to_string(++next_reply_);
  std::string frame;
  if (headers.empty()) {
    frame = "PUB " + std::string(subject) + " " + reply + " " + std::to_string(payload.size()) +
            "\r\n" + std::string(payload) + "\r\n";
  } else {
    frame = "HPUB " + std::string(subject) + " " + reply + " " + std::to_string(headers.size()) +
            " " + std::to_string(headers.size() + payload.size()) + "\r\n" + std::string(headers) +
            std::string(payload) + "\r\n";
  }
  Send(frame);
  std::string out = Read();
  std::vector<Frame> frames = ParseFrames(out);
  std::vector<Frame> replies;
  for (auto& f : frames) {
    if (f.subject == reply) {
      replies.push_back(std::move(f));
    } else {
      backlog_.append(out, f.begin, f.end - f.begin);
    }
  }
  INFO("request " << subject << " " << payload);
  REQUIRE(replies.size() == 1);
  return replies[0];
}

NatsHarness::NatsHarness(NatsConfig config)
    : engine(clock), store(engine), front(store, std::move(config)) {
}

NatsConfig NatsHarness::DefaultConfig() {
  NatsConfig c;
  c.server_id = "NTESTSERVER";
  c.server_name = "kvgate-test";
  return c;
}

std::unique_ptr<TestClient> NatsHarness::Connect(std::string_view connect_json) {
  auto c = std::make_unique<TestClient>(*this, front);
  std::vector<Frame> info = c->ReadFrames();
  REQUIRE(info.size() == 1);
  REQUIRE(info[0].op == "INFO");
  c->Send("CONNECT " + std::string(connect_json) + "\r\n");
  return c;
}

void NatsHarness::Advance(int64_t ms, int64_t step_ms) {
  for (int64_t t = 0; t < ms; t += step_ms) {
    clock.AdvanceMs(std::min(step_ms, ms - t));
    engine.Tick();
    front.Tick();
    front.RunPending();
  }
}

}  // namespace kvgate::nats::testing

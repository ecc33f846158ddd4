// File: tests/engine/support/backend.cc
// The in-memory engine behind the contract fixture.
//
//   Backend be;  be.Put("a", "1");
//   auto w = be.StartWatch({});  auto evs = Backend::Drain(**w);
//   be.ScanAll(10);  // {"a"}
#include "tests/engine/support/backend.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace kvgate::engine::testing {

namespace {

bool DelayedStoreRequested() {
  const char* v = std::getenv("KVGATE_TEST_STORE");
  return v != nullptr && std::string_view(v) == "delayed";
}

}  // namespace

Backend::Backend(const BucketConfig& config, const Engine::Limits& limits)
    : engine_(std::make_unique<Engine>(clock_, limits)),
      local_(std::make_unique<LocalStore>(*engine_)) {
  store_ = local_.get();
  if (DelayedStoreRequested()) {
    delayed_ = std::make_unique<kvgate::testing::DelayedStore>(*local_, clock_, 0);
    store_ = delayed_.get();
  }
  std::optional<Result<BucketRef>> b;
  store_->CreateBucket("b", config, [&b](Result<BucketRef> r) { b.emplace(std::move(r)); });
  if (!b || !b->ok()) throw std::runtime_error("fixture: CreateBucket failed");
  bucket_ = std::make_unique<SyncBucket>(std::move(**b), *engine_, [this] { Pump(); });
}

Backend::~Backend() {
  bucket_.reset();
  delayed_.reset();
  local_.reset();
}

Status Backend::UpdateConfig(const BucketConfig& c) {
  Pump();
  std::optional<WriteResult> r;
  store_->UpdateBucket("b", c, [&r](WriteResult w) { r.emplace(std::move(w)); });
  Pump();
  if (!r) return Errc::kInvalidArgument;
  return r->ok() ? Status() : Status(r->errc(), r->detail());
}

Status Backend::DeleteBucket() {
  Pump();
  std::optional<WriteResult> r;
  store_->DeleteBucket("b", [&r](WriteResult w) { r.emplace(std::move(w)); });
  if (!r) return Errc::kInvalidArgument;
  return r->ok() ? Status() : Status(r->errc(), r->detail());
}

void Backend::RunTicks() {
  Pump();
  for (int i = 0; i < 1'000'000 && store_->Tick(); ++i) {
  }
}

void Backend::AdvanceMs(int64_t ms) {
  clock_.AdvanceMs(ms);
  RunTicks();
}

std::vector<Event> Backend::Drain(Watch& w, size_t max) {
  std::vector<Event> out;
  while (out.size() < max && w.HasEvents()) {
    size_t n = w.Poll(std::min<size_t>(64, max - out.size()), [&](const WatchEvent& ev) {
      Event e;
      e.kind = ev.kind;
      e.pending = ev.pending;
      e.initial = ev.initial;
      e.error = ev.error;
      e.value_size = ev.value_size;
      if (ev.kind == WatchEvent::Kind::kEntry) {
        e.key = std::string(ev.entry.key);
        e.value = std::string(ev.entry.value);
        e.revision = ev.entry.revision;
        e.op = ev.entry.op;
        e.reason = ev.entry.reason;
      }
      out.push_back(std::move(e));
    });
    if (n == 0 && !w.HasEvents()) break;
  }
  return out;
}

std::vector<std::string> Backend::ScanAll(size_t count, const KeyFilter& f) {
  std::vector<std::string> keys;
  Revision cursor = 0;
  do {
    cursor = bucket_->Scan(cursor, count, f, [&](const EntryView& e) { keys.emplace_back(e.key); });
  } while (cursor != 0);
  return keys;
}

std::vector<Event> EntriesOf(const std::vector<Event>& events) {
  std::vector<Event> out;
  for (const Event& e : events) {
    if (e.is_entry()) out.push_back(e);
  }
  return out;
}

std::string Render(const std::vector<Event>& events) {
  std::ostringstream os;
  for (const Event& e : events) {
    switch (e.kind) {
      case WatchEvent::Kind::kEntry:
        os << e.key
           << (e.op == Op::kPut      ? "="
               : e.op == Op::kDelete ? "!DEL"
                                     : "!PURGE")
           << (e.op == Op::kPut ? e.value : "") << "@" << e.revision << "(p" << e.pending
           << (e.initial ? ",i" : "") << ") ";
        break;
      case WatchEvent::Kind::kInitialDone:
        os << "<done p" << e.pending << "> ";
        break;
      case WatchEvent::Kind::kFailed:
        os << "<failed " << ErrcName(e.error) << "> ";
        break;
    }
  }
  return os.str();
}

}  // namespace kvgate::engine::testing

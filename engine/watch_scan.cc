// File: engine/watch_scan.cc
// ScanInitialPart (engine/watch.h): a watch polled to the end of its initial part, with a sink
// that ignores readiness (nothing is written while the scan runs: single-threaded).
//
//   Status st = ScanInitialPart(*bucket, opts, [&](const EntryView& e) { ...; return true; });
#include "engine/store.h"
#include "engine/watch.h"

namespace kvgate::engine {
namespace {

// Polls synchronously, so readiness notifications carry no information.
class IgnoreReadiness final : public WatchSink {
 public:
  void OnWatchReady(Watch& /*watch*/) override {
  }
};

constexpr size_t kScanPollBatch = 1024;

}  // namespace

Status ScanInitialPart(StoreBucket& bucket, WatchOptions options,
                       const std::function<bool(const EntryView&)>& fn) {
  // No live part is read, so the live queue needs no room; the count of the initial part is
  // not read either, so it is done in Poll's slices rather than up front.
  options.max_queue = 1;
  options.incremental_count = true;
  IgnoreReadiness sink;
  Result<std::unique_ptr<Watch>> w = bucket.StartWatch(options, &sink);
  if (!w.ok()) return Status(w.errc(), w.detail());
  Watch& watch = **w;
  Errc failed = Errc::kOk;
  bool done = false;
  while (!done && watch.HasEvents()) {
    watch.Poll(kScanPollBatch, [&](const WatchEvent& ev) {
      if (done) return;
      if (ev.kind == WatchEvent::Kind::kFailed) failed = ev.error;
      if (ev.kind != WatchEvent::Kind::kEntry || !ev.initial || !fn(ev.entry)) done = true;
    });
  }
  return failed == Errc::kOk ? Status() : Status(failed);
}

}  // namespace kvgate::engine

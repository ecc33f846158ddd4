// File: tests/fuzz/redo_replay_fuzz.cc
// libFuzzer target for the redo log's reader (engine/redo.h): the input is scanned as a log
// (framing, torn-tail and corruption rules) and every record it yields, and the input itself as
// one payload, is replayed into an engine that starts from a small real log. Nothing may crash
// or leak; whatever state results must be writable and loggable again, and its image must
// replay into a fresh engine.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target redo_replay_fuzz
//   build/fuzz/tests/fuzz/redo_replay_fuzz tests/fuzz/corpus/redo_replay_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/collections/hash_value.h"
#include "engine/engine.h"
#include "engine/redo.h"

namespace {

using namespace kvgate::engine;

void Require(bool ok) {
  if (!ok) abort();
}

// A log with a file bucket, a few entries, a hash, a TTL and a removal.
std::string SeedLog() {
  FakeClock clock;
  Engine e(clock);
  RedoBuffer redo;
  e.SetRedo(&redo);
  BucketConfig c;
  c.storage = Storage::kFile;
  c.history = 3;
  Bucket* b = *e.CreateBucket("db0", c);
  (void)b->Put("a", "1", {});
  (void)b->Put("a", "2", {});
  WriteOptions ttl;
  ttl.expire_at_ms = clock.NowMs() + 1000;
  (void)b->Put("t", "x", ttl);
  (void)b->Mutate("h", ValueType::kHash, {},
                  [](Collection& h) { return static_cast<HashValue&>(h).table().Set("f", "v"); });
  (void)b->Delete("a", {});
  (void)b->Compact(2);
  return redo.bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string seed = SeedLog();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  FakeClock clock;
  Engine e(clock);
  (void)ScanRedo(seed, [&](std::string_view p, size_t) { return e.Replay(p).ok(); });
  const RedoScan scan = ScanRedo(input, [&](std::string_view p, size_t) {
    (void)e.Replay(p);
    return true;
  });
  Require(scan.good_bytes <= size);
  (void)e.Replay(input);
  // The state must stay usable and its image must rebuild it.
  RedoBuffer redo;
  e.SetRedo(&redo);
  for (const std::string& name : e.ListBuckets()) (void)e.FindBucket(name)->Put("z", "1", {});
  while (e.Tick()) {
  }
  RedoBuffer image;
  e.WriteImage(&image);
  Engine again(clock);
  const RedoScan back =
      ScanRedo(image.bytes, [&](std::string_view p, size_t) { return again.Replay(p).ok(); });
  Require(back.end == RedoScan::End::kClean);
  return 0;
}

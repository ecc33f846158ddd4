// File: tests/engine/redo_test.cc
// The redo log (engine/redo.h): random sequences of every kind of change (writes, CAS, TTLs
// and their expiry, purges, compaction, tombstone and max_age sweeps, flushes, collections,
// config changes, bucket create/delete/swap, storage switches) on an engine logging its file
// buckets; the log replayed into a fresh engine, and an image of the first, must give exactly
// the same observable state: every retained entry with its revision, op, value, creation time
// and expiry, every bucket's status, last revision and watermark, and the next revision. Also
// the framing: a torn tail at every byte of the last record, flipped bytes, zero fill.
//
//   Run("seed", ops) -> Dump(live) == Dump(replayed) == Dump(from image)
#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/collection_codec.h"
#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/stream_value.h"
#include "engine/collections/zset_value.h"
#include "engine/engine.h"
#include "engine/redo.h"

namespace kvgate::engine {
namespace {

// Everything a client could observe of the file buckets, as text.
std::string Dump(Engine& e) {
  e.PauseExpiry(true);  // reading must not change what is read
  std::string out;
  for (const std::string& name : e.ListBuckets()) {
    Bucket* b = e.FindBucket(name);
    if (b->config().storage != Storage::kFile) continue;
    const BucketStatus s = b->GetStatus();
    const BucketConfig& c = s.config;
    // A collection's heap bytes depend on its history of holes and chunks, not its contents
    // (a decoded one is packed): count the rest of the bytes exactly.
    uint64_t object_bytes = 0;
    for (Revision r = s.first_revision; r <= s.last_revision; ++r) {
      Result<EntryView> v = b->GetByRevision(r);
      if (v.ok() && v->object != nullptr) object_bytes += v->object->MemoryBytes();
    }
    out += "bucket " + name + " created=" + std::to_string(s.created_ns) +
           " history=" + std::to_string(c.history) + " max_age=" + std::to_string(c.max_age_ns) +
           " tombstone_ttl=" + std::to_string(c.tombstone_ttl_ns) +
           " marker=" + std::to_string(c.marker_on_max_age) + " desc=" + c.description +
           " attach=" + c.attachment + " entries=" + std::to_string(s.entries) +
           " bytes=" + std::to_string(s.bytes - object_bytes) + " keys=" + std::to_string(s.keys) +
           " live=" + std::to_string(s.live_keys) + " ttl_keys=" + std::to_string(s.keys_with_ttl) +
           " first=" + std::to_string(s.first_revision) +
           " last=" + std::to_string(s.last_revision) +
           " watermark=" + std::to_string(s.watermark) + "\n";
    for (Revision r = s.first_revision; r <= s.last_revision; ++r) {
      Result<EntryView> v = b->GetByRevision(r);
      if (!v.ok()) continue;
      out += "  " + std::to_string(r) + " " + std::string(v->key) +
             " op=" + std::to_string(static_cast<int>(v->op)) +
             " reason=" + std::to_string(static_cast<int>(v->reason)) +
             " created=" + std::to_string(v->created_ns) +
             " expires=" + std::to_string(v->expires_at_ms) + " meta=" + std::string(v->meta);
      if (v->object != nullptr) {
        std::string image;
        EncodeCollection(*v->object, &image);
        out += " type=" + std::to_string(static_cast<int>(v->type)) + " object=" + image;
      } else {
        out += " value=" + std::string(v->value);
      }
      out += "\n";
    }
  }
  e.PauseExpiry(false);
  return out;
}

// Replays `log` into `e`; every record must apply.
void ReplayAll(Engine& e, std::string_view log) {
  RedoScan scan = ScanRedo(log, [&](std::string_view payload, size_t offset) {
    INFO("record at offset " << offset << " type " << int(payload[0]) << " bytes "
                             << std::string(payload.substr(1, 40)));
    const bool ok = e.Replay(payload).ok();
    CHECK(ok);
    return ok;
  });
  REQUIRE(scan.end == RedoScan::End::kClean);
}

struct Runner {
  explicit Runner(uint64_t seed) : rng(seed) {
  }
  std::mt19937_64 rng;
  FakeClock clock;
  Engine engine{clock};

  uint64_t Pick(uint64_t n) {
    return rng() % n;
  }
  std::string Key() {
    return "k" + std::to_string(Pick(24));
  }
  std::string Bucket() {
    static const char* kNames[] = {"db0", "db1", "kv", "mem"};
    return kNames[Pick(4)];
  }

  void Step() {
    const std::string name = Bucket();
    engine::Bucket* b = engine.FindBucket(name);
    if (b == nullptr) {
      BucketConfig c;
      c.history = static_cast<uint32_t>(1 + Pick(5));
      c.storage = name == "mem" ? Storage::kMemory : Storage::kFile;
      if (Pick(3) == 0) c.tombstone_ttl_ns = 2'000'000'000;
      if (Pick(4) == 0) c.max_age_ns = 5'000'000'000;
      c.marker_on_max_age = Pick(2) == 0;
      c.description = "d" + std::to_string(Pick(3));
      c.attachment = "{\"a\":" + std::to_string(Pick(100)) + "}";
      REQUIRE(engine.CreateBucket(name, c).ok());
      return;
    }
    const std::string key = Key();
    const std::string value = "v" + std::to_string(rng() % 1000);
    WriteOptions o;
    switch (Pick(23)) {
      case 0:
      case 1:
      case 2:
        (void)b->Put(key, value, o);
        break;
      case 3:
        o.expire_at_ms = clock.NowMs() + static_cast<int64_t>(Pick(3000));
        (void)b->Put(key, value, o);
        break;
      case 4:
        o.keep_ttl = true;
        o.meta = "hdr";
        (void)b->Put(key, value, o);
        break;
      case 5:
        (void)b->Create(key, value, o);
        break;
      case 6: {
        Result<EntryView> cur = b->GetLatest(key);
        (void)b->Update(key, value, cur.ok() ? cur->revision : 0, o);
        break;
      }
      case 7:
        (void)b->Delete(key, o);
        break;
      case 8:
        (void)b->Purge(key, o);
        break;
      case 9:
        (void)b->SetExpiry(
            key, Pick(2) == 0 ? kNoExpiry : clock.NowMs() + static_cast<int64_t>(Pick(3000)));
        break;
      case 10:
        clock.AdvanceMs(static_cast<int64_t>(Pick(1500)));
        while (engine.Tick()) {
        }
        break;
      case 11:
        (void)b->Compact(b->LastRevision() / 2);
        break;
      case 12:
        (void)b->PurgeEntries(KeyFilter::Exact(key), Pick(2), 0);
        break;
      case 13:
        if (Pick(8) == 0) (void)b->Flush();
        break;
      case 14: {
        BucketConfig c = b->config();
        c.history = static_cast<uint32_t>(1 + Pick(5));
        if (Pick(6) == 0 && name != "mem") {
          c.storage = c.storage == Storage::kFile ? Storage::kMemory : Storage::kFile;
        }
        REQUIRE(engine.UpdateBucket(name, c).ok());
        break;
      }
      case 15:
        if (Pick(10) == 0) REQUIRE(engine.DeleteBucket(name).ok());
        break;
      case 16:
        if (Pick(4) == 0 && engine.FindBucket("db1") != nullptr &&
            engine.FindBucket("db0") != nullptr) {
          REQUIRE(engine.SwapBuckets("db0", "db1").ok());
        }
        break;
      case 17:
        (void)b->Mutate("h" + std::to_string(Pick(3)), ValueType::kHash, {}, [&](Collection& c) {
          auto& h = static_cast<HashValue&>(c);
          switch (Pick(5)) {
            case 0:
              return h.Erase("f" + std::to_string(Pick(4)));
            case 1:
              return h.Insert("f" + std::to_string(Pick(4)), value);
            case 2:
              h.Set(std::string(70, 'x'), value);
              h.NoteWrite(std::string(70, 'x'), value, 128, 64);  // listpack label goes
              return true;
            default:
              h.Set("f" + std::to_string(Pick(4)), value);
              return true;
          }
        });
        break;
      case 18:
        (void)b->Mutate("l" + std::to_string(Pick(3)), ValueType::kList, {}, [&](Collection& c) {
          auto& l = static_cast<ListValue&>(c);
          std::string popped;
          const size_t n = l.size();
          switch (Pick(8)) {
            case 0:
              return l.PopFront(&popped);
            case 1:
              return l.PopBack(&popped);
            case 2:
              l.PushFront(value);
              return true;
            case 3:
              if (n == 0) return false;
              l.Set(Pick(n), value);
              return true;
            case 4:
              l.Insert(Pick(n + 1), value);
              return true;
            case 5:
              if (n == 0) return false;
              return l.Remove(std::string(l.At(Pick(n))), static_cast<int64_t>(Pick(3)) - 1) > 0;
            case 6:
              if (n < 2) return false;
              l.Trim(Pick(2), Pick(2));
              return true;
            default:
              l.PushBack(value);
              return true;
          }
        });
        break;
      case 19:
        (void)b->Mutate("s" + std::to_string(Pick(3)), ValueType::kSet, {}, [&](Collection& c) {
          auto& s = static_cast<SetValue&>(c);
          switch (Pick(6)) {
            case 0:
              return s.Remove(std::to_string(Pick(6)));
            case 1:
              if (s.size() == 0) return false;
              (void)s.PopRandom(rng());
              return true;
            case 2:
              s.Clear();
              s.Add("1", 512);
              return true;
            case 3:
              return s.Add(std::to_string(Pick(6)), 4);  // a small intset cap: converts
            default:
              return s.Add(Pick(2) == 0 ? std::to_string(Pick(6)) : value, 512);
          }
        });
        break;
      case 20:
        (void)b->Mutate("z" + std::to_string(Pick(3)), ValueType::kZSet, {}, [&](Collection& c) {
          auto& z = static_cast<ZSetValue&>(c);
          switch (Pick(5)) {
            case 0:
              return z.Erase("m" + std::to_string(Pick(5)));
            case 1:
              z.Set("m" + std::to_string(Pick(5)), -0.0);
              z.ClearNegativeZeros();
              return true;
            case 2:
              z.Set("m" + std::to_string(Pick(5)), 1.5);
              z.NoteWrite("m", 2, 64);
              return true;
            default:
              z.Set("m" + std::to_string(Pick(5)), static_cast<double>(Pick(100)) / 4);
              return true;
          }
        });
        break;
      case 21:
        (void)b->RemoveTombstones(0);
        break;
      case 22:
        (void)b->Mutate("x" + std::to_string(Pick(2)), ValueType::kStream, {}, [&](Collection& c) {
          auto& s = static_cast<StreamValue&>(c);
          StreamId id = s.last_id();
          switch (Pick(4)) {
            case 0: {
              StreamTrim t;
              t.by = StreamTrim::By::kMaxLen;
              t.maxlen = Pick(5);
              return s.Trim(t) > 0;
            }
            case 1:
              return s.Delete({Pick(id.ms + 1), 0});
            case 2:
              (void)s.groups().Create("g" + std::to_string(Pick(3)), id, 0);
              return true;
            default: {
              id.ms += 1 + Pick(3);
              std::string_view fv[] = {"f", value};
              s.Append(id, fv);
              return true;
            }
          }
        });
        break;
    }
  }
};

TEST_CASE("redo: replaying the log and loading an image restore the exact state", "[redo]") {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    INFO("seed " << seed);
    Runner live(seed);
    RedoBuffer redo;
    live.engine.SetRedo(&redo);
    for (int i = 0; i < 1500; ++i) live.Step();
    const std::string expected = Dump(live.engine);
    // Collection changes are logged as operations (kAppendDelta = 10), not images.
    size_t deltas = 0;
    (void)ScanRedo(redo.bytes, [&](std::string_view p, size_t) {
      deltas += p[0] == 10 ? 1 : 0;
      return true;
    });
    INFO("delta records " << deltas);
    CHECK(deltas > 5);

    FakeClock clock2;
    Engine replayed(clock2);
    ReplayAll(replayed, redo.bytes);
    REQUIRE(Dump(replayed) == expected);

    RedoBuffer image;
    live.engine.WriteImage(&image);
    Engine from_image(clock2);
    ReplayAll(from_image, image.bytes);
    REQUIRE(Dump(from_image) == expected);

    // Revisions go on where they left off: never reused.
    for (const std::string& name : live.engine.ListBuckets()) {
      if (live.engine.FindBucket(name)->config().storage != Storage::kFile) continue;
      const Revision a = *live.engine.FindBucket(name)->Put("next", "x", {});
      CHECK(*replayed.FindBucket(name)->Put("next", "x", {}) == a);
      CHECK(*from_image.FindBucket(name)->Put("next", "x", {}) == a);
    }
  }
}

// A checkpoint image written in small slices while random changes go on (flushes, deletes,
// swaps, expiry, collections changed in place, history shrinks): the image alone must replay to
// the state at its start, and with the records logged since then to the live state, for every
// image taken.
TEST_CASE("redo: an image written in slices during changes plus the log after it restore the state",
          "[redo]") {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    INFO("seed " << seed);
    Runner live(seed);
    RedoBuffer redo;
    live.engine.SetRedo(&redo);
    struct Checkpoint {
      RedoBuffer image;
      size_t log_offset = 0;
      std::string state_at_start;  // the image alone must give exactly this
      bool complete = false;
    };
    std::vector<std::unique_ptr<Checkpoint>> checkpoints;
    for (int i = 0; i < 1500; ++i) {
      live.Step();
      if (!live.engine.image_in_progress()) {
        if (i > 100 && live.Pick(40) == 0) {
          checkpoints.push_back(std::make_unique<Checkpoint>());
          checkpoints.back()->log_offset = redo.bytes.size();
          checkpoints.back()->state_at_start = Dump(live.engine);
          live.engine.BeginImage(&checkpoints.back()->image);
        }
      } else if (live.Pick(2) == 0 && live.engine.ContinueImage(1 + live.Pick(6))) {
        checkpoints.back()->complete = true;
      }
    }
    while (!checkpoints.empty() && !checkpoints.back()->complete) {
      checkpoints.back()->complete = live.engine.ContinueImage(3);
    }
    INFO("checkpoints " << checkpoints.size());
    CHECK(checkpoints.size() >= 3);
    const std::string expected = Dump(live.engine);
    for (size_t k = 0; k < checkpoints.size(); ++k) {
      INFO("checkpoint " << k << " at log offset " << checkpoints[k]->log_offset);
      FakeClock clock2;
      Engine restored(clock2);
      ReplayAll(restored, checkpoints[k]->image.bytes);
      REQUIRE(Dump(restored) == checkpoints[k]->state_at_start);
      ReplayAll(restored, std::string_view(redo.bytes).substr(checkpoints[k]->log_offset));
      REQUIRE(Dump(restored) == expected);
    }
  }
}

// DeferFileImages: a bucket turning into a file bucket is logged as pending; replay skips it
// until a checkpoint's image (begun after the change) brings it, including across a swap.
TEST_CASE("redo: a bucket that becomes a file bucket is durable from the next image on", "[redo]") {
  FakeClock clock;
  Engine live(clock);
  RedoBuffer redo;
  live.SetRedo(&redo);
  live.DeferFileImages(true);
  BucketConfig file;
  file.storage = Storage::kFile;
  BucketConfig mem;
  Bucket* f = *live.CreateBucket("f", file);
  Bucket* m = *live.CreateBucket("m", mem);
  REQUIRE(f->Put("a", "1", {}).ok());
  for (int i = 0; i < 50; ++i) REQUIRE(m->Put("k" + std::to_string(i), "v", {}).ok());
  CHECK(!live.TakeImageRequest());
  REQUIRE(live.UpdateBucket("m", file).ok());  // memory -> file: pending, not an image
  CHECK(live.TakeImageRequest());
  CHECK(!live.TakeImageRequest());
  REQUIRE(m->Put("k1", "after", {}).ok());
  REQUIRE(live.SwapBuckets("f", "m").ok());  // the pending bucket is now "f", the durable "m"
  REQUIRE(live.FindBucket("m")->Put("b", "2", {}).ok());
  REQUIRE(live.FindBucket("f")->Delete("k2", {}).ok());
  {
    // The log alone: the durable bucket under its new name, the pending one absent.
    FakeClock clock2;
    Engine replayed(clock2);
    ReplayAll(replayed, redo.bytes);
    REQUIRE(replayed.FindBucket("f") == nullptr);
    REQUIRE(replayed.FindBucket("m") != nullptr);
    CHECK(replayed.FindBucket("m")->Get("a")->value == "1");
    CHECK(replayed.FindBucket("m")->Get("b")->value == "2");
  }
  // A checkpoint begun now holds both; with the log after it, everything is back.
  const size_t t0 = redo.bytes.size();
  RedoBuffer image;
  live.BeginImage(&image);
  REQUIRE(live.FindBucket("f")->Put("k3", "during", {}).ok());
  while (!live.ContinueImage(7)) {
  }
  REQUIRE(live.FindBucket("f")->Put("k4", "later", {}).ok());
  FakeClock clock3;
  Engine restored(clock3);
  ReplayAll(restored, image.bytes);
  ReplayAll(restored, std::string_view(redo.bytes).substr(t0));
  CHECK(Dump(restored) == Dump(live));
  CHECK(restored.FindBucket("f")->Get("k1")->value == "after");
  CHECK(restored.FindBucket("f")->Get("k2").errc() == Errc::kNotFound);
}

TEST_CASE("redo: memory buckets write nothing", "[redo]") {
  FakeClock clock;
  Engine e(clock);
  RedoBuffer redo;
  e.SetRedo(&redo);
  BucketConfig c;
  Bucket* b = *e.CreateBucket("m", c);
  (void)b->Put("k", "v", {});
  (void)b->Delete("k", {});
  (void)b->Flush();
  REQUIRE(redo.bytes.empty());
  c.storage = Storage::kFile;
  REQUIRE(e.UpdateBucket("m", c).ok());  // turning into a file bucket logs an image
  REQUIRE(!redo.bytes.empty());
}

TEST_CASE("redo: durable meta values are logged, imaged and replayed; others are not", "[redo]") {
  FakeClock clock;
  Engine e(clock);
  RedoBuffer redo;
  e.SetRedo(&redo);
  e.SetMeta("memory.only", "v", false);
  REQUIRE(redo.bytes.empty());
  CHECK(e.GetMeta("memory.only") == "v");
  e.SetMeta("kept", "first", true);
  e.SetMeta("kept", "second", true);
  e.SetMeta("dropped", "x", true);
  e.SetMeta("dropped", "", true);  // removed
  e.SetMeta("demoted", "y", true);
  e.SetMeta("demoted", "y", false);  // taken out of the log, kept in memory
  CHECK(e.GetMeta("demoted") == "y");
  Engine replayed(clock);
  ReplayAll(replayed, redo.bytes);
  CHECK(replayed.GetMeta("kept") == "second");
  CHECK(replayed.GetMeta("dropped").empty());
  CHECK(replayed.GetMeta("demoted").empty());
  CHECK(replayed.GetMeta("memory.only").empty());
  // Images hold the durable ones, whole or in slices.
  RedoBuffer image;
  e.WriteImage(&image);
  RedoBuffer sliced;
  e.BeginImage(&sliced);
  while (!e.ContinueImage(1)) {
  }
  for (const std::string* log : {&image.bytes, &sliced.bytes}) {
    Engine fresh(clock);
    ReplayAll(fresh, *log);
    CHECK(fresh.GetMeta("kept") == "second");
    CHECK(fresh.GetMeta("demoted").empty());
  }
}

TEST_CASE("redo: a record that does not fit the state is refused", "[redo]") {
  FakeClock clock;
  Engine e(clock);
  RedoBuffer redo;
  e.SetRedo(&redo);
  BucketConfig c;
  c.storage = Storage::kFile;
  Bucket* b = *e.CreateBucket("f", c);
  (void)b->Put("k", "v", {});
  Engine other(clock);
  std::vector<std::string> payloads;
  (void)ScanRedo(redo.bytes, [&](std::string_view p, size_t) {
    payloads.emplace_back(p);
    return true;
  });
  REQUIRE(payloads.size() == 3);           // create, state, put
  CHECK(!other.Replay(payloads[2]).ok());  // a put into a bucket that does not exist
  CHECK(!other.Replay("").ok());
  CHECK(!other.Replay(std::string(1, '\x7f')).ok());
  REQUIRE(other.Replay(payloads[0]).ok());
  REQUIRE(other.Replay(payloads[1]).ok());
  REQUIRE(other.Replay(payloads[2]).ok());
  CHECK(!other.Replay(payloads[2]).ok());  // the same revision twice
  // Every truncation of a record is refused, never crashes.
  for (const std::string& p : payloads) {
    for (size_t n = 0; n < p.size(); ++n) {
      Engine fresh(clock);
      (void)fresh.Replay(p.substr(0, n));
    }
  }
}

std::string SampleLog() {
  RedoBuffer redo;
  for (int i = 0; i < 5; ++i)
    AppendRedoFrame("\x05record number " + std::to_string(i), &redo.bytes);
  return redo.bytes;
}

TEST_CASE("redo framing: a torn last record at every byte is a torn tail", "[redo]") {
  const std::string log = SampleLog();
  size_t last_start = 0;
  (void)ScanRedo(log, [&](std::string_view, size_t off) {
    last_start = off;
    return true;
  });
  for (size_t cut = last_start + 1; cut < log.size(); ++cut) {
    RedoScan s = ScanRedo(std::string_view(log).substr(0, cut),
                          [](std::string_view, size_t) { return true; });
    INFO("cut at " << cut);
    CHECK(s.end == RedoScan::End::kTornTail);
    CHECK(s.good_bytes == last_start);
    CHECK(s.records == 4);
  }
  // Half a record, then zeros the file system allocated: still a torn tail.
  std::string zeros = log.substr(0, last_start + 5) + std::string(100, '\0');
  CHECK(ScanRedo(zeros, [](std::string_view, size_t) { return true; }).end ==
        RedoScan::End::kTornTail);
  CHECK(ScanRedo(log, [](std::string_view, size_t) { return true; }).end == RedoScan::End::kClean);
}

TEST_CASE("redo framing: a flipped byte before the last record is corruption", "[redo]") {
  const std::string log = SampleLog();
  std::vector<size_t> starts;
  (void)ScanRedo(log, [&](std::string_view, size_t off) {
    starts.push_back(off);
    return true;
  });
  for (size_t i = 0; i < starts[4]; ++i) {
    std::string bad = log;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    RedoScan s = ScanRedo(bad, [](std::string_view, size_t) { return true; });
    INFO("flipped byte " << i);
    // Never silently cut: a bad record with whole records after it refuses the log.
    CHECK(s.end == RedoScan::End::kCorrupt);
    CHECK(s.good_bytes <= i);
  }
  // The last record's checksum failing is a torn tail (its write did not finish).
  std::string last = log;
  last.back() = static_cast<char>(last.back() ^ 1);
  RedoScan s = ScanRedo(last, [](std::string_view, size_t) { return true; });
  CHECK(s.end == RedoScan::End::kTornTail);
  CHECK(s.good_bytes == starts[4]);
}

}  // namespace
}  // namespace kvgate::engine

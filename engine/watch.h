// File: engine/watch.h
// Watches: a stream of a bucket's entries in revision order, for the keys matching one or more
// filters. A watch first delivers its initial part (depending on the start mode), then a single
// end-of-initial-values event, then live entries as they are written.
//
// Delivery is pull-based so each front controls pacing (NATS interest gating, output buffers):
//
//   struct MySink : WatchSink {
//     void OnWatchReady(Watch& w) override { ready.push_back(&w); }
//   };
//   Result<std::unique_ptr<Watch>> w = bucket->StartWatch(opts, &sink);
//   ... later, outside any engine call:
//   w->Poll(128, [&](const WatchEvent& ev) { ... });   // ev.entry views valid inside the call
//
// One-shot scans (no sink, no live part): ScanInitialPart (engine/store.h) runs a watch's initial part to a
// callback, e.g. the newest revision among the keys matching a wildcard:
//
//   Revision newest = 0;
//   Status st = ScanInitialPart(*bucket, opts, [&](const EntryView& e) {
//     newest = std::max(newest, e.revision);
//     return true;                                       // false stops the scan
//   });
//
// Bounded memory: live entries are queued as revisions (8 bytes each) up to max_queue; on
// overflow the watch fails with kSlowConsumer and keeps position(), so the consumer can resume
// with start kFromRevision at position() + 1 (or kAfterCursor position()).
//
// Delivery rules (engine/watch_impl.cc):
// - Poll right after StartWatch: the initial part is not announced through OnWatchReady (the
//   sink is only told about later changes). HasEvents() is true until kInitialDone was polled.
// - Poll does bounded work: while scanning a large bucket it may return fewer events than asked
//   (even 0) with HasEvents() still true; poll again on the next loop iteration.
// - Pending counts: known at StartWatch (Pending()), or once CountReady() for an
//   incremental_count watch (counted in slices over the revision log; entries superseded
//   during the count are counted if already passed, so the count may exceed what is delivered,
//   never the reverse for entries that stay); each event's `pending` counts what is left
//   after it, and the last initial entry carries 0 plus the live entries already queued (so NATS
//   clients detect "caught up"). Initial entries superseded before delivery are skipped (their
//   new value arrives live).
// - Removal: an undelivered entry that was only superseded (history trimming, rollup) is skipped.
//   If an undelivered entry that was a key's LAST TRACE is removed (tombstone_ttl, max_age,
//   PurgeEntries, RemoveTombstones), the watch fails with kCursorExpired, except kFromRevision
//   watches (NATS by_start_sequence semantics: skip) and a kLatestPerKey snapshot's own entries
//   (the consumer never saw the key). Flush likewise fails only watches still owed entries
//   (queued live entries, the rest of a replay); caught-up watches continue with new writes.
// - Position() stays at its start value during a kLatestPerKey snapshot (a partial snapshot is
//   not a resumable cursor) and becomes the snapshot revision at kInitialDone.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "engine/filter.h"
#include "engine/result.h"
#include "engine/types.h"

namespace kvgate::engine {

enum class WatchStart : uint8_t {
  kLatestPerKey,  // state sync: newest entry (value or tombstone) of every matching key, then live
  kAllHistory,    // every retained matching entry, then live
  kNewOnly,       // only entries written after the watch starts
  kAfterCursor,   // entries with revision > revision; kCursorExpired if revision < watermark
  kFromRevision,  // retained entries with revision >= revision, no error
};

struct WatchOptions {
  std::vector<KeyFilter> filters;  // their union; empty = all keys
  WatchStart start = WatchStart::kLatestPerKey;
  Revision revision = 0;         // for kAfterCursor / kFromRevision
  bool ignore_deletes = false;   // skip Delete/Purge entries
  bool meta_only = false;        // EntryView::value left empty (size still in value_size)
  bool include_history = false;  // with kLatestPerKey: every retained entry of matching keys
  size_t max_queue = 0;          // live queue bound; 0 = Engine::Limits::watch_queue
  // Bound StartWatch's work: when counting the initial part needs a pass over the bucket
  // (filters that are neither all keys nor exact keys), StartWatch counts one slice and the
  // caller finishes with AdvanceCount() (a slice per loop iteration) before relying on
  // Pending() or polling. Without it StartWatch counts in one O(n) call.
  bool incremental_count = false;
};

struct WatchEvent {
  enum class Kind : uint8_t {
    kEntry,        // entry is set
    kInitialDone,  // end of the initial part (sent once, also when the initial part is empty)
    kFailed,       // error() says why: kSlowConsumer, kCursorExpired, kBucketNotFound
  };
  Kind kind = Kind::kEntry;
  EntryView entry;
  uint64_t value_size = 0;  // size of the value even when meta_only
  // Entries still to deliver after this one as far as the watch knows now (NATS pending token).
  uint64_t pending = 0;
  bool initial = false;  // entry belongs to the initial part
  Errc error = Errc::kOk;
};

class Bucket;
class Watch;

// Notified, at most once between two Polls, that a watch has something to deliver. Called from
// inside engine mutations: do not call back into the engine from it; queue the watch instead.
class WatchSink {
 public:
  virtual ~WatchSink() = default;
  virtual void OnWatchReady(Watch& watch) = 0;
};

class Watch {
 public:
  virtual ~Watch() = default;  // destroying the watch unregisters it

  // Delivers up to max_events events to fn, in order. Returns the number delivered.
  // EntryView fields are valid only during the fn call.
  virtual size_t Poll(size_t max_events, const std::function<void(const WatchEvent&)>& fn) = 0;

  // True while Poll would deliver something.
  virtual bool HasEvents() const = 0;
  // Entries not yet delivered (initial remainder + queued live entries).
  virtual uint64_t Pending() const = 0;
  // Highest revision delivered or skipped so far (a cursor for kAfterCursor).
  virtual Revision Position() const = 0;
  // kOk while healthy; the failure once failed (Poll then delivers one kFailed event).
  virtual Errc State() const = 0;
  virtual bool InInitialPart() const = 0;
  virtual const WatchOptions& Options() const = 0;
  // False while an incremental_count watch is still counting its initial part (Pending() is
  // not final and Poll delivers nothing yet).
  virtual bool CountReady() const {
    return true;
  }
  // Counts up to about `budget` more retained entries; returns CountReady().
  virtual bool AdvanceCount(size_t /*budget*/) {
    return true;
  }
};

}  // namespace kvgate::engine

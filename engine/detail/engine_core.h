// File: engine/detail/engine_core.h
// Engine::Impl: state shared by every bucket (clock, limits, change listeners, memory total).
// Buckets hold a pointer to it; nothing outside engine/ sees it.
//
//   Engine::Impl core(clock, limits);
//   core.Notify({"db0", "k", ChangeKind::kPut, 7});
//   if (core.WouldExceed(bytes)) return Errc::kOutOfMemory;
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/detail/entry.h"
#include "engine/detail/image_walk.h"
#include "engine/detail/keyspace.h"
#include "engine/engine.h"
#include "engine/redo.h"

namespace kvgate::engine {

class BucketImpl;

struct Engine::Impl {
  Impl(const Clock& c, const Limits& l) : clock(c), limits(l) {
  }

  void Notify(const ChangeEvent& ev) {
    // Index loop: a listener may remove itself from its callback.
    for (size_t i = 0; i < listeners.size(); ++i) listeners[i]->OnChange(ev);
  }
  // True if allocating `extra` more bytes would cross Limits::max_memory_bytes.
  bool WouldExceed(uint64_t extra) const {
    return limits.max_memory_bytes != 0 && memory.bytes + extra > limits.max_memory_bytes;
  }

  // Redo records of bucket-level changes (engine_redo.cc); each checks the storage itself.
  void LogCreate(const BucketImpl& b);
  void LogUpdate(const BucketImpl& b, const BucketConfig& old_config);
  void LogDelete(const BucketImpl& b);
  void LogSwap(const BucketImpl& a, const BucketImpl& b);

  const Clock& clock;
  Limits limits;
  std::map<std::string, std::unique_ptr<Bucket>, std::less<>> buckets;
  std::vector<ChangeListener*> listeners;
  detail::MemoryCounter memory;
  // Keyspaces of flushed / deleted buckets, freed in bounded slices by Tick (a million keys
  // take far longer than one loop iteration to free).
  std::vector<std::unique_ptr<detail::Keyspace>> graveyard;
  uint64_t generation = 0;
  bool expiry_paused = false;  // Engine::PauseExpiry
  RedoBuffer* redo = nullptr;  // Engine::SetRedo: where file buckets' changes are logged
  bool refuse_writes = false;  // Engine::RefuseFileWrites: the log cannot be written
  std::string tick_next;       // round-robin position of Tick (a bucket name)
  std::unique_ptr<detail::ImageWalk> image;  // Engine::BeginImage: the image being written
  bool defer_images = false;                 // Engine::DeferFileImages
  bool image_requested = false;              // Engine::TakeImageRequest
  // Replay: buckets logged as pending (kBucketPending) whose image has not come: their records
  // are skipped.
  std::set<std::string, std::less<>> replay_pending;
  // Engine::SetMeta: name -> value, and whether it is logged.
  struct Meta {
    std::string value;
    bool durable = false;
  };
  std::map<std::string, Meta, std::less<>> meta;
  void WriteMeta(RedoBuffer* out, std::string_view name, std::string_view value) const;
};

}  // namespace kvgate::engine

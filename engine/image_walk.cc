// File: engine/image_walk.cc
// Checkpoint images written in slices while the engine keeps changing (detail/image_walk.h):
// the engine's side (BeginImage / ContinueImage / AbortImage) and a bucket's (its slice of the
// walk, and capturing an entry the walk has not reached before a change touches it).
//
//   engine.BeginImage(&image);                   // notes every file bucket's state now
//   while (!engine.ContinueImage(4096)) { ... }  // a slice per loop pass; clients go on
#include <algorithm>
#include <utility>

#include "engine/detail/bucket_impl.h"
#include "engine/detail/engine_core.h"
#include "engine/engine.h"

namespace kvgate::engine {

using detail::EntryBase;
using detail::ImageBucket;
using detail::RedoType;
using detail::RedoWriter;

void BucketImpl::Capture(const EntryBase& e) {
  ImageBucket& ib = *image_;
  if (e.revision < ib.cursor || e.revision > ib.r0) return;  // written already, or too new
  auto [it, inserted] = ib.captured.try_emplace(e.revision);
  if (!inserted) return;  // the first change since the start saw it as it was then
  RedoBuffer record;
  WriteEntryRecord(&record, ib.name, e);
  it->second = std::move(record.bytes);
}

bool BucketImpl::WriteImageSlice(ImageBucket& ib, size_t* budget) {
  RedoBuffer* out = ib.out;
  if (!ib.started) {
    RedoWriter w(out, RedoType::kBucketCreate);
    w.Str(ib.name);
    w.Int(ib.created_ns);
    w.Config(ib.config);
    w.Finish();
    ib.started = true;
  }
  // Captured records take the place of the live entry they were taken from (or of the hole it
  // left); everything goes out in revision order, which replay requires.
  auto emit_captured_below = [&](Revision limit) {
    auto it = ib.captured.begin();
    for (; it != ib.captured.end() && it->first < limit; it = ib.captured.erase(it)) {
      out->bytes += it->second;
      ++out->records;
    }
  };
  const size_t limit = std::max<size_t>(*budget, 1);
  size_t written = 0;
  bool past = false;
  const Revision next =
      ib.cursor > ib.r0 ? 0 : log_.Visit(ib.cursor, limit, [&](Revision r, const EntryBase* e) {
        if (r > ib.r0) {
          past = true;
          return false;
        }
        emit_captured_below(r);
        if (auto it = ib.captured.find(r); it != ib.captured.end()) {
          out->bytes += it->second;
          ++out->records;
          ib.captured.erase(it);
        } else {
          WriteEntryRecord(out, ib.name, *e);
        }
        return ++written < limit;
      });
  *budget -= std::min(*budget, std::max<size_t>(written, 1));
  const bool done = past || next == 0 || next > ib.r0;
  ib.cursor = done ? ib.r0 + 1 : next;
  emit_captured_below(done ? ib.r0 + 1 : ib.cursor);
  if (!done) return false;
  RedoWriter w(out, RedoType::kBucketState);
  w.Str(ib.name);
  w.Uint(ib.r0);
  w.Uint(ib.watermark);
  w.Finish();
  image_ = nullptr;
  ib.impl = nullptr;
  return true;
}

void Engine::BeginImage(RedoBuffer* out) {
  AbortImage();
  for (const auto& [name, m] : impl_->meta) {  // a few small values: written at once
    if (m.durable) impl_->WriteMeta(out, name, m.value);
  }
  auto walk = std::make_unique<detail::ImageWalk>();
  for (const auto& [name, bucket] : impl_->buckets) {
    BucketImpl* b = bucket->impl_.get();
    if (b->config_.storage != Storage::kFile) continue;
    auto ib = std::make_unique<ImageBucket>();
    ib->impl = b;
    ib->out = out;
    ib->name = name;
    ib->created_ns = b->created_ns_;
    ib->config = b->config_;
    ib->r0 = b->last_rev_;
    ib->watermark = b->watermark_;
    b->image_ = ib.get();
    walk->buckets.push_back(std::move(ib));
  }
  impl_->image = std::move(walk);
}

bool Engine::ContinueImage(size_t budget) {
  detail::ImageWalk* walk = impl_->image.get();
  if (walk == nullptr) return true;
  while (budget > 0 && walk->next < walk->buckets.size()) {
    ImageBucket& ib = *walk->buckets[walk->next];
    // A bucket flushed or deleted meanwhile wrote its part then (FinishImageNow).
    if (ib.impl == nullptr || ib.impl->WriteImageSlice(ib, &budget)) ++walk->next;
  }
  if (walk->next < walk->buckets.size()) return false;
  impl_->image.reset();
  return true;
}

void Engine::AbortImage() {
  if (!impl_->image) return;
  for (const auto& ib : impl_->image->buckets) {
    if (ib->impl != nullptr) ib->impl->image_ = nullptr;
  }
  impl_->image.reset();
}

bool Engine::image_in_progress() const {
  return impl_->image != nullptr;
}

}  // namespace kvgate::engine

// File: engine/engine_redo.cc
// The engine's side of the redo log (engine/redo.h): bucket-level records (create, update,
// delete, swap), the image of every file bucket, and Replay, which routes each record to the
// bucket it names. A bucket that becomes a file bucket is logged as an image of what it holds;
// one that stops being one is logged as deleted, so the log always rebuilds exactly the file
// buckets.
//
//   engine.SetRedo(&redo);
//   engine.Replay(payload);   // while recovering, before any client is served
#include <utility>

#include "engine/detail/bucket_impl.h"
#include "engine/detail/engine_core.h"
#include "engine/engine.h"

namespace kvgate::engine {

using detail::RedoReader;
using detail::RedoType;
using detail::RedoWriter;

namespace {

bool IsFile(const BucketConfig& c) {
  return c.storage == Storage::kFile;
}

void WriteName(RedoBuffer* redo, RedoType type, std::string_view name) {
  RedoWriter w(redo, type);
  w.Str(name);
  w.Finish();
}

}  // namespace

void Engine::Impl::LogCreate(const BucketImpl& b) {
  if (redo == nullptr || !IsFile(b.config_)) return;
  b.WriteImage(redo);  // a new bucket: the create and its (empty) state
}

void Engine::Impl::LogUpdate(const BucketImpl& b, const BucketConfig& old_config) {
  if (redo == nullptr) return;
  if (IsFile(b.config_) && !IsFile(old_config)) {
    if (defer_images) {
      WriteName(redo, RedoType::kBucketPending, b.name_);
      image_requested = true;
    } else {
      b.WriteImage(redo);
    }
  } else if (!IsFile(b.config_) && IsFile(old_config)) {
    WriteName(redo, RedoType::kBucketDelete, b.name_);
  } else if (IsFile(b.config_)) {
    RedoWriter w(redo, RedoType::kBucketUpdate);
    w.Str(b.name_);
    w.Config(b.config_);
    w.Finish();
  }
}

void Engine::Impl::LogDelete(const BucketImpl& b) {
  if (redo != nullptr && IsFile(b.config_)) WriteName(redo, RedoType::kBucketDelete, b.name_);
}

void Engine::Impl::LogSwap(const BucketImpl& a, const BucketImpl& b) {
  if (redo == nullptr) return;
  if (IsFile(a.config_) && IsFile(b.config_)) {
    RedoWriter w(redo, RedoType::kBucketSwap);
    w.Str(a.name_);
    w.Str(b.name_);
    w.Finish();
    return;
  }
  // One side is a memory bucket: the log knows only the file one, now under the other name.
  for (const BucketImpl* x : {&a, &b}) {
    const BucketImpl* other = x == &a ? &b : &a;
    if (IsFile(x->config_)) {
      WriteName(redo, RedoType::kBucketDelete, other->name_);
      x->WriteImage(redo);
    }
  }
}

void Engine::Impl::WriteMeta(RedoBuffer* out, std::string_view name, std::string_view value) const {
  RedoWriter w(out, RedoType::kMeta);
  w.Str(name);
  w.Str(value);
  w.Finish();
}

void Engine::SetMeta(std::string_view name, std::string_view value, bool durable) {
  auto it = impl_->meta.find(name);
  const bool was_durable = it != impl_->meta.end() && it->second.durable;
  if (impl_->redo != nullptr && (durable || was_durable)) {
    impl_->WriteMeta(impl_->redo, name, durable ? value : std::string_view());
  }
  if (value.empty()) {
    if (it != impl_->meta.end()) impl_->meta.erase(it);
    return;
  }
  if (it == impl_->meta.end()) it = impl_->meta.emplace(std::string(name), Impl::Meta{}).first;
  it->second.value.assign(value);
  it->second.durable = durable;
}

std::string Engine::GetMeta(std::string_view name) const {
  auto it = impl_->meta.find(name);
  return it == impl_->meta.end() ? std::string() : it->second.value;
}

void Engine::SetRedo(RedoBuffer* redo) {
  impl_->redo = redo;
}

void Engine::DeferFileImages(bool defer) {
  impl_->defer_images = defer;
}

bool Engine::TakeImageRequest() {
  return std::exchange(impl_->image_requested, false);
}

void Engine::RefuseFileWrites(bool refuse) {
  impl_->refuse_writes = refuse;
}

void Engine::WriteImage(RedoBuffer* out) const {
  for (const auto& [name, m] : impl_->meta) {
    if (m.durable) impl_->WriteMeta(out, name, m.value);
  }
  for (const auto& [name, bucket] : impl_->buckets) {
    if (IsFile(bucket->impl_->config_)) bucket->impl_->WriteImage(out);
  }
}

bool Engine::ReplaySwap(std::string_view a, std::string_view b) {
  auto& pending = impl_->replay_pending;
  const bool pa = pending.count(a) != 0;
  const bool pb = pending.count(b) != 0;
  if (pa == pb) return pa || SwapBuckets(a, b).ok();  // both pending: nothing durable moves
  // One side is pending: the durable bucket takes the pending one's name, and its own name
  // becomes the pending one's.
  const std::string pend(pa ? a : b);
  const std::string real(pa ? b : a);
  Bucket* r = FindBucket(real);
  if (r == nullptr || !CreateBucket(pend, r->config()).ok() || !SwapBuckets(pend, real).ok()) {
    return false;
  }
  (void)DeleteBucket(real);
  pending.erase(pending.find(pend));
  pending.emplace(real);
  return true;
}

Status Engine::Replay(std::string_view payload) {
  RedoBuffer* const saved = std::exchange(impl_->redo, nullptr);
  RedoReader r(payload);
  const RedoType type = r.Type();
  const std::string_view name = r.Str();
  bool ok = r.ok();
  auto find = [&](std::string_view n) -> BucketImpl* {
    auto it = impl_->buckets.find(n);
    return it == impl_->buckets.end() ? nullptr : it->second->impl_.get();
  };
  auto& pending = impl_->replay_pending;
  if (ok) {
    switch (type) {
      case RedoType::kBucketPending:
        ok = r.done() && IsValidBucketName(name);
        if (ok && find(name) == nullptr) pending.emplace(name);
        break;
      case RedoType::kBucketCreate: {
        const UnixNanos created = r.Int();
        const BucketConfig config = r.Config();
        ok = r.done() && BucketImpl::ValidConfig(config) && IsValidBucketName(name);
        if (!ok) break;
        if (find(name) != nullptr) (void)DeleteBucket(name);  // an image replaces the bucket
        if (auto it = pending.find(name); it != pending.end()) pending.erase(it);
        Result<Bucket*> b = CreateBucket(name, config);
        ok = b.ok();
        if (ok) (*b)->impl_->created_ns_ = created;
        break;
      }
      case RedoType::kBucketUpdate: {
        const BucketConfig config = r.Config();
        if (pending.count(name) != 0) break;  // not durable yet: skipped
        ok = r.done() && find(name) != nullptr && UpdateBucket(name, config).ok();
        break;
      }
      case RedoType::kBucketDelete:
        if (auto it = pending.find(name); it != pending.end()) {
          pending.erase(it);
          break;
        }
        ok = r.done() && DeleteBucket(name).ok();
        break;
      case RedoType::kBucketSwap: {
        const std::string_view other = r.Str();
        ok = r.done() && ReplaySwap(name, other);
        break;
      }
      case RedoType::kMeta: {
        const std::string_view value = r.Str();
        ok = r.done() && !name.empty();
        if (ok) SetMeta(name, value, true);
        break;
      }
      default: {
        if (pending.count(name) != 0) break;  // not durable yet: skipped
        BucketImpl* b = find(name);
        ok = b != nullptr && b->ReplayRecord(type, r);
        break;
      }
    }
  }
  impl_->redo = saved;
  return ok ? Status{} : Status{Errc::kInvalidArgument};
}

}  // namespace kvgate::engine

// File: engine/engine.cc
// The Engine facade (bucket registry, Tick round-robin, listeners, limits) and the Bucket
// handle, which forwards to BucketImpl.
//
//   Engine engine(clock);
//   Bucket* b = *engine.CreateBucket("cfg", BucketConfig{});
//   while (engine.Tick()) {}   // drain due expiry work in bounded slices
#include "engine/engine.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "engine/detail/bucket_impl.h"
#include "engine/detail/engine_core.h"

namespace kvgate::engine {

// ---- Bucket: thin forwarding handle ----

Bucket::Bucket(std::unique_ptr<BucketImpl> impl) : impl_(std::move(impl)) {
}
Bucket::~Bucket() = default;

const std::string& Bucket::name() const {
  return impl_->name_;
}
const BucketConfig& Bucket::config() const {
  return impl_->config_;
}
Result<Revision> Bucket::Put(std::string_view key, std::string_view value,
                             const WriteOptions& options) {
  return impl_->Put(key, value, options);
}
Result<Revision> Bucket::Mutate(std::string_view key, ValueType type, const MutateOptions& options,
                                FunctionRef<bool(Collection&)> fn) {
  return impl_->Mutate(key, type, options, fn);
}
Result<Revision> Bucket::PutObject(std::string_view key, Collection* object,
                                   const WriteOptions& options) {
  return impl_->PutObject(key, object, options);
}
Result<Revision> Bucket::Create(std::string_view key, std::string_view value,
                                const WriteOptions& options) {
  return impl_->Create(key, value, options);
}
Result<Revision> Bucket::Update(std::string_view key, std::string_view value, Revision expected,
                                const WriteOptions& options) {
  return impl_->Update(key, value, expected, options);
}
Result<Revision> Bucket::Delete(std::string_view key, const WriteOptions& options) {
  return impl_->Delete(key, options);
}
Result<Revision> Bucket::Purge(std::string_view key, const WriteOptions& options) {
  return impl_->Purge(key, options);
}
Status Bucket::SetExpiry(std::string_view key, UnixMillis expire_at_ms) {
  return impl_->SetExpiry(key, expire_at_ms);
}
Result<EntryView> Bucket::Get(std::string_view key) {
  return impl_->Get(key);
}
Result<EntryView> Bucket::GetLatest(std::string_view key) {
  return impl_->GetLatest(key);
}
Result<EntryView> Bucket::GetAt(std::string_view key, Revision revision) {
  return impl_->GetAt(key, revision);
}
Result<EntryView> Bucket::GetByRevision(Revision revision) {
  return impl_->GetByRevision(revision);
}
Result<EntryView> Bucket::GetNextMatching(Revision from, const KeyFilter& filter) {
  return impl_->GetNextMatching(from, filter);
}
Result<EntryView> Bucket::GetAsOf(std::string_view key, Revision revision) {
  return impl_->GetAsOf(key, revision);
}
std::vector<EntryView> Bucket::History(std::string_view key) {
  return impl_->History(key);
}
Revision Bucket::Scan(Revision cursor, size_t count, const KeyFilter& filter,
                      const std::function<void(const EntryView&)>& fn) {
  return impl_->Scan(cursor, count, filter, fn);
}
Result<EntryView> Bucket::RandomKey() {
  return impl_->RandomKey();
}
uint64_t Bucket::LiveKeyCount() const {
  return impl_->live_keys_;
}
uint64_t Bucket::RemoveTombstones(UnixNanos older_than_ns) {
  return impl_->RemoveTombstones(older_than_ns);
}
uint64_t Bucket::Compact(Revision revision) {
  return impl_->Compact(revision);
}
uint64_t Bucket::PurgeEntries(const KeyFilter& filter, uint64_t keep, Revision below_revision) {
  return impl_->PurgeEntries(filter, keep, below_revision);
}
uint64_t Bucket::Flush() {
  return impl_->Flush();
}
Result<std::unique_ptr<Watch>> Bucket::StartWatch(const WatchOptions& options, WatchSink* sink) {
  return impl_->StartWatch(options, sink);
}
BucketStatus Bucket::GetStatus() const {
  return impl_->GetStatus();
}
Revision Bucket::LastRevision() const {
  return impl_->last_rev_;
}
Revision Bucket::Watermark() const {
  return impl_->watermark_;
}

// ---- Engine ----

namespace {

// glibc defers coalescing of freed small chunks (fastbins) until some later large-bin malloc
// or large free, which then consolidates ALL of them at once: after a sweep freed a million
// nodes, an unrelated 4 KiB allocation took 200+ ms (engine_bench, Flush lazy free). A
// large-bin request made here triggers that consolidation every Tick, so its cost stays
// proportional to what this Tick freed. Harmless with other allocators.
void SettleAllocator() {
  void* volatile p = std::malloc(4096);
  std::free(p);
}

}  // namespace

Engine::Engine(const Clock& clock) : Engine(clock, Limits{}) {
}

Engine::Engine(const Clock& clock, const Limits& limits)
    : impl_(std::make_unique<Impl>(clock, limits)) {
}

Engine::~Engine() {
  // Fail outstanding watches first so none dereferences a freed bucket later.
  for (auto& [name, bucket] : impl_->buckets) bucket->impl_->OnDeleted();
  impl_->buckets.clear();
  for (auto& ks : impl_->graveyard) {
    while (ks->FreeSome(SIZE_MAX)) {
    }
  }
  impl_->graveyard.clear();
}

Result<Bucket*> Engine::CreateBucket(std::string_view name, const BucketConfig& config) {
  if (!IsValidBucketName(name) || !BucketImpl::ValidConfig(config)) {
    return Errc::kInvalidArgument;
  }
  auto it = impl_->buckets.find(name);
  if (it != impl_->buckets.end()) {
    if (!it->second->config().SameSemantics(config)) return Errc::kBucketExists;
    return it->second.get();
  }
  auto bucket_impl = std::make_unique<BucketImpl>(impl_.get(), std::string(name), config);
  std::unique_ptr<Bucket> bucket(new Bucket(std::move(bucket_impl)));
  Bucket* raw = bucket.get();
  impl_->buckets.emplace(std::string(name), std::move(bucket));
  impl_->LogCreate(*raw->impl_);
  return raw;
}

Status Engine::UpdateBucket(std::string_view name, const BucketConfig& config) {
  auto it = impl_->buckets.find(name);
  if (it == impl_->buckets.end()) return Errc::kBucketNotFound;
  if (!BucketImpl::ValidConfig(config)) return Errc::kInvalidArgument;
  BucketImpl& b = *it->second->impl_;
  const BucketConfig old = b.config_;
  Status s = b.Reconfigure(config);
  if (s.ok()) impl_->LogUpdate(b, old);
  return s;
}

Status Engine::DeleteBucket(std::string_view name) {
  auto it = impl_->buckets.find(name);
  if (it == impl_->buckets.end()) return Errc::kBucketNotFound;
  std::string owned(name);
  impl_->LogDelete(*it->second->impl_);
  it->second->impl_->FinishImageNow();  // an image in progress takes it as it was
  it->second->impl_->OnDeleted();
  impl_->buckets.erase(it);
  ++impl_->generation;
  impl_->Notify(ChangeEvent{owned, {}, ChangeKind::kBucketDeleted, 0, false});
  return {};
}

Status Engine::SwapBuckets(std::string_view a, std::string_view b) {
  auto ia = impl_->buckets.find(a);
  auto ib = impl_->buckets.find(b);
  if (ia == impl_->buckets.end() || ib == impl_->buckets.end()) return Errc::kBucketNotFound;
  if (ia == ib) return {};
  ia->second->impl_->OnReplaced();
  ib->second->impl_->OnReplaced();
  std::swap(ia->second, ib->second);
  std::swap(ia->second->impl_->name_, ib->second->impl_->name_);
  impl_->LogSwap(*ia->second->impl_, *ib->second->impl_);
  ++impl_->generation;
  impl_->Notify(ChangeEvent{ia->first, ib->first, ChangeKind::kBucketsSwapped, 0, false});
  return {};
}

Bucket* Engine::FindBucket(std::string_view name) {
  auto it = impl_->buckets.find(name);
  return it == impl_->buckets.end() ? nullptr : it->second.get();
}

std::vector<std::string> Engine::ListBuckets() const {
  std::vector<std::string> names;
  names.reserve(impl_->buckets.size());
  for (const auto& [name, bucket] : impl_->buckets) names.push_back(name);
  return names;
}

uint64_t Engine::generation() const {
  return impl_->generation;
}

bool Engine::Tick() {
  size_t budget = std::max<size_t>(impl_->limits.tick_budget, 1);
  auto& graveyard = impl_->graveyard;
  // Half the budget frees dropped keyspaces; expiry in live buckets must not wait for it.
  size_t free_budget = std::max<size_t>(budget / 2, 1);
  while (!graveyard.empty() && !graveyard.back()->FreeSome(free_budget)) graveyard.pop_back();
  if (!graveyard.empty()) budget -= std::min(budget - 1, free_budget);
  auto& buckets = impl_->buckets;
  bool more = !graveyard.empty();
  if (buckets.empty()) {
    SettleAllocator();
    return more;
  }
  // Round-robin from where the last Tick ran out of budget, so one busy bucket cannot starve
  // the others.
  auto start = buckets.lower_bound(impl_->tick_next);
  auto it = start;
  for (size_t visited = 0; visited < buckets.size(); ++visited) {
    if (it == buckets.end()) it = buckets.begin();
    more |= it->second->impl_->Tick(&budget);
    ++it;
    if (budget == 0) {
      more = true;
      break;
    }
  }
  impl_->tick_next = it == buckets.end() ? std::string() : it->first;
  SettleAllocator();
  return more;
}

void Engine::PauseExpiry(bool paused) {
  impl_->expiry_paused = paused;
}

bool Engine::expiry_paused() const {
  return impl_->expiry_paused;
}

void Engine::AddChangeListener(ChangeListener* listener) {
  impl_->listeners.push_back(listener);
}

void Engine::RemoveChangeListener(ChangeListener* listener) {
  auto& v = impl_->listeners;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == listener) {
      v.erase(v.begin() + static_cast<ptrdiff_t>(i));
      return;
    }
  }
}

const Clock& Engine::clock() const {
  return impl_->clock;
}
const Engine::Limits& Engine::limits() const {
  return impl_->limits;
}
void Engine::SetLimits(const Limits& limits) {
  impl_->limits = limits;
}
uint64_t Engine::MemoryUsed() const {
  return impl_->memory.bytes;
}

}  // namespace kvgate::engine

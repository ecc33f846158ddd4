// File: engine/local_store.cc
// LocalStore and its bucket refs: the engine's synchronous calls behind the store interface.
//
//   LocalStore store(engine);
//   BucketRef b = store.FindBucket("b");   // nullptr when absent
//   b->Write(WriteRequest::Delete("k"), [](WriteResult r) {});   // called before Write returns
#include "engine/local_store.h"

#include <utility>

namespace kvgate::engine {

// One engine bucket behind StoreBucket. `bucket_` is cleared when the bucket is deleted through
// the store, after which every call answers kBucketNotFound.
class LocalBucket final : public StoreBucket {
 public:
  explicit LocalBucket(Bucket* bucket) : bucket_(bucket), name_(bucket->name()) {
  }

  Bucket* bucket() const {
    return bucket_;
  }
  // The engine bucket that now has this ref's name (after a swap).
  void Repoint(Bucket* bucket) {
    bucket_ = bucket;
  }
  // `keep_config`: the bucket still exists, so its config can be kept for config().
  void Detach(bool keep_config) {
    if (bucket_ != nullptr && keep_config) config_ = bucket_->config();
    bucket_ = nullptr;
  }

  const std::string& name() const override {
    return name_;
  }
  const BucketConfig& config() const override {
    return bucket_ != nullptr ? bucket_->config() : config_;
  }
  bool alive() const override {
    return bucket_ != nullptr;
  }

  Result<EntryView> Get(std::string_view key) override {
    if (bucket_ == nullptr) return Errc::kBucketNotFound;
    return bucket_->Get(key);
  }
  Result<EntryView> GetLatest(std::string_view key) override {
    if (bucket_ == nullptr) return Errc::kBucketNotFound;
    return bucket_->GetLatest(key);
  }
  Result<EntryView> GetAt(std::string_view key, Revision revision) override {
    if (bucket_ == nullptr) return Errc::kBucketNotFound;
    return bucket_->GetAt(key, revision);
  }
  Result<EntryView> GetByRevision(Revision revision) override {
    if (bucket_ == nullptr) return Errc::kBucketNotFound;
    return bucket_->GetByRevision(revision);
  }
  Result<EntryView> GetNextMatching(Revision from, const KeyFilter& filter) override {
    if (bucket_ == nullptr) return Errc::kBucketNotFound;
    return bucket_->GetNextMatching(from, filter);
  }
  Result<EntryView> GetAsOf(std::string_view key, Revision revision) override {
    if (bucket_ == nullptr) return Errc::kBucketNotFound;
    return bucket_->GetAsOf(key, revision);
  }
  std::vector<EntryView> History(std::string_view key) override {
    if (bucket_ == nullptr) return {};
    return bucket_->History(key);
  }
  Revision Scan(Revision cursor, size_t count, const KeyFilter& filter,
                const std::function<void(const EntryView&)>& fn) override {
    if (bucket_ == nullptr) return 0;
    return bucket_->Scan(cursor, count, filter, fn);
  }
  Result<EntryView> RandomKey() override {
    if (bucket_ == nullptr) return Errc::kBucketNotFound;
    return bucket_->RandomKey();
  }
  uint64_t LiveKeyCount() const override {
    return bucket_ != nullptr ? bucket_->LiveKeyCount() : 0;
  }
  BucketStatus GetStatus() const override {
    if (bucket_ != nullptr) return bucket_->GetStatus();
    BucketStatus s;
    s.name = name_;
    s.config = config_;
    return s;
  }
  Revision LastRevision() const override {
    return bucket_ != nullptr ? bucket_->LastRevision() : 0;
  }
  Revision Watermark() const override {
    return bucket_ != nullptr ? bucket_->Watermark() : 0;
  }

  void Write(const WriteRequest& w, WriteDone done) override {
    if (bucket_ == nullptr) return std::move(done)(Errc::kBucketNotFound);
    Result<Revision> r = Apply(w);
    if (!r.ok()) return std::move(done)(WriteResult(r.errc(), r.detail()));
    std::move(done)(*r);
  }
  void Mutate(std::string_view key, ValueType type, const MutateOptions& options,
              FunctionRef<bool(Collection&)> fn, WriteDone done) override {
    if (bucket_ == nullptr) return std::move(done)(Errc::kBucketNotFound);
    Result<Revision> r = bucket_->Mutate(key, type, options, fn);
    if (!r.ok()) return std::move(done)(WriteResult(r.errc(), r.detail()));
    std::move(done)(*r);
  }
  void SetExpiry(std::string_view key, UnixMillis expire_at_ms, WriteDone done) override {
    if (bucket_ == nullptr) return std::move(done)(Errc::kBucketNotFound);
    Status s = bucket_->SetExpiry(key, expire_at_ms);
    if (!s.ok()) return std::move(done)(WriteResult(s.errc(), s.detail()));
    std::move(done)(uint64_t{0});
  }
  void Compact(Revision revision, WriteDone done) override {
    if (bucket_ == nullptr) return std::move(done)(Errc::kBucketNotFound);
    std::move(done)(bucket_->Compact(revision));
  }
  void PurgeEntries(const KeyFilter& filter, uint64_t keep, Revision below_revision,
                    WriteDone done) override {
    if (bucket_ == nullptr) return std::move(done)(Errc::kBucketNotFound);
    std::move(done)(bucket_->PurgeEntries(filter, keep, below_revision));
  }
  void Flush(WriteDone done) override {
    if (bucket_ == nullptr) return std::move(done)(Errc::kBucketNotFound);
    std::move(done)(bucket_->Flush());
  }

  Result<std::unique_ptr<Watch>> StartWatch(const WatchOptions& options, WatchSink* sink) override {
    if (bucket_ == nullptr) return Errc::kBucketNotFound;
    return bucket_->StartWatch(options, sink);
  }

 private:
  Result<Revision> Apply(const WriteRequest& w) {
    switch (w.kind) {
      case WriteRequest::Kind::kPut:
        if (w.object != nullptr) return bucket_->PutObject(w.key, w.object, w.options);
        return bucket_->Put(w.key, w.value, w.options);
      case WriteRequest::Kind::kCreate:
        return bucket_->Create(w.key, w.value, w.options);
      case WriteRequest::Kind::kUpdate: {
        WriteOptions o = w.options;
        const Revision expected = o.expected_revision.value_or(0);
        o.expected_revision.reset();
        return bucket_->Update(w.key, w.value, expected, o);
      }
      case WriteRequest::Kind::kDelete:
        return bucket_->Delete(w.key, w.options);
      case WriteRequest::Kind::kPurge:
        return bucket_->Purge(w.key, w.options);
    }
    return Errc::kInvalidArgument;
  }

  Bucket* bucket_;
  std::string name_;
  BucketConfig config_;  // kept for config() once detached
};

LocalStore::LocalStore(Engine& engine) : engine_(engine) {
  engine_.AddChangeListener(this);
}

LocalStore::~LocalStore() {
  engine_.RemoveChangeListener(this);
  for (auto& [name, ref] : refs_) ref->Detach(true);
}

void LocalStore::OnChange(const ChangeEvent& event) {
  if (event.kind == ChangeKind::kBucketsSwapped) {
    // Refs are by name: each follows its name to the bucket that now has it.
    for (std::string_view name : {event.bucket, event.key}) {
      auto it = refs_.find(name);
      if (it != refs_.end()) it->second->Repoint(engine_.FindBucket(name));
    }
    return;
  }
  if (event.kind != ChangeKind::kBucketDeleted) return;
  auto it = refs_.find(event.bucket);
  if (it == refs_.end()) return;
  it->second->Detach(false);  // the engine bucket is already gone
  refs_.erase(it);
}

BucketRef LocalStore::RefFor(Bucket* bucket) {
  auto it = refs_.find(bucket->name());
  if (it != refs_.end()) {
    if (it->second->bucket() == bucket) return it->second;
    it->second->Detach(false);  // replaced behind the store's back: the old one is gone
    it->second = std::make_shared<LocalBucket>(bucket);
    return it->second;
  }
  auto ref = std::make_shared<LocalBucket>(bucket);
  refs_.emplace(bucket->name(), ref);
  return ref;
}

BucketRef LocalStore::FindBucket(std::string_view name) {
  Bucket* bucket = engine_.FindBucket(name);
  if (bucket == nullptr) return nullptr;
  auto it = refs_.find(name);
  if (it != refs_.end() && it->second->bucket() == bucket) return it->second;
  return RefFor(bucket);
}

std::vector<std::string> LocalStore::ListBuckets() const {
  return engine_.ListBuckets();
}

void LocalStore::CreateBucket(std::string_view name, const BucketConfig& config, BucketDone done) {
  Result<Bucket*> b = engine_.CreateBucket(name, config);
  if (!b.ok()) return std::move(done)(Result<BucketRef>(b.errc(), b.detail()));
  std::move(done)(RefFor(*b));
}

void LocalStore::UpdateBucket(std::string_view name, const BucketConfig& config, WriteDone done) {
  Status s = engine_.UpdateBucket(name, config);
  if (!s.ok()) return std::move(done)(WriteResult(s.errc(), s.detail()));
  std::move(done)(uint64_t{0});
}

void LocalStore::DeleteBucket(std::string_view name, WriteDone done) {
  auto it = refs_.find(name);
  if (it != refs_.end()) {
    // Detach first: listeners told of the deletion may look the bucket up again.
    std::shared_ptr<LocalBucket> ref = std::move(it->second);
    refs_.erase(it);
    ref->Detach(ref->bucket() == engine_.FindBucket(name));
  }
  Status s = engine_.DeleteBucket(name);
  if (!s.ok()) return std::move(done)(WriteResult(s.errc(), s.detail()));
  std::move(done)(uint64_t{0});
}

void LocalStore::SwapBuckets(std::string_view a, std::string_view b, WriteDone done) {
  Status s = engine_.SwapBuckets(a, b);  // refs are re-pointed by OnChange
  if (!s.ok()) return std::move(done)(WriteResult(s.errc(), s.detail()));
  std::move(done)(uint64_t{0});
}

void LocalStore::AddChangeListener(ChangeListener* listener) {
  engine_.AddChangeListener(listener);
}
void LocalStore::RemoveChangeListener(ChangeListener* listener) {
  engine_.RemoveChangeListener(listener);
}
const Clock& LocalStore::clock() const {
  return engine_.clock();
}
uint64_t LocalStore::MemoryUsed() const {
  return engine_.MemoryUsed();
}
uint64_t LocalStore::MaxMemory() const {
  return engine_.limits().max_memory_bytes;
}
void LocalStore::SetMeta(std::string_view name, std::string_view value, bool durable) {
  engine_.SetMeta(name, value, durable);
}

std::string LocalStore::GetMeta(std::string_view name) const {
  return engine_.GetMeta(name);
}

void LocalStore::PauseExpiry(bool paused) {
  engine_.PauseExpiry(paused);
}

void LocalStore::SetMaxMemory(uint64_t bytes) {
  Engine::Limits limits = engine_.limits();
  limits.max_memory_bytes = bytes;
  engine_.SetLimits(limits);
}
bool LocalStore::Tick() {
  return engine_.Tick();
}

}  // namespace kvgate::engine

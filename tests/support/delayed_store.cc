// File: tests/support/delayed_store.cc
// DelayedStore and its bucket wrapper: reads forward, changes wait in one FIFO.
//
//   DelayedStore store(local, clock, 0);
//   b->Write(WriteRequest::Put("k", "v"), done);   // not applied yet
//   store.RunAll();                                // applied, done called
#include "tests/support/delayed_store.h"

#include <utility>

namespace kvgate::testing {

using engine::BucketRef;
using engine::EntryView;
using engine::Errc;
using engine::Result;
using engine::Revision;
using engine::WriteDone;
using engine::WriteResult;

class DelayedBucket final : public engine::StoreBucket {
 public:
  DelayedBucket(DelayedStore& store, BucketRef inner) : store_(store), inner_(std::move(inner)) {
  }
  const BucketRef& inner() const {
    return inner_;
  }

  const std::string& name() const override {
    return inner_->name();
  }
  const engine::BucketConfig& config() const override {
    return inner_->config();
  }
  bool alive() const override {
    return inner_->alive();
  }
  Result<EntryView> Get(std::string_view key) override {
    return inner_->Get(key);
  }
  Result<EntryView> GetLatest(std::string_view key) override {
    return inner_->GetLatest(key);
  }
  Result<EntryView> GetAt(std::string_view key, Revision revision) override {
    return inner_->GetAt(key, revision);
  }
  Result<EntryView> GetByRevision(Revision revision) override {
    return inner_->GetByRevision(revision);
  }
  Result<EntryView> GetNextMatching(Revision from, const engine::KeyFilter& filter) override {
    return inner_->GetNextMatching(from, filter);
  }
  Result<EntryView> GetAsOf(std::string_view key, Revision revision) override {
    return inner_->GetAsOf(key, revision);
  }
  std::vector<EntryView> History(std::string_view key) override {
    return inner_->History(key);
  }
  Revision Scan(Revision cursor, size_t count, const engine::KeyFilter& filter,
                const std::function<void(const EntryView&)>& fn) override {
    return inner_->Scan(cursor, count, filter, fn);
  }
  Result<EntryView> RandomKey() override {
    return inner_->RandomKey();
  }
  uint64_t LiveKeyCount() const override {
    return inner_->LiveKeyCount();
  }
  engine::BucketStatus GetStatus() const override {
    return inner_->GetStatus();
  }
  Revision LastRevision() const override {
    return inner_->LastRevision();
  }
  Revision Watermark() const override {
    return inner_->Watermark();
  }
  Result<std::unique_ptr<engine::Watch>> StartWatch(const engine::WatchOptions& options,
                                                    engine::WatchSink* sink) override {
    return inner_->StartWatch(options, sink);
  }

  void Write(const engine::WriteRequest& request, WriteDone done) override {
    DelayedStore::Op op = NewOp(DelayedStore::Op::Kind::kWrite, std::move(done));
    op.write_kind = request.kind;
    op.key.assign(request.key);
    op.value.assign(request.value);
    op.meta.assign(request.options.meta);
    op.object = engine::CollectionRef(request.object);
    op.options = request.options;
    op.options.meta = {};
    store_.Queue(std::move(op));
  }
  // The change is made at once (reads see it, as a remote backend's local view would); only
  // its acknowledgement waits, as for a change that must be made durable first.
  void Mutate(std::string_view key, engine::ValueType type, const engine::MutateOptions& options,
              engine::FunctionRef<bool(engine::Collection&)> fn, WriteDone done) override {
    WriteResult result = uint64_t{0};
    inner_->Mutate(key, type, options, fn, [&result](WriteResult r) { result = std::move(r); });
    DelayedStore::Op op = NewOp(DelayedStore::Op::Kind::kAnswer, std::move(done));
    op.answer = std::move(result);
    store_.Queue(std::move(op));
  }
  void SetExpiry(std::string_view key, engine::UnixMillis expire_at_ms, WriteDone done) override {
    DelayedStore::Op op = NewOp(DelayedStore::Op::Kind::kExpiry, std::move(done));
    op.key.assign(key);
    op.expire_at_ms = expire_at_ms;
    store_.Queue(std::move(op));
  }
  void Compact(Revision revision, WriteDone done) override {
    DelayedStore::Op op = NewOp(DelayedStore::Op::Kind::kCompact, std::move(done));
    op.revision = revision;
    store_.Queue(std::move(op));
  }
  void PurgeEntries(const engine::KeyFilter& filter, uint64_t keep, Revision below_revision,
                    WriteDone done) override {
    DelayedStore::Op op = NewOp(DelayedStore::Op::Kind::kPurgeEntries, std::move(done));
    op.filter = filter;
    op.keep = keep;
    op.revision = below_revision;
    store_.Queue(std::move(op));
  }
  void Flush(WriteDone done) override {
    store_.Queue(NewOp(DelayedStore::Op::Kind::kFlush, std::move(done)));
  }

 private:
  DelayedStore::Op NewOp(DelayedStore::Op::Kind kind, WriteDone done) {
    DelayedStore::Op op;
    op.kind = kind;
    op.bucket = inner_;
    op.done = std::move(done);
    return op;
  }

  DelayedStore& store_;
  BucketRef inner_;
};

DelayedStore::DelayedStore(engine::Store& inner, const engine::Clock& clock, int64_t delay_ms)
    : inner_(inner), clock_(clock), delay_ms_(delay_ms) {
}

// Queued changes are dropped unanswered: whoever issued them is gone too (as at shutdown).
DelayedStore::~DelayedStore() = default;

void DelayedStore::Queue(Op op) {
  op.due_ms = clock_.NowMs() + delay_ms_;
  ops_.push_back(std::move(op));
  queued_.store(ops_.size());
}

void DelayedStore::Apply(Op& op) {
  queued_.store(ops_.size());
  ++answered_;
  if (op.kind == Op::Kind::kSwap) return inner_.SwapBuckets(op.key, op.value, std::move(op.done));
  engine::StoreBucket& b = *op.bucket;
  switch (op.kind) {
    case Op::Kind::kWrite: {
      engine::WriteRequest request{op.write_kind, op.key, op.value, op.options, op.object.get()};
      request.options.meta = op.meta;
      return b.Write(request, std::move(op.done));
    }
    case Op::Kind::kExpiry:
      return b.SetExpiry(op.key, op.expire_at_ms, std::move(op.done));
    case Op::Kind::kCompact:
      return b.Compact(op.revision, std::move(op.done));
    case Op::Kind::kPurgeEntries:
      return b.PurgeEntries(*op.filter, op.keep, op.revision, std::move(op.done));
    case Op::Kind::kFlush:
      return b.Flush(std::move(op.done));
    case Op::Kind::kAnswer:
      return std::move(op.done)(std::move(op.answer));
    case Op::Kind::kSwap:
      break;  // applied above
  }
}

size_t DelayedStore::RunDue() {
  size_t n = 0;
  const int64_t now = clock_.NowMs();
  while (!ops_.empty() && ops_.front().due_ms <= now) {
    Op op = std::move(ops_.front());
    ops_.pop_front();
    Apply(op);
    ++n;
  }
  return n;
}

size_t DelayedStore::RunAll() {
  size_t n = 0;
  while (!ops_.empty()) {
    Op op = std::move(ops_.front());
    ops_.pop_front();
    Apply(op);
    ++n;
  }
  return n;
}

BucketRef DelayedStore::Wrap(BucketRef inner) {
  if (inner == nullptr) return nullptr;
  auto it = wrappers_.find(inner->name());
  if (it != wrappers_.end() && it->second->inner() == inner) return it->second;
  auto wrapper = std::make_shared<DelayedBucket>(*this, inner);
  wrappers_[inner->name()] = wrapper;
  return wrapper;
}

BucketRef DelayedStore::FindBucket(std::string_view name) {
  return Wrap(inner_.FindBucket(name));
}

std::vector<std::string> DelayedStore::ListBuckets() const {
  return inner_.ListBuckets();
}

void DelayedStore::CreateBucket(std::string_view name, const engine::BucketConfig& config,
                                engine::BucketDone done) {
  std::optional<Result<BucketRef>> answer;
  inner_.CreateBucket(name, config,
                      [&answer](Result<BucketRef> r) { answer.emplace(std::move(r)); });
  if (!answer) return std::move(done)(Result<BucketRef>(Errc::kInvalidArgument));
  if (!answer->ok()) return std::move(done)(std::move(*answer));
  std::move(done)(Wrap(**answer));
}

void DelayedStore::UpdateBucket(std::string_view name, const engine::BucketConfig& config,
                                WriteDone done) {
  inner_.UpdateBucket(name, config, std::move(done));
}

void DelayedStore::DeleteBucket(std::string_view name, WriteDone done) {
  wrappers_.erase(std::string(name));
  inner_.DeleteBucket(name, std::move(done));
}

void DelayedStore::SwapBuckets(std::string_view a, std::string_view b, WriteDone done) {
  // Wrappers wrap the inner store's refs, which keep their names across the swap.
  Op op;
  op.kind = Op::Kind::kSwap;
  op.key.assign(a);
  op.value.assign(b);
  op.done = std::move(done);
  Queue(std::move(op));
}

void DelayedStore::AddChangeListener(engine::ChangeListener* listener) {
  inner_.AddChangeListener(listener);
}
void DelayedStore::RemoveChangeListener(engine::ChangeListener* listener) {
  inner_.RemoveChangeListener(listener);
}
const engine::Clock& DelayedStore::clock() const {
  return inner_.clock();
}
uint64_t DelayedStore::MemoryUsed() const {
  return inner_.MemoryUsed();
}
uint64_t DelayedStore::MaxMemory() const {
  return inner_.MaxMemory();
}
void DelayedStore::SetMeta(std::string_view name, std::string_view value, bool durable) {
  inner_.SetMeta(name, value, durable);
}

std::string DelayedStore::GetMeta(std::string_view name) const {
  return inner_.GetMeta(name);
}

void DelayedStore::PauseExpiry(bool paused) {
  inner_.PauseExpiry(paused);
}

void DelayedStore::SetMaxMemory(uint64_t bytes) {
  inner_.SetMaxMemory(bytes);
}
bool DelayedStore::Tick() {
  if (release_.exchange(false)) RunAll();
  RunDue();
  const bool more = inner_.Tick();
  return more || !ops_.empty();
}

}  // namespace kvgate::testing

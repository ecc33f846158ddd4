// File: tests/engine/support/sync_bucket.cc
// SyncBucket's changes: issue through the store interface, pump, return the answer.
//
//   Result<Revision> r = b.Put("k", "v", {});   // r.errc() == Errc::kOutOfMemory, ...
#include "tests/engine/support/sync_bucket.h"

#include <optional>
#include <stdexcept>
#include <utility>

namespace kvgate::engine::testing {

template <typename Issue>
WriteResult SyncBucket::Answer(Issue&& issue) {
  std::optional<WriteResult> answer;
  issue([&answer](WriteResult r) { answer.emplace(std::move(r)); });
  if (!answer) pump_();
  if (!answer) throw std::runtime_error("SyncBucket: the store never answered");
  return std::move(*answer);
}

Result<Revision> SyncBucket::Write(const WriteRequest& request) {
  WriteResult r = Answer([&](WriteDone done) { bucket_->Write(request, std::move(done)); });
  if (!r.ok()) return Result<Revision>(r.errc(), r.detail());
  return *r;
}

Result<Revision> SyncBucket::Put(std::string_view key, std::string_view value,
                                 const WriteOptions& o) {
  return Write(WriteRequest::Put(key, value, o));
}
Result<Revision> SyncBucket::Mutate(std::string_view key, ValueType type, const MutateOptions& o,
                                    FunctionRef<bool(Collection&)> fn) {
  WriteResult r =
      Answer([&](WriteDone done) { bucket_->Mutate(key, type, o, fn, std::move(done)); });
  if (!r.ok()) return Result<Revision>(r.errc(), r.detail());
  return *r;
}
Result<Revision> SyncBucket::PutObject(std::string_view key, Collection* object,
                                       const WriteOptions& o) {
  return Write(WriteRequest::PutObject(key, object, o));
}
Result<Revision> SyncBucket::Create(std::string_view key, std::string_view value,
                                    const WriteOptions& o) {
  return Write(WriteRequest::Create(key, value, o));
}
Result<Revision> SyncBucket::Update(std::string_view key, std::string_view value, Revision expected,
                                    const WriteOptions& o) {
  return Write(WriteRequest::Update(key, value, expected, o));
}
Result<Revision> SyncBucket::Delete(std::string_view key, const WriteOptions& o) {
  return Write(WriteRequest::Delete(key, o));
}
Result<Revision> SyncBucket::Purge(std::string_view key, const WriteOptions& o) {
  return Write(WriteRequest::Purge(key, o));
}

Status SyncBucket::SetExpiry(std::string_view key, UnixMillis expire_at_ms) {
  WriteResult r =
      Answer([&](WriteDone done) { bucket_->SetExpiry(key, expire_at_ms, std::move(done)); });
  return r.ok() ? Status() : Status(r.errc(), r.detail());
}

uint64_t SyncBucket::Compact(Revision revision) {
  WriteResult r = Answer([&](WriteDone done) { bucket_->Compact(revision, std::move(done)); });
  return r.ok() ? *r : 0;
}

uint64_t SyncBucket::PurgeEntries(const KeyFilter& filter, uint64_t keep, Revision below) {
  WriteResult r =
      Answer([&](WriteDone done) { bucket_->PurgeEntries(filter, keep, below, std::move(done)); });
  return r.ok() ? *r : 0;
}

uint64_t SyncBucket::Flush() {
  WriteResult r = Answer([&](WriteDone done) { bucket_->Flush(std::move(done)); });
  return r.ok() ? *r : 0;
}

uint64_t SyncBucket::RemoveTombstones(UnixNanos older_than_ns) {
  pump_();
  Bucket* b = engine_.FindBucket(bucket_->name());
  return b != nullptr ? b->RemoveTombstones(older_than_ns) : 0;
}

}  // namespace kvgate::engine::testing

#include "protocols/buffer.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace kvgate::protocols {

std::span<char> InBuffer::Reserve(size_t min_bytes) {
  if (cap_ - end_ >= min_bytes) return {buf_.get() + end_, cap_ - end_};
  size_t used = end_ - start_;
  if (start_ > 0 && cap_ - used >= min_bytes && used <= cap_ / 2) {
    // Enough room once the consumed prefix is dropped: slide the unconsumed bytes down.
    std::memmove(buf_.get(), buf_.get() + start_, used);
  } else {
    size_t new_cap = std::max<size_t>(cap_ ? cap_ : 1024, 1024);
    while (new_cap - used < min_bytes) new_cap *= 2;
    std::unique_ptr<char[]> grown(new char[new_cap]);
    if (used) std::memcpy(grown.get(), buf_.get() + start_, used);
    buf_ = std::move(grown);
    cap_ = new_cap;
  }
  start_ = 0;
  end_ = used;
  return {buf_.get() + end_, cap_ - end_};
}

void InBuffer::Append(std::string_view bytes) {
  auto tail = Reserve(bytes.size());
  if (!bytes.empty()) std::memcpy(tail.data(), bytes.data(), bytes.size());
  Commit(bytes.size());
}

void InBuffer::ShrinkIfIdle(size_t keep_bytes) {
  if (!empty() || cap_ <= keep_bytes) return;
  buf_.reset();
  cap_ = start_ = end_ = 0;
}

void WriteBatch::ConsumeFront(size_t n) {
  bytes_ -= n;
  while (n > 0 && !blocks_.empty()) {
    size_t avail = blocks_.front().size - front_offset_;
    if (n < avail) {
      front_offset_ += n;
      return;
    }
    n -= avail;
    blocks_.erase(blocks_.begin());
    front_offset_ = 0;
  }
  if (bytes_ == 0) {
    blocks_.clear();
    front_offset_ = 0;
  }
}

void OutChain::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    if (cur_size_ == cur_cap_) NewBlock(std::min(bytes.size(), kBlockSize * 4));
    size_t n = std::min(bytes.size(), cur_cap_ - cur_size_);
    std::memcpy(cur_ + cur_size_, bytes.data(), n);
    cur_size_ += n;
    bytes_ += n;
    bytes.remove_prefix(n);
  }
}

void OutChain::AppendInt(int64_t v) {
  char* p = Reserve(24);
  auto r = std::to_chars(p, p + 24, v);
  Commit(static_cast<size_t>(r.ptr - p));
}

void OutChain::AppendUint(uint64_t v) {
  char* p = Reserve(24);
  auto r = std::to_chars(p, p + 24, v);
  Commit(static_cast<size_t>(r.ptr - p));
}

void OutChain::NewBlock(size_t min_bytes) {
  if (cur_owner_ && cur_size_ > 0) {
    full_.push_back({std::move(cur_owner_), cur_size_, cur_cap_});
  }
  size_t cap = std::max(kBlockSize, min_bytes);
  cur_owner_.reset(new char[cap]);
  cur_ = cur_owner_.get();
  cur_size_ = 0;
  cur_cap_ = cap;
}

void OutChain::ConsumeFront(size_t n) {
  bytes_ -= n;
  while (n > 0 && !full_.empty()) {
    size_t avail = full_.front().size - head_offset_;
    if (n < avail) {
      head_offset_ += n;
      return;
    }
    n -= avail;
    full_.erase(full_.begin());
    head_offset_ = 0;
  }
  if (n == 0) return;
  head_offset_ += n;
  if (head_offset_ >= cur_size_) {  // current block fully written: reuse it from the start
    cur_size_ = 0;
    head_offset_ = 0;
  }
}

WriteBatch OutChain::Detach() {
  WriteBatch batch;
  batch.blocks_ = std::move(full_);
  full_.clear();
  if (cur_owner_ && cur_size_ > 0) {
    batch.blocks_.push_back({std::move(cur_owner_), cur_size_, cur_cap_});
    cur_ = nullptr;
    cur_size_ = cur_cap_ = 0;
  }
  batch.front_offset_ = head_offset_;
  head_offset_ = 0;
  batch.bytes_ = bytes_;
  bytes_ = 0;
  return batch;
}

WriteBatch OutChain::DetachFront(size_t n) {
  if (n >= bytes_) return Detach();
  WriteBatch batch;
  batch.bytes_ = n;
  bytes_ -= n;
  auto copy_front = [&](const char* from) {
    WriteBatch::Block b{std::make_unique<char[]>(n), n, n};
    std::memcpy(b.data.get(), from + head_offset_, n);
    batch.blocks_.push_back(std::move(b));
    head_offset_ += n;
    n = 0;
  };
  while (n > 0 && !full_.empty()) {
    WriteBatch::Block& b = full_.front();
    const size_t avail = b.size - head_offset_;
    if (n < avail) {
      copy_front(b.data.get());
      return batch;
    }
    if (batch.blocks_.empty()) batch.front_offset_ = head_offset_;
    batch.blocks_.push_back(std::move(b));
    full_.erase(full_.begin());
    head_offset_ = 0;
    n -= avail;
  }
  if (n > 0) copy_front(cur_);  // n < the current block's unsent bytes: bytes_ was larger
  return batch;
}

std::string OutChain::ToString() const {
  std::string s;
  s.reserve(bytes_);
  ForEachChunk([&](std::string_view chunk) {
    s.append(chunk);
    return true;
  });
  return s;
}

void OutChain::Clear() {
  full_.clear();
  cur_size_ = 0;
  head_offset_ = 0;
  bytes_ = 0;
}

}  // namespace kvgate::protocols

// File: protocols/buffer.h
// Connection byte buffers shared by the codecs and the gateway.
//
// InBuffer: one contiguous growable buffer per connection. libuv's alloc_cb takes Reserve()'s
// tail, read_cb Commit()s what the kernel wrote, the parser reads Data() and Consume()s whole
// requests. Views into Data() are valid until the next Reserve/Consume/Compact.
//
//   auto tail = in.Reserve(16 * 1024);  read(fd, tail.data(), tail.size());  in.Commit(n);
//   while (parser.Next(in.Data(), &consumed)) in.Consume(consumed);
//
// OutChain: replies appended into fixed-size blocks; the gateway Detach()es the filled blocks
// into a WriteBatch that lives until uv_write's callback, while new replies go to fresh blocks.
//
//   out.Append("+OK\r\n");
//   WriteBatch batch = out.Detach();   // batch.blocks() -> uv_write; free batch in write_cb
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace kvgate::protocols {

class InBuffer {
 public:
  InBuffer() = default;
  InBuffer(const InBuffer&) = delete;
  InBuffer& operator=(const InBuffer&) = delete;

  // Unconsumed bytes.
  std::string_view Data() const {
    return {buf_.get() + start_, end_ - start_};
  }
  size_t size() const {
    return end_ - start_;
  }
  bool empty() const {
    return end_ == start_;
  }
  // Returns a writable tail of at least min_bytes (moving or growing the buffer if needed).
  std::span<char> Reserve(size_t min_bytes);
  // Marks n bytes of the reserved tail as filled.
  void Commit(size_t n) {
    end_ += n;
  }
  // Drops n bytes from the front.
  void Consume(size_t n) {
    start_ += n;
    if (start_ == end_) start_ = end_ = 0;
  }
  void Append(std::string_view bytes);
  void Clear() {
    start_ = end_ = 0;
  }
  // Bytes allocated (for memory accounting and limits).
  size_t capacity() const {
    return cap_;
  }
  // Releases a large allocation once it is no longer needed (idle connection).
  void ShrinkIfIdle(size_t keep_bytes);

 private:
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t start_ = 0;
  size_t end_ = 0;
};

// Filled blocks handed to the kernel; must outlive the write that references them.
class WriteBatch {
 public:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size = 0;
    size_t cap = 0;
  };
  WriteBatch() = default;
  WriteBatch(WriteBatch&&) = default;
  WriteBatch& operator=(WriteBatch&&) = default;

  bool empty() const {
    return bytes_ == 0;
  }
  size_t bytes() const {
    return bytes_;
  }
  const std::vector<Block>& blocks() const {
    return blocks_;
  }
  // Drops the first n bytes (after a partial uv_try_write).
  void ConsumeFront(size_t n);
  // Offset into the first block (after ConsumeFront).
  size_t front_offset() const {
    return front_offset_;
  }

 private:
  friend class OutChain;
  std::vector<Block> blocks_;
  size_t front_offset_ = 0;
  size_t bytes_ = 0;
};

class OutChain {
 public:
  static constexpr size_t kBlockSize = 16 * 1024;

  OutChain() = default;
  OutChain(const OutChain&) = delete;
  OutChain& operator=(const OutChain&) = delete;

  void Append(std::string_view bytes);
  void Append(char c) {
    if (cur_size_ == cur_cap_) NewBlock(1);
    cur_[cur_size_++] = c;
    ++bytes_;
  }
  // Writable space of at least n contiguous bytes; follow with Commit(written).
  char* Reserve(size_t n) {
    if (cur_cap_ - cur_size_ < n) NewBlock(n);
    return cur_ + cur_size_;
  }
  void Commit(size_t n) {
    cur_size_ += n;
    bytes_ += n;
  }
  // Appends the decimal form of v.
  void AppendInt(int64_t v);
  void AppendUint(uint64_t v);

  size_t bytes() const {
    return bytes_;
  }
  bool empty() const {
    return bytes_ == 0;
  }
  // Visits the unsent bytes as contiguous chunks, oldest first, until fn returns false.
  template <typename Fn>
  void ForEachChunk(Fn&& fn) const {
    size_t skip = head_offset_;
    for (const auto& b : full_) {
      if (!fn(std::string_view(b.data.get() + skip, b.size - skip))) return;
      skip = 0;
    }
    if (cur_size_ > skip) fn(std::string_view(cur_ + skip, cur_size_ - skip));
  }
  // Drops the first n bytes (written by a successful non-blocking write). The current block is
  // reused once it is fully written, so a connection that keeps up allocates nothing.
  void ConsumeFront(size_t n);
  // Moves every byte appended so far into a batch.
  WriteBatch Detach();
  // Moves the first n bytes into a batch (whole blocks move; the block the cut falls in has
  // its front part copied), leaving the rest queued: output released only up to a point.
  WriteBatch DetachFront(size_t n);
  // Copy of everything appended (tests).
  std::string ToString() const;
  void Clear();

 private:
  void NewBlock(size_t min_bytes);
  std::vector<WriteBatch::Block> full_;
  std::unique_ptr<char[]> cur_owner_;
  char* cur_ = nullptr;
  size_t cur_size_ = 0;
  size_t cur_cap_ = 0;
  size_t head_offset_ = 0;  // bytes of the first chunk already consumed
  size_t bytes_ = 0;
};

}  // namespace kvgate::protocols

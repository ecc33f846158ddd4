// File: engine/detail/codec.h
// The pieces of the collection codec (engine/collection_codec.h): the primitive writers, a
// bounds-checked reader that accepts only canonical bytes (minimal varints, flags with no
// unknown bits), and one encode/decode pair per collection type (codec_*.cc).
//
//   std::string out;  PutVarint(&out, 300);  PutString(&out, "abc");
//   Reader r(out);  uint64_t n;  std::string_view s;
//   bool ok = r.Varint(&n) && r.String(&s) && r.done();
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "engine/collections/stream_id.h"

namespace kvgate::engine {
class HashValue;
class ListValue;
class SetValue;
class StreamValue;
class ZSetValue;
}  // namespace kvgate::engine

namespace kvgate::engine::detail {

// ---- writing ----

inline void PutByte(std::string* out, uint8_t b) {
  out->push_back(static_cast<char>(b));
}
// LEB128: 7 bits a byte, low groups first, 0x80 on every byte but the last.
inline void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
// Zigzag, so small negative numbers (times before the epoch, -1 counters) stay short.
inline void PutSigned(std::string* out, int64_t v) {
  PutVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}
inline void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}
// The IEEE bits, little endian: -0.0, infinities and every payload bit survive.
inline void PutDouble(std::string* out, double d) {
  uint64_t bits = std::bit_cast<uint64_t>(d);
  for (int i = 0; i < 8; ++i) {
    out->push_back(static_cast<char>(bits & 0xff));
    bits >>= 8;
  }
}
inline void PutId(std::string* out, StreamId id) {
  PutVarint(out, id.ms);
  PutVarint(out, id.seq);
}
// An ID of an ascending run: the ms as a delta from the previous ID's, the seq in full.
inline void PutIdAfter(std::string* out, StreamId prev, StreamId id) {
  PutVarint(out, id.ms - prev.ms);
  PutVarint(out, id.seq);
}

// ---- reading ----

// Every read checks the bytes left and fails (false) rather than read past them; views point
// into the input.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {
  }
  size_t remaining() const {
    return in_.size() - pos_;
  }
  bool done() const {
    return pos_ == in_.size();
  }
  // Takes every unread byte (a record's trailing image or operations).
  std::string_view Rest() {
    std::string_view r = in_.substr(pos_);
    pos_ = in_.size();
    return r;
  }
  bool Byte(uint8_t* out) {
    if (pos_ >= in_.size()) return false;
    *out = static_cast<uint8_t>(in_[pos_++]);
    return true;
  }
  // A minimal LEB128 of at most 64 bits (a longer form of the same number is refused, so each
  // value has one encoding).
  bool Varint(uint64_t* out) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = 0;
      if (!Byte(&b)) return false;
      if (shift == 63 && b > 1) return false;  // beyond 64 bits
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift != 0) return false;  // a redundant zero group
        *out = v;
        return true;
      }
    }
    return false;
  }
  // A count of elements that take at least `min_each` bytes each: more than the bytes left can
  // hold is refused before anything is built or reserved.
  bool Count(uint64_t* out, size_t min_each) {
    return Varint(out) && *out <= remaining() / min_each;
  }
  bool Signed(int64_t* out) {
    uint64_t z = 0;
    if (!Varint(&z)) return false;
    *out = static_cast<int64_t>((z >> 1) ^ (0 - (z & 1)));
    return true;
  }
  bool String(std::string_view* out) {
    uint64_t n = 0;
    if (!Varint(&n) || n > remaining() || n > UINT32_MAX) return false;  // u32: the containers
    *out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool Double(double* out) {
    if (remaining() < 8) return false;
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = bits << 8 | static_cast<uint8_t>(in_[pos_ + i]);
    pos_ += 8;
    *out = std::bit_cast<double>(bits);
    return true;
  }
  bool Id(StreamId* out) {
    return Varint(&out->ms) && Varint(&out->seq);
  }
  // The next ID of a strictly ascending run after `prev` (PutIdAfter); `first` reads the run's
  // first ID, which has no predecessor to exceed.
  bool IdAfter(StreamId prev, bool first, StreamId* out) {
    uint64_t dms = 0;
    if (!Varint(&dms) || !Varint(&out->seq) || dms > UINT64_MAX - prev.ms) return false;
    out->ms = prev.ms + dms;
    return first || *out > prev;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

// ---- per type (codec_hash_set.cc, codec_list_zset.cc, codec_stream.cc) ----
// Encoders append the type's payload; decoders read exactly one payload (the caller checks
// that nothing follows) and return nullptr on any inconsistency.

void EncodeHash(const HashValue& h, std::string* out);
std::unique_ptr<HashValue> DecodeHash(Reader& r);
void EncodeSet(const SetValue& s, std::string* out);
std::unique_ptr<SetValue> DecodeSet(Reader& r);
void EncodeList(const ListValue& l, std::string* out);
std::unique_ptr<ListValue> DecodeList(Reader& r);
void EncodeZSet(const ZSetValue& z, std::string* out);
std::unique_ptr<ZSetValue> DecodeZSet(Reader& r);
void EncodeStream(const StreamValue& s, std::string* out);
std::unique_ptr<StreamValue> DecodeStream(Reader& r);

}  // namespace kvgate::engine::detail

// File: engine/redo.cc
// Framing of redo records (engine/redo.h): writing frames and scanning a log for its good
// prefix, telling a torn tail (cut it) from corruption in the middle (refuse).
//
//   std::string out;  AppendRedoFrame("\x05...", &out);
//   ScanRedo(out, [](std::string_view payload, size_t offset) { return true; }).end == kClean;
#include "engine/redo.h"

#include <xxhash.h>

namespace kvgate::engine {

namespace {

void PutLe(uint64_t v, size_t n, char* out) {
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t GetLe(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}

enum class Frame : uint8_t {
  kValid,
  kHeaderCut,   // fewer bytes than a header
  kBadHeader,   // the header check fails, or an impossible length
  kPayloadCut,  // a good header whose payload runs past the end
  kBadSum,      // the payload's checksum fails
};

// What starts at offset p; *len is the payload's length once the header is good.
Frame FrameAt(std::string_view data, size_t p, uint64_t* len) {
  if (data.size() - p < kRedoHeaderBytes) return Frame::kHeaderCut;
  const char* h = data.data() + p;
  *len = GetLe(h, 4);
  if (GetLe(h + 12, 4) != (XXH3_64bits(h, 12) & 0xffffffffu) || *len == 0 ||
      *len > kRedoMaxPayload) {
    return Frame::kBadHeader;
  }
  if (*len > data.size() - p - kRedoHeaderBytes) return Frame::kPayloadCut;
  if (GetLe(h + 4, 8) != XXH3_64bits(h + kRedoHeaderBytes, *len)) return Frame::kBadSum;
  return Frame::kValid;
}

// A bad spot is a torn tail unless a valid record follows it somewhere: only then was there
// acknowledged data after it, which cutting would lose.
bool ValidFrameAfter(std::string_view data, size_t from) {
  uint64_t len = 0;
  for (size_t p = from; p + kRedoHeaderBytes <= data.size(); ++p) {
    if (FrameAt(data, p, &len) == Frame::kValid) return true;
  }
  return false;
}

}  // namespace

void SealRedoFrame(char* frame, size_t payload_len) {
  PutLe(payload_len, 4, frame);
  PutLe(XXH3_64bits(frame + kRedoHeaderBytes, payload_len), 8, frame + 4);
  PutLe(XXH3_64bits(frame, 12), 4, frame + 12);
}

void AppendRedoFrame(std::string_view payload, std::string* out) {
  const size_t start = out->size();
  out->append(kRedoHeaderBytes, '\0');
  out->append(payload);
  SealRedoFrame(out->data() + start, payload.size());
}

RedoScan ScanRedo(std::string_view data, FunctionRef<bool(std::string_view, size_t)> fn) {
  RedoScan scan;
  size_t off = 0;
  while (off < data.size()) {
    scan.good_bytes = off;
    scan.bad_offset = off;
    uint64_t len = 0;
    switch (FrameAt(data, off, &len)) {
      case Frame::kValid:
        break;
      case Frame::kHeaderCut:
      case Frame::kPayloadCut:
        scan.end = RedoScan::End::kTornTail;
        return scan;
      case Frame::kBadHeader:
      case Frame::kBadSum:
        scan.end =
            ValidFrameAfter(data, off + 1) ? RedoScan::End::kCorrupt : RedoScan::End::kTornTail;
        return scan;
    }
    if (!fn(data.substr(off + kRedoHeaderBytes, len), off)) {
      scan.end = RedoScan::End::kRejected;
      return scan;
    }
    ++scan.records;
    off += kRedoHeaderBytes + len;
  }
  scan.good_bytes = off;
  scan.bad_offset = off;
  scan.end = RedoScan::End::kClean;
  return scan;
}

}  // namespace kvgate::engine

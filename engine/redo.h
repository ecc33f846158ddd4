// File: engine/redo.h
// The redo log of file buckets (DESIGN.md "Persistence"): the engine appends one framed record
// per state change of a bucket with Storage::kFile to a RedoBuffer its owner drains (the
// gateway writes the bytes to the data directory); Engine::Replay applies records back.
//
// Framing of every record, little endian: [u32 payload length][u64 XXH3-64 of the payload]
// [u32 check: the low half of XXH3-64 of the 12 bytes before it][payload]. The header check
// tells a damaged length (corruption) from a record cut short by a crash (a torn tail). The
// payload's first byte is the record type (engine/detail/redo_codec.h).
//
//   engine::RedoBuffer redo;
//   engine.SetRedo(&redo);              // file buckets' changes now land in redo.bytes
//   RedoScan s = ScanRedo(file_bytes, [&](std::string_view payload, size_t offset) {
//     return engine.Replay(payload).ok();
//   });
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/function_ref.h"

namespace kvgate::engine {

inline constexpr size_t kRedoHeaderBytes = 16;
// A record longer than this is treated as corruption (a collection image is one record).
inline constexpr uint32_t kRedoMaxPayload = 1u << 31;

struct RedoBuffer {
  std::string bytes;     // framed records not yet taken by the writer
  uint64_t records = 0;  // records appended since the start (a change counter)
};

struct RedoScan {
  enum class End : uint8_t {
    kClean,     // every byte belongs to a good record
    kTornTail,  // the bytes after good_bytes are an incomplete or bad last record (cut them)
    kCorrupt,   // a bad record at bad_offset with more data after it (refuse to start)
    kRejected,  // fn returned false for the record at bad_offset
  };
  End end = End::kClean;
  size_t good_bytes = 0;  // length of the prefix made of good records
  size_t records = 0;     // good records visited
  size_t bad_offset = 0;  // offset of the first record not accepted (kCorrupt, kRejected)
};

// Frames `payload` onto `out`.
void AppendRedoFrame(std::string_view payload, std::string* out);
// Fills in the header of a frame whose payload follows it (`frame` points at the header).
void SealRedoFrame(char* frame, size_t payload_len);

// Visits the good records of `data` in order: fn(payload, offset of its frame) returns false to
// stop (kRejected). A bad record (incomplete, failing its header check or checksum) with no
// valid record anywhere after it is a torn tail (a crash mid-write, a file extended but not
// written before a power loss); one with a valid record after it is corruption.
RedoScan ScanRedo(std::string_view data, FunctionRef<bool(std::string_view, size_t)> fn);

}  // namespace kvgate::engine

// File: engine/detail/image_walk.h
// A checkpoint image written while the engine keeps changing (Engine::BeginImage, DESIGN.md
// "Persistence"): at the start every file bucket's state is noted (its name, config, last
// revision R0, watermark); the walk then writes, a slice at a time, each retained entry with
// a revision <= R0 as it was at the start. The image is exact, not fuzzy: before a change
// touches an entry the walk has not reached yet (its removal, an expiry change, a collection
// changed in place), the bucket captures the entry's record as it is (BucketImpl::
// CaptureForImage), and the walk writes the captured record in its place. So image + the
// records logged since the start replay to exactly the live state.
//
//   ImageBucket ib{...};  impl->image_ = &ib;     // BeginImage
//   impl->CaptureForImage(*entry);               // from a change path, before it
//   impl->WriteImageSlice(ib, &budget);          // ContinueImage
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/redo.h"
#include "engine/types.h"

namespace kvgate::engine {

class BucketImpl;

namespace detail {

struct ImageBucket {
  BucketImpl* impl = nullptr;  // nullptr once its part of the image is complete
  RedoBuffer* out = nullptr;   // where the image goes
  std::string name;            // at the start (a swap renames the bucket, not its image)
  UnixNanos created_ns = 0;
  BucketConfig config;
  Revision r0 = 0;         // its last revision at the start
  Revision watermark = 0;  // at the start
  Revision cursor = 1;     // the next revision the walk writes
  bool started = false;    // its create record is written
  // Records of entries the walk had not reached when a change touched them, by revision.
  std::map<Revision, std::string> captured;
};

struct ImageWalk {
  std::vector<std::unique_ptr<ImageBucket>> buckets;  // in name order
  size_t next = 0;                                    // the bucket being written
};

}  // namespace detail
}  // namespace kvgate::engine

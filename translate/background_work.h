// File: translate/background_work.h
// Work too slow for the loop thread (a bcrypt password check takes tens of milliseconds): the
// gateway runs it on libuv's thread pool and calls `done` back on the loop thread. `work` must
// touch nothing the loop owns (copy what it needs in); `done` runs from the loop, outside every
// session's OnBytes. Fronts hold a pointer that may be null (in-process tests, fuzzers): they
// then run the work inline.
//
//   if (BackgroundWork* bg = front.background_work()) bg->Run([r] { r->ok = Slow(); }, [r] { Use(r); });
#pragma once

#include <functional>

namespace kvgate::translate {

class BackgroundWork {
 public:
  virtual ~BackgroundWork() = default;
  virtual void Run(std::function<void()> work, std::function<void()> done) = 0;
};

}  // namespace kvgate::translate

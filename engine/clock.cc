#include "engine/clock.h"

#include <time.h>

namespace kvgate::engine {

UnixNanos SystemClock::NowNs() const {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<UnixNanos>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace kvgate::engine

#include "gateway/cpu_contention.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

namespace kvgate::gateway {

CpuContention::~CpuContention() {
  if (schedstat_fd_ >= 0) close(schedstat_fd_);
}

bool CpuContention::Sample(uint64_t now_ns) {
  // Opened on first use, on the loop thread: "thread-self" is whichever thread opens it.
  if (schedstat_fd_ == -2) {
    schedstat_fd_ = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  }
  if (schedstat_fd_ < 0) return false;
  // "<ns on CPU> <ns waiting on a run queue> <timeslices>"
  char buf[96];
  ssize_t n = pread(schedstat_fd_, buf, sizeof buf - 1, 0);
  if (n <= 0) return false;
  buf[n] = '\0';
  char* end = nullptr;
  std::strtoull(buf, &end, 10);
  uint64_t run_delay = std::strtoull(end, nullptr, 10);
  uint64_t delay = run_delay - last_run_delay_ns_;
  uint64_t elapsed = now_ns - window_start_ns_;
  bool first = window_start_ns_ == 0;  // the first sample only starts a window
  window_start_ns_ = now_ns;
  last_run_delay_ns_ = run_delay;
  if (first) return false;
  // Judged on the share of time spent waiting over this window and the one before (windows can
  // be longer than kWindowNs: no samples while requests are sparse), so one late wake-up
  // (another program's burst) is not a trend.
  bool contended =
      (delay + last_window_delay_ns_) * kWindowToMaxRunDelay > elapsed + last_window_elapsed_ns_;
  if (contended) contended_until_ns_ = now_ns + kBackoffNs;
  last_window_delay_ns_ = delay;
  last_window_elapsed_ns_ = elapsed;
  return contended;
}

}  // namespace kvgate::gateway

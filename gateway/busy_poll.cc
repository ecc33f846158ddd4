#include "gateway/busy_poll.h"

#include <algorithm>

namespace kvgate::gateway {

void BusyPoll::NoteGap(uint64_t now_ns) {
  uint64_t gap = now_ns - last_io_ns_;
  // EWMA (1/8) of the gap; capped so one long pause cannot dominate for long.
  gap = std::min<uint64_t>(gap, 8 * options_.window_us * 1000);
  io_gap_ewma_ns_ = io_gap_ewma_ns_ - io_gap_ewma_ns_ / 8 + gap / 8;
  last_io_ns_ = now_ns;
}

bool BusyPoll::ShouldSpin(size_t connections, uint64_t now) {
  if (options_.window_us == 0 || connections > options_.max_connections) return false;
  uint64_t window_ns = options_.window_us * 1000;
  if (io_gap_ewma_ns_ >= window_ns) return false;
  if (options_.yields_to_contention && contention_.SampleDue(now) && contention_.Sample(now) &&
      standdowns_ != nullptr) {
    ++*standdowns_;
  }
  if (contention_.Contended(now)) return false;
  // Wait up to four typical gaps for the next poll result: long enough to bridge the gaps of a
  // steady request stream, short enough to give up soon after it stops.
  uint64_t spin_ns = std::min(window_ns, 4 * io_gap_ewma_ns_);
  // Pipelined batches (more than 1.5 requests per read): bridge one typical gap only.
  if (requests_per_read_ > kPerReadScale * 3 / 2) spin_ns = std::min(spin_ns, io_gap_ewma_ns_);
  return now - last_io_ns_ < spin_ns;
}

}  // namespace kvgate::gateway

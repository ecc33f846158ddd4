// File: translate/nats/msg_id_dedupe.h
// Nats-Msg-Id de-duplication for `$KV.` publishes, per bucket: a publish whose id was stored
// within the stream's duplicate_window is acknowledged with the first sequence and
// "duplicate":true instead of being stored again (nats-server's stream.checkMsgId).
// Ids expire lazily on lookup; a bucket keeps at most `max_ids` ids (oldest dropped first), so
// memory stays bounded whatever the window.
//
//   MsgIdDedupe dedupe;
//   if (uint64_t seq = dedupe.Find("b", "id-1", window_ns, now_ns)) ...;  // duplicate of seq
//   dedupe.Remember("b", "id-1", /*seq=*/7, now_ns);                    // after a stored write
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace kvgate::nats {

class MsgIdDedupe {
 public:
  static constexpr size_t kDefaultMaxIds = 100'000;

  explicit MsgIdDedupe(size_t max_ids = kDefaultMaxIds) : max_ids_(max_ids) {
  }

  // The sequence stored for `msg_id` in the bucket within `window_ns` before `now_ns`, 0 if
  // none. Drops the bucket's ids that fell out of the window (all of them for a window <= 0).
  uint64_t Find(const std::string& bucket, std::string_view msg_id, int64_t window_ns,
                int64_t now_ns);
  // Records that `msg_id` was stored as `seq` at `now_ns`.
  void Remember(const std::string& bucket, std::string_view msg_id, uint64_t seq, int64_t now_ns);
  // The bucket was deleted or reconfigured: its ids no longer apply.
  void Forget(std::string_view bucket);

 private:
  struct Window {
    std::unordered_map<std::string, uint64_t> ids;
    std::deque<std::pair<int64_t, std::string>> order;  // (stored at ns, id), oldest first
  };
  static void DropOldest(Window* win);

  size_t max_ids_;
  std::unordered_map<std::string, Window> by_bucket_;
};

}  // namespace kvgate::nats

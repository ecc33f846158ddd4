// File: translate/nats/msg_id_dedupe.cc
// Nats-Msg-Id windows (see msg_id_dedupe.h).
//
//   dedupe.Find(bucket, id, window_ns, now_ns);   // expires, then looks up
#include "translate/nats/msg_id_dedupe.h"

namespace kvgate::nats {

void MsgIdDedupe::DropOldest(Window* win) {
  win->ids.erase(win->order.front().second);
  win->order.pop_front();
}

uint64_t MsgIdDedupe::Find(const std::string& bucket, std::string_view msg_id, int64_t window_ns,
                           int64_t now_ns) {
  auto it = by_bucket_.find(bucket);
  if (it == by_bucket_.end()) return 0;
  Window& win = it->second;
  while (!win.order.empty() && (window_ns <= 0 || now_ns - win.order.front().first > window_ns)) {
    DropOldest(&win);
  }
  auto found = win.ids.find(std::string(msg_id));
  return found == win.ids.end() ? 0 : found->second;
}

void MsgIdDedupe::Remember(const std::string& bucket, std::string_view msg_id, uint64_t seq,
                           int64_t now_ns) {
  Window& win = by_bucket_[bucket];
  if (!win.order.empty() && win.order.size() >= max_ids_) DropOldest(&win);
  std::string id(msg_id);
  win.ids[id] = seq;
  win.order.emplace_back(now_ns, std::move(id));
}

void MsgIdDedupe::Forget(std::string_view bucket) {
  by_bucket_.erase(std::string(bucket));
}

}  // namespace kvgate::nats

// File: gateway/thread_pool_work.h
// translate::BackgroundWork over libuv's thread pool (uv_queue_work): the work runs on a pool
// thread, `done` on the loop thread in the loop's poll phase. A job still running at shutdown
// keeps uv_run going until it is done, so `done` never outlives the fronts.
//
//   gateway::ThreadPoolWork pool(server.loop());
//   nats_front->AttachBackgroundWork(&pool);
#pragma once

#include <uv.h>

#include "translate/background_work.h"

namespace kvgate::gateway {

class ThreadPoolWork final : public translate::BackgroundWork {
 public:
  explicit ThreadPoolWork(uv_loop_t* loop) : loop_(loop) {
  }
  void Run(std::function<void()> work, std::function<void()> done) override;

 private:
  uv_loop_t* loop_;
};

}  // namespace kvgate::gateway

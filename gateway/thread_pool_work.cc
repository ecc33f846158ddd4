#include "gateway/thread_pool_work.h"

#include <memory>

namespace kvgate::gateway {
namespace {

struct Job {
  uv_work_t req{};
  std::function<void()> work;
  std::function<void()> done;
};

}  // namespace

void ThreadPoolWork::Run(std::function<void()> work, std::function<void()> done) {
  auto job = std::make_unique<Job>();
  job->req.data = job.get();
  job->work = std::move(work);
  job->done = std::move(done);
  int rc = uv_queue_work(
      loop_, &job->req, [](uv_work_t* req) { static_cast<Job*>(req->data)->work(); },
      [](uv_work_t* req, int /*status*/) {
        std::unique_ptr<Job> owned(static_cast<Job*>(req->data));
        owned->done();
      });
  if (rc != 0) {
    // The pool refused (cannot happen on a live loop): do it here rather than never.
    job->work();
    job->done();
    return;
  }
  (void)job.release();  // owned by the request until its after-work callback
}

}  // namespace kvgate::gateway

// File: translate/late_answers.h
// Continuations for store changes whose answer may come after the call that issued them has
// returned (engine/store.h: the in-memory engine answers at once, a remote backend later).
// The answer that comes at once runs `now` right away, with the caller's frame still alive
// (views of the request are fine, nothing is allocated). Only when it did not come is `later()`
// asked for a continuation that owns what it needs; that one runs from RunPending once the
// answer is in, never inside the store's own call.
//
//   answers.Await([&](LateAnswers::Answer a) { bucket->Write(request, a.Write()); },
//                 [&](engine::WriteResult r) { Ack(reply_view, r); },            // at once
//                 [&] { return [reply = std::string(reply_view), this](engine::WriteResult r) {
//                         Ack(reply, r); }; });                                  // later
//   answers.RunPending();   // from the front's RunPending
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/store.h"

namespace kvgate::translate {

class LateAnswers {
 public:
  using Continuation = std::function<void(engine::WriteResult)>;

  // Where one change's answer goes: hand Write() or Bucket() to the store call (a bucket's
  // creation answers with the bucket; the continuation sees only whether it worked).
  class Answer {
   public:
    engine::WriteDone Write() const {
      return [self = self_, ticket = ticket_](engine::WriteResult r) {
        self->OnAnswer(ticket, std::move(r));
      };
    }
    engine::BucketDone Bucket() const {
      return [self = self_, ticket = ticket_](engine::Result<engine::BucketRef> r) {
        self->OnAnswer(ticket, r.ok() ? engine::WriteResult(uint64_t{0})
                                      : engine::WriteResult(r.errc(), r.detail()));
      };
    }

   private:
    friend class LateAnswers;
    Answer(LateAnswers* self, uint64_t ticket) : self_(self), ticket_(ticket) {
    }
    LateAnswers* self_;
    uint64_t ticket_;
  };

  template <typename Issue, typename Now, typename Later>
  void Await(Issue&& issue, Now&& now, Later&& later) {
    const uint64_t ticket = ++next_ticket_;
    const uint64_t outer = issuing_;
    std::optional<engine::WriteResult> outer_answer = std::move(answer_);
    issuing_ = ticket;
    answer_.reset();
    issue(Answer(this, ticket));
    std::optional<engine::WriteResult> answer = std::move(answer_);
    issuing_ = outer;
    answer_ = std::move(outer_answer);
    if (answer) return now(std::move(*answer));
    waiting_.emplace(ticket, Continuation(later()));
  }
  // The same when the continuation owns its captures anyway (cold paths): it is copied into
  // the waiting table only if the answer comes later.
  template <typename Issue, typename Finish>
  void Await(Issue&& issue, Finish&& finish) {
    Await(
        std::forward<Issue>(issue), [&](engine::WriteResult r) { finish(std::move(r)); },
        [&] { return Continuation(finish); });
  }

  // Runs the continuations whose answers arrived. Returns how many ran.
  size_t RunPending() {
    size_t n = 0;
    while (!arrived_.empty()) {
      std::vector<std::pair<uint64_t, engine::WriteResult>> batch;
      batch.swap(arrived_);
      for (auto& [ticket, result] : batch) {
        auto it = waiting_.find(ticket);
        if (it == waiting_.end()) continue;
        Continuation run = std::move(it->second);
        waiting_.erase(it);
        run(std::move(result));
        ++n;
      }
    }
    return n;
  }
  bool HasPending() const {
    return !arrived_.empty();
  }
  // Changes issued whose answers have not come yet.
  size_t outstanding() const {
    return waiting_.size();
  }

 private:
  void OnAnswer(uint64_t ticket, engine::WriteResult r) {
    if (ticket == issuing_) {
      answer_.emplace(std::move(r));
    } else {
      arrived_.emplace_back(ticket, std::move(r));
    }
  }

  uint64_t next_ticket_ = 0;
  uint64_t issuing_ = 0;  // the ticket whose store call is running (0: none)
  std::optional<engine::WriteResult> answer_;
  std::unordered_map<uint64_t, Continuation> waiting_;
  std::vector<std::pair<uint64_t, engine::WriteResult>> arrived_;
};

}  // namespace kvgate::translate

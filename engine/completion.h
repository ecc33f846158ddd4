// File: engine/completion.h
// Completion<R>: the callback a store operation delivers its result to, exactly once. The
// in-memory engine calls it before the operation returns; a remote backend keeps it and calls it
// from the loop thread when its answer is in. Move-only, and it never allocates: the callable
// is stored inline (captures up to kInlineBytes; a larger capture is a compile error), so issuing
// a write costs no heap allocation on the hot path.
//
//   Completion<Result<uint64_t>> done = [&reply](Result<uint64_t> r) { reply = r.ok(); };
//   std::move(done)(Result<uint64_t>(7));   // calls it; `done` is empty afterwards
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace kvgate::engine {

template <typename R>
class Completion {
 public:
  static constexpr size_t kInlineBytes = 48;

  Completion() = default;

  // Implicit on purpose: a lambda is passed where a Completion is expected.
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Completion> &&
                                                    std::is_invocable_v<std::decay_t<F>&, R>>>
  // NOLINTNEXTLINE(google-explicit-constructor)
  Completion(F&& f) {
    using Fn = std::decay_t<F>;
    static_assert(sizeof(Fn) <= kInlineBytes, "capture too large for a Completion: capture less");
    static_assert(alignof(Fn) <= alignof(std::max_align_t), "over-aligned capture");
    static_assert(std::is_nothrow_move_constructible_v<Fn>, "captures must move without throwing");
    ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
    ops_ = &kOps<Fn>;
  }

  Completion(Completion&& o) noexcept {
    MoveFrom(o);
  }
  Completion& operator=(Completion&& o) noexcept {
    if (this != &o) {
      Reset();
      MoveFrom(o);
    }
    return *this;
  }
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;
  ~Completion() {
    Reset();
  }

  explicit operator bool() const {
    return ops_ != nullptr;
  }

  // Delivers the result. A Completion is called at most once: it is empty afterwards.
  void operator()(R result) && {
    const Ops* ops = ops_;
    ops_ = nullptr;
    ops->call(storage_, std::move(result));  // also destroys the callable
  }

 private:
  struct Ops {
    void (*call)(void* self, R&& result);
    void (*move)(void* from, void* to);
    void (*destroy)(void* self);
  };
  template <typename Fn>
  static void CallAndDestroy(void* self, R&& result) {
    Fn& fn = *static_cast<Fn*>(self);
    // Move the callable out first: calling it may destroy the object that holds this Completion.
    Fn local(std::move(fn));
    fn.~Fn();
    local(std::move(result));
  }
  template <typename Fn>
  static void MoveTo(void* from, void* to) {
    Fn& src = *static_cast<Fn*>(from);
    ::new (to) Fn(std::move(src));
    src.~Fn();
  }
  template <typename Fn>
  static void Destroy(void* self) {
    static_cast<Fn*>(self)->~Fn();
  }
  template <typename Fn>
  static constexpr Ops kOps = {&CallAndDestroy<Fn>, &MoveTo<Fn>, &Destroy<Fn>};

  void MoveFrom(Completion& o) {
    if (o.ops_ == nullptr) return;
    o.ops_->move(o.storage_, storage_);
    ops_ = o.ops_;
    o.ops_ = nullptr;
  }
  void Reset() {
    if (ops_ == nullptr) return;
    ops_->destroy(storage_);
    ops_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char storage_[kInlineBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace kvgate::engine

// File: engine/function_ref.h
// A non-owning reference to a callable, for callbacks that run before the call taking them
// returns (StoreBucket::Mutate): no allocation, two words, cheap to pass by value.
//
//   void Each(FunctionRef<void(int)> fn) { fn(1); }
//   Each([&](int v) { sum += v; });
#pragma once

#include <type_traits>
#include <utility>

namespace kvgate::engine {

template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef> &&
                                                    std::is_invocable_r_v<R, F&, Args...>>>
  // NOLINTNEXTLINE(google-explicit-constructor): a lambda passes where a FunctionRef is taken
  FunctionRef(F&& f) : obj_(const_cast<void*>(static_cast<const void*>(&f))) {
    call_ = [](void* obj, Args... args) -> R {
      return (*static_cast<std::remove_reference_t<F>*>(obj))(std::forward<Args>(args)...);
    };
  }
  R operator()(Args... args) const {
    return call_(obj_, std::forward<Args>(args)...);
  }

 private:
  void* obj_;
  R (*call_)(void*, Args...);
};

}  // namespace kvgate::engine

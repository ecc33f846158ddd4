// File: translate/redis/random.h
// Cheap, well-spread random numbers for the commands that pick elements at random (HRANDFIELD,
// SRANDMEMBER, SPOP, ...). Seeded once per thread from the OS; not for anything secret.
//
//   uint64_t r = RandomU64();
#pragma once

#include <cstdint>
#include <random>

namespace kvgate::redis {

inline uint64_t RandomU64() {
  thread_local uint64_t state = [] {
    std::random_device rd;
    return (uint64_t{rd()} << 32) ^ rd() ^ 0x9E3779B97F4A7C15ull;
  }();
  // splitmix64
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace kvgate::redis

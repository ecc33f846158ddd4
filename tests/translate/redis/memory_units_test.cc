// Redis memory values as redis.conf, CONFIG SET and kvgate's flags accept them.
#include <catch2/catch.hpp>

#include <cstdint>

#include "translate/redis/memory_units.h"

using kvgate::redis::ParseMemoryValue;

TEST_CASE("memory values: units are Redis's (k = 1000, kb = 1024), case-insensitive", "[redis]") {
  uint64_t n = 0;
  CHECK((ParseMemoryValue("0", &n) && n == 0));
  CHECK((ParseMemoryValue("100", &n) && n == 100));
  CHECK((ParseMemoryValue("100b", &n) && n == 100));
  CHECK((ParseMemoryValue("1k", &n) && n == 1000));
  CHECK((ParseMemoryValue("1KB", &n) && n == 1024));
  CHECK((ParseMemoryValue("512mb", &n) && n == 512ull * 1024 * 1024));
  CHECK((ParseMemoryValue("3m", &n) && n == 3'000'000));
  CHECK((ParseMemoryValue("2g", &n) && n == 2'000'000'000));
  CHECK((ParseMemoryValue("2Gb", &n) && n == 2ull << 30));
}

TEST_CASE("memory values: bad numbers, units and overflow are refused", "[redis]") {
  uint64_t n = 7;
  for (const char* bad : {"", "kb", "-1", "+1", "1 kb", "1kib", "1t", "1.5mb", "0x10",
                          "18446744073709551616", "18446744073709551615kb"}) {
    INFO(bad);
    CHECK_FALSE(ParseMemoryValue(bad, &n));
  }
  CHECK(n == 7);  // untouched on failure
  CHECK((ParseMemoryValue("18446744073709551615", &n) && n == UINT64_MAX));
}

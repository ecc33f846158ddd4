// Redis's canonical integer grammar (string2ll).
#include <catch2/catch.hpp>

#include "protocols/resp/number.h"

namespace kvgate::resp {
namespace {

TEST_CASE("canonical int64 parsing", "[resp]") {
  int64_t v = 7;
  CHECK(ParseInt64("0", &v));
  CHECK(v == 0);
  CHECK(ParseInt64("-1", &v));
  CHECK(v == -1);
  CHECK(ParseInt64("9223372036854775807", &v));
  CHECK(v == INT64_MAX);
  CHECK(ParseInt64("-9223372036854775808", &v));
  CHECK(v == INT64_MIN);
  for (const char* bad :
       {"", "-", "+1", " 1", "1 ", "01", "-0", "00", "1.0", "1e3", "0x10", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "123456789012345678901"}) {
    INFO(bad);
    v = 42;
    CHECK_FALSE(ParseInt64(bad, &v));
    CHECK(v == 42);
  }
  CHECK_FALSE(ParseInt64(std::string_view("1\0", 2), &v));
  char buf[kMaxInt64Chars];
  CHECK(FormatInt64(INT64_MIN, buf) == "-9223372036854775808");
}

}  // namespace
}  // namespace kvgate::resp

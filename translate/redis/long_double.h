// File: translate/redis/long_double.h
// Redis's long double text forms (INCRBYFLOAT, HINCRBYFLOAT): string2ld() parsing and
// ld2string(LD_STR_HUMAN) printing, in x86-64 80-bit long double as Redis computes.
//
//   long double v;  ParseLongDouble("10.5", &v);  FormatLongDouble(v + 0.1L) == "10.6"
#pragma once

#include <string>
#include <string_view>

namespace kvgate::redis {

// strtold over the whole argument; no leading space, no NaN, no overflow (inf is accepted).
bool ParseLongDouble(std::string_view s, long double* out);
// "%.17Lf" without trailing zeros (and "-0" as "0").
std::string FormatLongDouble(long double v);

}  // namespace kvgate::redis

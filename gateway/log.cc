#include "gateway/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

namespace kvgate::gateway {
namespace {
LogLevel g_level = LogLevel::kInfo;
const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warn";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "?";
}
}  // namespace

void SetLogLevel(LogLevel level) {
  g_level = level;
}

LogLevel CurrentLogLevel() {
  return g_level;
}

void LogPrintf(LogLevel level, const char* fmt, ...) {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm parts{};
  gmtime_r(&ts.tv_sec, &parts);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &parts);
  char line[2048];
  va_list args;
  va_start(args, fmt);
  vsnprintf(line, sizeof line, fmt, args);
  va_end(args);
  fprintf(stderr, "%s.%03ldZ kvgate %s: %s\n", stamp, ts.tv_nsec / 1'000'000, LevelName(level),
          line);
}

}  // namespace kvgate::gateway

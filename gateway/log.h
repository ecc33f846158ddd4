// File: gateway/log.h
// Minimal leveled logging to stderr, used by the process plumbing only.
//
//   gateway::SetLogLevel(LogLevel::kDebug);
//   KVGATE_LOG(kInfo, "listening on %s:%d", host, port);
#pragma once

namespace kvgate::gateway {

enum class LogLevel : int { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

void SetLogLevel(LogLevel level);
LogLevel CurrentLogLevel();
// printf-style; adds a timestamp, the level and a newline.
void LogPrintf(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace kvgate::gateway

#define KVGATE_LOG(level, ...)                                                       \
  do {                                                                               \
    if (static_cast<int>(::kvgate::gateway::LogLevel::level) <=                      \
        static_cast<int>(::kvgate::gateway::CurrentLogLevel())) {                    \
      ::kvgate::gateway::LogPrintf(::kvgate::gateway::LogLevel::level, __VA_ARGS__); \
    }                                                                                \
  } while (0)

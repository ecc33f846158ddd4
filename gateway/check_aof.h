// File: gateway/check_aof.h
// `kvgate --check-aof FILE [--fix]` (Redis's redis-check-aof): checks a redo log's framing and
// reports where it is damaged; --fix cuts it at the last good record (what follows is lost).
// FILE may be a manifest (`kvgate.manifest`, or a directory holding one): every file it lists is
// checked in replay order, and only the last incr file may be cut.
//
//   return RunCheckAof("/data/kvgate-redo.log", /*fix=*/false);   // exit status
//   return RunCheckAof("/data/kvgate.manifest", /*fix=*/true);
#pragma once

#include <string>

namespace kvgate::gateway {

// Prints the outcome to stdout; returns 0 when the log is clean (or was fixed), 1 otherwise.
int RunCheckAof(const std::string& path, bool fix);

}  // namespace kvgate::gateway

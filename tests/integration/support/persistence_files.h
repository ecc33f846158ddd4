// File: tests/integration/support/persistence_files.h
// Shared by the persistence and checkpoint tests: one-shot commands, the data directory's
// newest incr file, whole-file reads and writes, and a seed of every Redis type with its check.
//
//   SeedRedis(kv->redis_port);  kv.reset();  kv = StartKvgateIn(dir, ...);  CheckRedis(port);
#pragma once

#include <string>
#include <vector>

namespace kvgate::testing {

// Sends one command on a new connection; its raw reply.
std::string Call(int port, const std::vector<std::string>& args);
// The newest incr file of the data directory (the one records go to). A directory without a
// manifest gets one naming kvgate-redo.1.incr, so a test can put a log there before a start.
std::string LogPath(const std::string& dir);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);
// Strings, a deleted key, a counter, a hash, a list, a set, a sorted set and a TTL in db 0.
void SeedRedis(int port);
// `extra_keys`: keys the test added to db 0 besides the seed.
void CheckRedis(int port, int extra_keys = 0);

}  // namespace kvgate::testing

// File: tests/integration/support/persistence_files.h
// Shared by the persistence and checkpoint tests: one-shot commands, the data directory's
// newest incr file, whole-file reads and writes, and a seed of every Redis type with its check.
//
//   SeedRedis(kv->redis_port);  kv.reset();  kv = StartKvgateIn(dir, ...);  CheckRedis(port);
#pragma once

#include <cstdint>
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
// DBSIZE's reply once the replay after a start is over (it answers -LOADING until then).
std::string DbSizeAfterLoading(int port);
// SETs key:0..n-1 = value in pipelined batches; every reply read.
void Fill(int port, int n, const std::string& value);
// Strings, a deleted key, a counter, a hash, a list, a set, a sorted set and a TTL in db 0.
void SeedRedis(int port);
// Waits until INFO persistence shows `field` (e.g. "aof_rewrites:1"); false after ~20 s.
bool WaitInfo(int port, const std::string& field);
// Waits until the INFO persistence counter `name` is at least `n`; false after ~20 s.
bool WaitInfoAtLeast(int port, const std::string& name, uint64_t n);
// `extra_keys`: keys the test added to db 0 besides the seed.
void CheckRedis(int port, int extra_keys = 0);

}  // namespace kvgate::testing

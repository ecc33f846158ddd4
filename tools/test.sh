#!/usr/bin/env bash
# The whole test suite from a clean clone: install what is missing, build with ASan+UBSan (clang;
# the same build holds the libFuzzer targets, so the code is compiled once), run every test
# (unit, integration with real clients, differential against real redis-server and nats-server),
# then run each fuzz target briefly on its seed corpus.
# Usage: tools/test.sh          (KVGATE_FUZZ_SECONDS=N to change the fuzz time per target)
set -euo pipefail
cd "$(dirname "$0")/.."
stage() { echo "test.sh: $1 (at ${SECONDS}s)"; }
stage "setup"
tools/setup.sh
jobs=$(nproc)

stage "asan build"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
stage "asan tests"
ctest --preset asan -j "$jobs"

stage "fuzz run"
tools/fuzz.sh build/asan "${KVGATE_FUZZ_SECONDS:-20}"
echo "test.sh: all green in ${SECONDS}s"

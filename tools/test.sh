#!/usr/bin/env bash
# The whole test suite from a clean clone: install what is missing, build with ASan+UBSan,
# run every test (unit, integration with real clients, differential against real redis-server
# and nats-server), then build the libFuzzer targets and run each briefly on its seed corpus.
# Usage: tools/test.sh          (KVGATE_FUZZ_SECONDS=N to change the fuzz time per target)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
jobs=$(nproc)

cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target fuzz_all
tools/fuzz.sh build/fuzz "${KVGATE_FUZZ_SECONDS:-20}"
echo "test.sh: all green"

#!/usr/bin/env bash
# Install what is missing, build a release binary and start kvgate on its defaults
# (Redis on 127.0.0.1:6379, NATS on 127.0.0.1:4222). Extra arguments go to kvgate.
set -euo pipefail
cd "$(dirname "$0")/.."
KVGATE_SETUP_MINIMAL=1 tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target kvgate
exec build/release/gateway/kvgate "$@"

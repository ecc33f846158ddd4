#!/usr/bin/env python3
"""Builds engine_bench with the release preset and runs it (engine-only micro-benchmarks: put,
get, watch dispatch with idle watchers, expiry sweep, compaction; see engine_bench.cc).

Usage: tools/bench/run_engine_bench.py [--keys 1000000] [--watchers 10000] [--only watchers]
"""
import os
import subprocess
import sys
import time

from common import loadavg, machine_line, release_build


def main():
    binary = os.environ.get("KVGATE_ENGINE_BENCH") or os.path.join(
        release_build("engine_bench"), "tools", "bench", "engine_bench")
    print("machine:", machine_line())
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average at start {loadavg():.2f}",
          flush=True)
    rc = subprocess.run([binary, *sys.argv[1:]]).returncode
    print(f"load average at end {loadavg():.2f}")
    sys.exit(rc)


if __name__ == "__main__":
    main()

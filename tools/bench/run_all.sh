#!/usr/bin/env bash
# Runs every side-by-side benchmark and the scale checks, then draws the chart. Writes
# <out>/{redis,nats,types,scale,engine,stall}.txt, <out>/{redis,nats,types}.csv and the charts
# <out>/ratios.png (strings, NATS) and <out>/types.png (redis-benchmark's default test list).
#
#   tools/bench/run_all.sh                    # out = docs/benchmarks, 7 rounds
#   ROUNDS=5 tools/bench/run_all.sh /tmp/b    # KVGATE_BINARY / KVGATE_LOADGEN override builds
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-$here/../../docs/benchmarks}" && cd "${1:-$here/../../docs/benchmarks}" && pwd)
rounds=${ROUNDS:-7}
cd "$here"
python3 redis_bench.py --rounds "$rounds" --out "$out/redis.csv" | tee "$out/redis.txt"
python3 nats_bench.py --rounds "$rounds" --out "$out/nats.csv" | tee "$out/nats.txt"
python3 types_bench.py --rounds "$rounds" --out "$out/types.csv" | tee "$out/types.txt"
python3 collection_scale.py --rounds 3 | tee "$out/scale.txt"
python3 run_engine_bench.py | tee "$out/engine.txt"
python3 stall_scenario.py | tee "$out/stall.txt"
python3 chart.py --out "$out/ratios.png" "$out/redis.csv" "$out/nats.csv"
python3 chart.py --out "$out/types.png" --title "redis-benchmark default tests, kvgate vs redis-server" "$out/types.csv"

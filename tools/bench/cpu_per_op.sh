#!/usr/bin/env bash
# CPU per operation of one server under one redis-benchmark test: starts the server command
# (PORT in it is replaced by a free port), warms it with 20,000 requests, then reads the
# server's utime+stime from /proc around one run. For quick A/B questions (a flag on or off);
# the tables come from types_bench.py / redis_bench.py.
#
#   tools/bench/cpu_per_op.sh "build/release/gateway/kvgate --redis-port PORT --nats-port 0" ping_mbulk 16 2000000
#   tools/bench/cpu_per_op.sh "redis-server --port PORT --save '' --appendonly no" ping_mbulk 16 2000000
set -euo pipefail
if (($# != 4)); then
  echo "usage: $0 \"<server command with PORT>\" <test> <pipeline> <requests>" >&2
  exit 2
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cmd=${1//PORT/$port}
test=$2 pipeline=$3 requests=$4
eval "exec $cmd" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
bench=(redis-benchmark -p "$port" -c 50 -r 100000 -t "$test" -d 3 -P "$pipeline")
"${bench[@]}" -n 20000 -q >/dev/null 2>&1
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks)
rps=$("${bench[@]}" -n "$requests" --csv 2>/dev/null | tail -n 1 | cut -d, -f2 | tr -d '"')
after=$(ticks)
hz=$(getconf CLK_TCK)
python3 -c "print(f'$test P$pipeline ops/s={float($rps):.0f} cpu_us/op={($after - $before) / $hz * 1e6 / $requests:.3f}')"

#!/usr/bin/env python3
"""Worst event-loop stall of kvgate with 1,000,000 keys, per operation.

Usage: tools/bench/stall_scenario.py [--keys 1000000]

Starts one kvgate (both fronts, --loop-cpu-stats), loads --keys keys, then triggers each
operation the 10 ms bar names. Each step is bracketed by SIGUSR1, on which the gateway logs its
loop statistics since the previous report and resets them (`loop stats: iterations=..
max_busy_us=.. busy_over_10ms=.. max_busy_cpu_us=.. busy_cpu_over_10ms=..`): the longest time a
single loop iteration was busy (wall clock minus time waiting for I/O; on a shared machine this
includes being preempted) and its thread CPU time (the work the iteration itself did), with how
many iterations exceeded 10 ms. The shutdown line (`stopped: loop ...`) covers the last step.

Each step also reports the VM steal time over it (/proc/stat): time the host gave this VM's
vCPUs to others, which the guest counts as its own CPU and wall time.

Steps: load over NATS (async puts) and over Redis (SET .. PX, a pipe); NATS key listing
(kvStore_Keys); NATS watch replay of every key, of a token wildcard (key.*) and of `>` under a
prefix (key.>); a full Redis SCAN; the active expiry sweep of the Redis keys; explicit compaction
(KV.COMPACT) of 1M retained revisions; the tombstone sweep after DEL of every Redis key; FLUSHDB
of 1M keys (lazy free).
"""
import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time

from common import Server, kvgate_binary, loadavg, machine_line, print_table
from nats_bench import loadgen_binary

BAR_US = 10_000


def steal_ms():
    """Time the hypervisor ran something else on this VM's vCPUs (all CPUs, /proc/stat steal).
    A guest cannot tell stolen time from its own: it shows up in both loop figures."""
    with open("/proc/stat") as f:
        fields = f.readline().split()
    return int(fields[8]) * 1000 / os.sysconf("SC_CLK_TCK")


class Gate:
    def __init__(self, kvbin):
        self.server = Server("kvgate", lambda p, d: [
            kvbin, "--dir", d, "--redis-port", str(p[0]), "--nats-port", str(p[1]), "--tombstone-ttl", "1",
            "--db-bucket", "1=hist", "--loop-cpu-stats"], ports=2)
        self.redis_port, self.nats_port = self.server.ports
        self.url = f"nats://127.0.0.1:{self.nats_port}"

    def redis(self, *args, input=None):
        out = subprocess.run(["redis-cli", "-p", str(self.redis_port), *args], input=input,
                             check=True, capture_output=True).stdout
        return out.decode(errors="replace")

    def info(self):
        out = self.redis("INFO", "everything")
        return dict(re.findall(r"^(\w+):(\S*)\r?$", out, re.M))

    def report(self):
        """SIGUSR1: the gateway logs (and resets) its loop stats; returns the parsed line."""
        path = os.path.join(self.server.dir, "log")
        with open(path) as f:
            seen = sum(1 for line in f if "loop stats:" in line)
        self.server.proc.send_signal(signal.SIGUSR1)
        deadline = time.time() + 10
        while time.time() < deadline:
            with open(path) as f:
                lines = [line for line in f if "loop stats:" in line]
            if len(lines) > seen:
                return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", lines[-1])}
            time.sleep(0.05)
        raise RuntimeError("kvgate did not report its loop stats")

    def reset(self):
        self.report()


def resp_pipe(lines):
    out = []
    for args in lines:
        out.append("*%d\r\n" % len(args))
        for a in args:
            out.append("$%d\r\n%s\r\n" % (len(a), a))
    return "".join(out).encode()


def resp_scan(port, count):
    """SCAN 0 .. 0 with COUNT over one connection (redis-cli 7.0's --scan has no --count)."""
    sock = socket.create_connection(("127.0.0.1", port))
    f = sock.makefile("rb")

    def read():
        line = f.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"*":
            return [read() for _ in range(int(rest))]
        if kind == b"$":
            n = int(rest)
            data = f.read(n + 2)[:-2] if n >= 0 else None
            return data
        if kind == b"-":
            raise RuntimeError(rest.decode())
        return rest

    cursor, seen = b"0", 0
    while True:
        sock.sendall(resp_pipe([("SCAN", cursor.decode(), "COUNT", str(count))]))
        cursor, keys = read()
        seen += len(keys)
        if cursor == b"0":
            break
    sock.close()
    return seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.keys
    kvbin = kvgate_binary()
    loadgen = loadgen_binary()
    print("command:", " ".join(sys.argv))
    print("machine:", machine_line())
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average at start {loadavg():.2f}")
    g = Gate(kvbin)
    rows = []

    def step(name, action, settle=None):
        g.reset()
        t0 = time.time()
        s0 = steal_ms()
        detail = action() or ""
        if settle:
            settle()
        secs = time.time() - t0
        r = g.report()
        stolen = steal_ms() - s0
        cpu, wall = r["max_busy_cpu_us"], r["max_busy_us"]
        rows.append((name, f"{cpu / 1000:.2f}", str(r["busy_cpu_over_10ms"]),
                     "yes" if cpu <= BAR_US else "NO", f"{wall / 1000:.2f}",
                     str(r["busy_over_10ms"]), f"{secs:.1f}", f"{stolen:.0f}", detail))
        print(f"  {name}: worst iteration {cpu / 1000:.2f} ms CPU ({wall / 1000:.2f} ms wall), "
              f"{r['busy_cpu_over_10ms']} over 10 ms CPU ({r['busy_over_10ms']} wall), "
              f"VM steal {stolen:.0f} ms  {detail}",
              flush=True)

    def lg(*a):
        out = subprocess.run([loadgen, "--url", g.url, *a], check=True, capture_output=True,
                             text=True).stdout.strip()
        m = re.search(r"ops_per_sec=(\d+)", out)
        return f"({m.group(1)} /s)" if m else ""

    ttl_ms = 30_000
    try:
        step(f"load {n} keys over NATS (async put, window 1024)",
             lambda: lg("--mode", "load", "--keys", str(n), "--window", "1024"))
        step(f"NATS key listing, {n} keys (kvStore_Keys)",
             lambda: lg("--mode", "keys", "--keys", str(n)))
        step(f"NATS watch replay, all {n} keys",
             lambda: lg("--mode", "watch-replay"))
        step("NATS watch replay, filter key.* (token wildcard)",
             lambda: lg("--mode", "watch-replay", "--filter", "key.*"))
        step("NATS watch replay, filter key.> (prefix)",
             lambda: lg("--mode", "watch-replay", "--filter", "key.>"))

        def load_redis():
            data = resp_pipe(("SET", "key:%07d" % i, "%016d" % i, "PX", str(ttl_ms))
                             for i in range(n))
            g.redis("--pipe", input=data)
        t_loaded = time.time()
        step(f"load {n} keys over Redis (SET .. PX {ttl_ms}, redis-cli --pipe)", load_redis)
        t_loaded = time.time()

        def scan():
            seen = resp_scan(g.redis_port, 1000)
            return f"({seen} keys returned)"
        step(f"Redis SCAN, {n} keys (COUNT 1000)", scan)

        def wait_expired():
            time.sleep(max(0.0, t_loaded + ttl_ms / 1000 - time.time()))
            deadline = time.time() + 120
            while time.time() < deadline:
                if int(g.redis("DBSIZE").strip() or 0) == 0:
                    break
                time.sleep(0.5)
            return f"(dbsize {g.redis('DBSIZE').strip()} after the sweep)"
        step(f"active expiry sweep of {n} keys", lambda: None, settle=wait_expired)

        hist_keys = max(1, n // 5)
        lg("--mode", "load", "--bucket", "hist", "--history", "5", "--keys", str(hist_keys),
           "--passes", "5", "--window", "1024")

        def compact():
            out = g.redis("-n", "1", "KV.INFO")
            m = re.search(r"(?:last_revision|revision)\D+(\d+)", out)
            rev = m.group(1) if m else str(hist_keys * 5)
            removed = g.redis("-n", "1", "KV.COMPACT", rev).strip()
            time.sleep(3)  # the rest runs in Tick slices
            return f"({removed} removed by the call; {hist_keys} keys x 5 revisions)"
        step(f"explicit compaction (KV.COMPACT) of {hist_keys * 5} revisions", compact)

        def delete_all():
            data = resp_pipe(("SET", "del:%07d" % i, "x") for i in range(n))
            g.redis("--pipe", input=data)
            g.reset()
            g.redis("--pipe", input=resp_pipe(("DEL", "del:%07d" % i) for i in range(n)))
            time.sleep(5)  # tombstone_ttl 1 s, then the sweep runs in Tick slices
        step(f"DEL {n} keys, then the tombstone sweep (tombstone-ttl 1 s)", delete_all)

        def flush():
            data = resp_pipe(("SET", "f:%07d" % i, "%016d" % i) for i in range(n))
            g.redis("--pipe", input=data)
            g.reset()
            g.redis("FLUSHDB")
            time.sleep(3)  # lazy free in Tick slices
        step(f"FLUSHDB of {n} keys (lazy free)", flush)
    finally:
        log_path = os.path.join(g.server.dir, "log")
        g.server.proc.send_signal(15)
        g.server.proc.wait(30)
        with open(log_path) as f:
            stopped = [line.strip() for line in f if "stopped:" in line]
        g.server.stop()
    print()
    print_table(rows, ("step", "worst iteration ms CPU", "> 10 ms", "met (<= 10 ms)",
                       "worst ms wall", "> 10 ms wall", "secs", "VM steal ms", "detail"))
    print("shutdown log:", stopped[-1] if stopped else "(none)")
    print(f"load average at end {loadavg():.2f}")


if __name__ == "__main__":
    main()

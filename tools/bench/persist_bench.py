#!/usr/bin/env python3
"""Persistence, kvgate vs redis-server: the time to come back after a restart.

Usage: tools/bench/persist_bench.py [--rounds 3] [--keys 1000000] [--appendfsync everysec]

Each round, for each server (redis-server first on even rounds, kvgate first on odd ones):
start it with `appendonly yes` (same appendfsync) in a fresh directory, load --keys
`SET key:NNNNNNN <16 bytes>` through redis-cli --pipe, stop it with SIGTERM, start it again on
the same directory and time from the spawn until it answers DBSIZE with every key (redis-server
replays its AOF; kvgate its redo log, answering -LOADING meanwhile). Also the log's size on
disk. The bar: kvgate's load time <= redis-server's (ratio <= 1.0).
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from common import (free_port, kvgate_binary, loadavg, machine_line, median, met, print_table,
                    wait_port)


def redis_argv(port, d, policy):
    return ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "yes", "--appendfsync", policy, "--dir", d]


def kvgate_argv(kvbin):
    return lambda port, d, policy: [kvbin, "--redis-port", str(port), "--nats-port", "0",
                                    "--dir", d, "--appendonly", "yes", "--appendfsync", policy]


def command(port, *args):
    """One RESP command over a fresh connection; the raw reply (None if the port is closed)."""
    req = "*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a), a) for a in args)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(req.encode())
            return s.recv(65536).decode(errors="replace")
    except OSError:
        return None


def load_data(port, n):
    lines = []
    for i in range(n):
        key = "key:%07d" % i
        lines.append("*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$16\r\n%016d\r\n" % (len(key), key, i))
    subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input="".join(lines).encode(),
                   check=True, capture_output=True)


def dir_bytes(d):
    total = 0
    for root, _, files in os.walk(d):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def one(name, argv_fn, policy, n):
    d = tempfile.mkdtemp(prefix=f"kvgate-persist-{name}-")
    log = open(os.path.join(d, "..", os.path.basename(d) + ".log"), "w")
    try:
        port = free_port()
        p = subprocess.Popen(argv_fn(port, d, policy), stdout=log, stderr=subprocess.STDOUT)
        if not wait_port(port):
            raise RuntimeError(f"{name} did not start")
        load_data(port, n)
        p.send_signal(signal.SIGTERM)
        p.wait(60)
        size = dir_bytes(d)
        port = free_port()
        t0 = time.monotonic()
        p = subprocess.Popen(argv_fn(port, d, policy), stdout=log, stderr=subprocess.STDOUT)
        want = ":%d\r\n" % n
        while command(port, "DBSIZE") != want:
            if p.poll() is not None:
                raise RuntimeError(f"{name} exited while loading")
            time.sleep(0.005)
        seconds = time.monotonic() - t0
        p.send_signal(signal.SIGTERM)
        p.wait(60)
        return seconds, size
    finally:
        log.close()
        shutil.rmtree(d, ignore_errors=True)


def start_run():
    """The options both persistence benchmarks take, the kvgate binary, and the run's header."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--appendfsync", choices=["always", "everysec", "no"], default="everysec")
    args = ap.parse_args()
    kvbin = kvgate_binary()
    print("command:", " ".join(sys.argv))
    print("machine:", machine_line())
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average at start {loadavg():.2f}")
    return args, kvbin


def main():
    args, kvbin = start_run()
    kv_t, ref_t, kv_size, ref_size = [], [], [], []
    for rnd in range(args.rounds):
        order = [("redis", redis_argv, ref_t, ref_size), ("kvgate", kvgate_argv(kvbin), kv_t,
                                                          kv_size)]
        if rnd % 2:
            order.reverse()
        for name, fn, times, sizes in order:
            t, size = one(name, fn, args.appendfsync, args.keys)
            times.append(t)
            sizes.append(size)
        print(f"  round {rnd}: kvgate {kv_t[-1]:.3f} s, redis {ref_t[-1]:.3f} s", flush=True)
    paired = [k / r for k, r in zip(kv_t, ref_t)]
    ratio = median(paired)
    rows = [(f"load {args.keys} keys after restart (s)", f"{median(kv_t):.3f}",
             f"{median(ref_t):.3f}", f"{ratio:.2f}", met(ratio, ("<=", 1.0))),
            ("log on disk (MB)", f"{median(kv_size) / 1e6:.1f}", f"{median(ref_size) / 1e6:.1f}",
             f"{median(kv_size) / median(ref_size):.2f}", "")]
    print()
    print_table(rows, ("workload", "kvgate", "redis", "per-round ratio", "met (<= 1.0)"))
    print(f"rounds: kvgate {[round(x, 3) for x in kv_t]}, redis {[round(x, 3) for x in ref_t]}; "
          f"load average at end {loadavg():.2f}")


if __name__ == "__main__":
    main()

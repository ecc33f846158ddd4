#!/usr/bin/env python3
"""Checkpoints, kvgate vs redis-server: how long the server stalls while its log is rewritten.

Usage: tools/bench/rewrite_bench.py [--rounds 3] [--keys 1000000] [--appendfsync everysec]

Each round, for each server (redis-server first on even rounds, kvgate first on odd ones):
start it with `appendonly yes` (same appendfsync) in a fresh directory, load --keys
`SET key:NNNNNNN <16 bytes>` through redis-cli --pipe, then run BGREWRITEAOF while a prober
sends PING every millisecond on its own connection and records each round trip, until INFO says
the rewrite is over. Reported: the rewrite's duration, the worst PING round trip during it (what
a client sees), and the server's own figure for its stall: kvgate's worst event-loop iteration
over the rewrite, in wall time and in the loop thread's CPU time (--loop-cpu-stats; SIGUSR1
before and after brackets the rewrite: kvgate logs and resets its loop stats on it; wall time
includes time the loop waited for a CPU that another thread had), and redis-server's fork time
(INFO stats latest_fork_usec). The bar: kvgate's worst loop stall < 10 ms.
"""
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

from common import free_port, loadavg, median, print_table, wait_port
from persist_bench import command, kvgate_argv, load_data, redis_argv, start_run


def info_field(port, section, name):
    reply = command(port, "INFO", section) or ""
    for line in reply.split("\r\n"):
        if line.startswith(name + ":"):
            return line.split(":", 1)[1]
    return None


class Prober(threading.Thread):
    """PING once a millisecond; keeps the worst round trip."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.stop = threading.Event()
        self.worst = 0.0
        self.count = 0

    def run(self):
        while not self.stop.is_set():
            t0 = time.monotonic()
            self.sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            got = b""
            while not got.endswith(b"\r\n"):
                got += self.sock.recv(64)
            self.worst = max(self.worst, time.monotonic() - t0)
            self.count += 1
            time.sleep(0.001)


def one(name, argv_fn, policy, n):
    d = tempfile.mkdtemp(prefix=f"kvgate-rewrite-{name}-")
    log = open(d + ".log", "w")
    p = None
    try:
        port = free_port()
        p = subprocess.Popen(argv_fn(port, d, policy), stdout=log, stderr=subprocess.STDOUT)
        if not wait_port(port):
            raise RuntimeError(f"{name} did not start")
        load_data(port, n)
        before = int(info_field(port, "persistence", "aof_rewrites") or 0)
        if name == "kvgate":
            p.send_signal(signal.SIGUSR1)  # resets the loop stats: from here on
            time.sleep(0.05)
        prober = Prober(port)
        prober.start()
        time.sleep(0.2)  # a few probes before: the baseline
        t0 = time.monotonic()
        if not (command(port, "BGREWRITEAOF") or "").startswith("+"):
            raise RuntimeError(f"{name}: BGREWRITEAOF refused")
        while True:
            done = int(info_field(port, "persistence", "aof_rewrites") or 0) > before
            busy = info_field(port, "persistence", "aof_rewrite_in_progress") != "0"
            if done and not busy:
                break
            time.sleep(0.005)
        seconds = time.monotonic() - t0
        time.sleep(0.05)
        prober.stop.set()
        prober.join(5)
        cpu_us = -1
        if name == "kvgate":
            p.send_signal(signal.SIGUSR1)
            time.sleep(0.1)
            log.flush()
            with open(d + ".log") as f:
                line = [x for x in f if "loop stats:" in x][-1]
            fields = dict(kv.split("=") for kv in line.split("loop stats:")[1].split())
            stall_us = int(fields["max_busy_us"])
            cpu_us = int(fields.get("max_busy_cpu_us", -1))
        else:
            stall_us = int(info_field(port, "stats", "latest_fork_usec") or -1)
        return seconds, prober.worst, stall_us, cpu_us
    finally:
        if p is not None:
            p.send_signal(signal.SIGTERM)
            p.wait(60)
        log.close()
        shutil.rmtree(d, ignore_errors=True)


def main():
    args, kvbin = start_run()
    res = {"kvgate": [], "redis": []}
    for rnd in range(args.rounds):
        kv_fn = kvgate_argv(kvbin)
        order = [("redis", redis_argv),
                 ("kvgate", lambda port, d, pol: kv_fn(port, d, pol) + ["--loop-cpu-stats"])]
        if rnd % 2:
            order.reverse()
        for name, fn in order:
            res[name].append(one(name, fn, args.appendfsync, args.keys))
        k, r = res["kvgate"][-1], res["redis"][-1]
        print(f"  round {rnd}: kvgate {k[0]:.3f} s, worst PING {k[1] * 1e3:.2f} ms, loop stall "
              f"{k[2] / 1e3:.2f} ms (CPU {k[3] / 1e3:.2f} ms); redis {r[0]:.3f} s, worst PING {r[1] * 1e3:.2f} ms, fork "
              f"{r[2] / 1e3:.2f} ms", flush=True)

    def med(name, i, scale=1.0):
        return median([x[i] for x in res[name]]) * scale

    stall = max(x[2] for x in res["kvgate"]) / 1e3
    rows = [("rewrite duration (s)", f"{med('kvgate', 0):.3f}", f"{med('redis', 0):.3f}", ""),
            ("worst PING round trip during it (ms)", f"{med('kvgate', 1, 1e3):.2f}",
             f"{med('redis', 1, 1e3):.2f}", ""),
            ("worst loop stall (kvgate) / fork (redis) (ms)", f"{med('kvgate', 2, 1e-3):.2f}",
             f"{med('redis', 2, 1e-3):.2f}", f"{'yes' if stall < 10 else 'NO'} (worst {stall:.2f})"),
            ("worst loop iteration in loop-thread CPU time (ms)", f"{med('kvgate', 3, 1e-3):.2f}",
             "", "")]
    print()
    print_table(rows, ("at %d keys, medians" % args.keys, "kvgate", "redis", "met (< 10 ms)"))
    print(f"load average at end {loadavg():.2f}")


if __name__ == "__main__":
    main()

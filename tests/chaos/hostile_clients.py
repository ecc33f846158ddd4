#!/usr/bin/python3
"""Hostile clients against a real kvgate while well-behaved clients keep working.

For --seconds, asyncio tasks attack both ports: hundreds of idle connections, half frames,
random bytes, huge announced lengths, slowloris writers, clients that never read their replies,
reconnect loops and floods of failed AUTH/CONNECT. Meanwhile a redis-py client SETs and a NATS
client PUTs into a KV bucket, each remembering what was acknowledged. The run fails when:
  - kvgate dies, or does not exit cleanly on SIGTERM afterwards;
  - a good request waits longer than --stall-s (a liveness bound, far above any normal latency;
    the run prints the real percentiles);
  - kvgate's RSS goes above --rss-mb;
  - an acknowledged write is missing or different afterwards;
  - a NATS client that never logs in is not cut off by the auth timeout;
  - a hostile probe whose answer is known (huge lengths) gets another answer;
  - some attack never ran (the harness itself broke).

  tests/chaos/hostile_clients.py --seconds 300 --seed 7    # a longer local run
"""
import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import redis

import chaos_attacks


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


class Kvgate:
    def __init__(self, binary, workdir, extra):
        self.redis_port, self.nats_port = free_port(), free_port()
        self.log_path = os.path.join(workdir, "kvgate.log")
        argv = [binary, "--bind", "127.0.0.1", "--redis-port", str(self.redis_port),
                "--nats-port", str(self.nats_port), "--dir", workdir] + extra
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=workdir)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("kvgate exited at start:\n" + self.log_text())
            try:
                socket.create_connection(("127.0.0.1", self.redis_port), 0.2).close()
                socket.create_connection(("127.0.0.1", self.nats_port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("kvgate did not listen:\n" + self.log_text())

    def log_text(self):
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()[-4000:]

    def stop(self):
        if self.proc.poll() is not None:
            return self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "no exit within 20 s of SIGTERM"


class Latencies:
    def __init__(self):
        self.values = []
        self.lock = threading.Lock()

    def add(self, seconds):
        with self.lock:
            self.values.append(seconds)

    def summary(self):
        v = sorted(self.values)
        if not v:
            return "no requests"
        pick = lambda q: v[min(len(v) - 1, int(q * len(v)))] * 1000
        return (f"{len(v)} requests, p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms, "
                f"max {v[-1] * 1000:.1f} ms")

    def worst(self):
        return max(self.values) if self.values else 0.0


def good_redis_client(port, stop, acked, lat, errors, password):
    """SET chaos:good:<i> in a loop; every acknowledged write is remembered."""
    try:
        c = redis.Redis(host="127.0.0.1", port=port, socket_timeout=30, password=password)
        i = 0
        while not stop.is_set():
            key, value = f"chaos:good:{i}", f"v{i}-" + "x" * (i % 200)
            t0 = time.monotonic()
            if c.set(key, value) is not True:
                errors.append(f"SET {key} did not answer OK")
                return
            lat.add(time.monotonic() - t0)
            acked[key] = value
            if i % 10 == 0:
                t0 = time.monotonic()
                if c.get(key) != value.encode():
                    errors.append(f"GET {key} right after its SET differs")
                    return
                lat.add(time.monotonic() - t0)
            i += 1
    except Exception as e:  # any failure of a good client fails the run
        errors.append(f"good Redis client: {e!r}")


class NatsLine:
    """A minimal blocking NATS client: enough to create a KV bucket, put and direct-get."""

    def __init__(self, port, connect_fields):
        self.sock = socket.create_connection(("127.0.0.1", port), 10)
        self.sock.settimeout(30)
        self.buf = b""
        info = self.line()
        if not info.startswith(b"INFO "):
            raise RuntimeError(f"no INFO: {info!r}")
        fields = {"verbose": False, "pedantic": False, "headers": True, "protocol": 1}
        fields.update(connect_fields)
        self.sock.sendall(b"CONNECT " + json.dumps(fields).encode() + b"\r\nPING\r\n")
        if self.line() != b"PONG":
            raise RuntimeError("CONNECT refused")
        self.sock.sendall(b"SUB _INBOX.good 1\r\n")

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def request(self, subject, payload):
        self.sock.sendall(f"PUB {subject} _INBOX.good {len(payload)}\r\n".encode() + payload +
                          b"\r\n")
        while True:
            head = self.line()
            if head == b"PING":
                self.sock.sendall(b"PONG\r\n")
                continue
            parts = head.split()
            if parts[0] == b"MSG":
                size = int(parts[-1])
                while len(self.buf) < size + 2:
                    self.buf += self.sock.recv(65536)
                body, self.buf = self.buf[:size], self.buf[size + 2:]
                return body
            if parts[0] == b"HMSG":
                hsize, size = int(parts[-2]), int(parts[-1])
                while len(self.buf) < size + 2:
                    self.buf += self.sock.recv(65536)
                body, self.buf = self.buf[hsize:size], self.buf[size + 2:]
                return body
            raise RuntimeError(f"unexpected {head!r}")


def good_nats_client(port, stop, acked, lat, errors, connect_fields):
    try:
        n = NatsLine(port, connect_fields)
        config = {"name": "KV_chaos", "subjects": ["$KV.chaos.>"], "max_msgs_per_subject": 1,
                  "allow_direct": True, "allow_rollup_hdrs": True, "deny_delete": True,
                  "discard": "new", "storage": "memory", "num_replicas": 1}
        reply = json.loads(n.request("$JS.API.STREAM.CREATE.KV_chaos",
                                     json.dumps(config).encode()))
        if "error" in reply:
            errors.append(f"stream create: {reply}")
            return
        i = 0
        while not stop.is_set():
            key, value = f"k{i}", f"n{i}-".encode() + b"y" * (i % 300)
            t0 = time.monotonic()
            ack = json.loads(n.request(f"$KV.chaos.{key}", value))
            if "seq" not in ack:
                errors.append(f"PUT {key}: {ack}")
                return
            lat.add(time.monotonic() - t0)
            acked[key] = value
            i += 1
        n.sock.close()
    except Exception as e:
        errors.append(f"good NATS client: {e!r}")


def verify(kv, redis_acked, nats_acked, password, connect_fields):
    problems = []
    c = redis.Redis(host="127.0.0.1", port=kv.redis_port, socket_timeout=30, password=password)
    keys = list(redis_acked)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        for key, got in zip(chunk, c.mget(chunk)):
            if got != redis_acked[key].encode():
                problems.append(f"Redis {key}: acknowledged {redis_acked[key]!r}, read {got!r}")
    n = NatsLine(kv.nats_port, connect_fields)
    for key, value in nats_acked.items():
        got = n.request(f"$JS.API.DIRECT.GET.KV_chaos.$KV.chaos.{key}", b"")
        if got != value:
            problems.append(f"NATS {key}: acknowledged {value!r}, read {got!r}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    ap.add_argument("--idle-connections", type=int, default=300)
    ap.add_argument("--stall-s", type=float, default=5.0)
    ap.add_argument("--rss-mb", type=float, default=400.0)
    ap.add_argument("--no-auth", action="store_true",
                    help="run kvgate without a Redis password and NATS authorization")
    args = ap.parse_args()
    binary = os.environ.get("KVGATE_BINARY")
    if not binary:
        sys.exit("KVGATE_BINARY is not set")
    print(f"seed {args.seed}; rerun: {sys.argv[0]} --seconds {args.seconds} --seed {args.seed}",
          flush=True)
    limits = ["--maxclients", "2000", "--client-query-buffer-limit", "1mb",
              "--proto-max-bulk-len", "512kb", "--max-payload", "512kb", "--max-pending", "4mb",
              "--output-high-water", "1mb", "--maxmemory", "256mb"]
    # With authentication on (the default), the attackers are unauthenticated clients: AUTH
    # floods fail, idle NATS connections meet the auth timeout; the good clients log in.
    auth = [] if args.no_auth else ["--requirepass", "chaos-secret", "--nats-user", "good",
                                    "--nats-pass", "chaos-secret", "--nats-auth-timeout", "1"]
    extra = limits + auth
    workdir = tempfile.mkdtemp(prefix="kvgate-chaos-")
    kv = Kvgate(binary, workdir, extra)
    password = None if args.no_auth else "chaos-secret"
    nats_login = {} if args.no_auth else {"user": "good", "pass": "chaos-secret"}
    stop = threading.Event()
    redis_acked, nats_acked, errors = {}, {}, []
    lat = Latencies()
    good = [threading.Thread(target=good_redis_client,
                             args=(kv.redis_port, stop, redis_acked, lat, errors, password)),
            threading.Thread(target=good_nats_client,
                             args=(kv.nats_port, stop, nats_acked, lat, errors, nats_login))]
    for t in good:
        t.start()
    worst_rss = [0.0]

    def sample_rss():
        while not stop.is_set():
            worst_rss[0] = max(worst_rss[0], rss_mb(kv.proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample_rss)
    sampler.start()
    attacks = chaos_attacks.Attacks(kv.redis_port, kv.nats_port, random.Random(args.seed),
                                    args.idle_connections, auth_timeout_s=None if args.no_auth
                                    else 1.0)
    try:
        asyncio.run(attacks.run(args.seconds))
    finally:
        stop.set()
        for t in good + [sampler]:
            t.join()
    failures = list(errors)
    if kv.proc.poll() is not None:
        failures.append(f"kvgate died during the run (status {kv.proc.returncode})")
    else:
        failures += verify(kv, redis_acked, nats_acked, password, nats_login)[:20]
    failures += attacks.problems[:20]
    failures += [f"attack {name} never ran" for name, n in attacks.counts.items() if n == 0]
    if lat.worst() > args.stall_s:
        failures.append(f"a good request waited {lat.worst():.1f} s (bound {args.stall_s} s)")
    if worst_rss[0] > args.rss_mb:
        failures.append(f"kvgate's RSS reached {worst_rss[0]:.0f} MB (bound {args.rss_mb} MB)")
    if len(redis_acked) < 100 or len(nats_acked) < 100:
        failures.append(f"good clients barely ran: {len(redis_acked)} SETs, "
                        f"{len(nats_acked)} PUTs")
    status = kv.stop()
    if status != 0:
        failures.append(f"kvgate's exit after SIGTERM: {status}")
    print(f"good clients: {len(redis_acked)} SETs, {len(nats_acked)} KV PUTs; {lat.summary()}")
    print(f"kvgate RSS at most {worst_rss[0]:.0f} MB")
    print("attacks: " + ", ".join(f"{k} {v}" for k, v in sorted(attacks.counts.items())))
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        print("kvgate log tail:\n" + kv.log_text())
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()

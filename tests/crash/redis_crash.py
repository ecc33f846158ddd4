#!/usr/bin/env python3
"""Crash test of kvgate's Redis persistence: kill -9 under write load, restart, check.

Usage: redis_crash.py --policy always|everysec|no [--rounds N] [--seed S] [--writers W]
       redis_crash.py --expect-loss       (self-check: restarts on an empty --dir must fail)
       redis_crash.py --reference --policy P   (self-check: redis-server with the same AOF flags)

Starts $KVGATE_BINARY with --dir D --appendonly yes --appendfsync POLICY and runs W writer
threads, each on its own connection and its own keys (so each key's history is one writer's):
SET, INCR, HSET, RPUSH, DEL and EXPIRE with long TTLs. Writers are of three kinds: one command
per round trip, redis-py pipelines (transaction=False; a pipeline cut by the kill leaves all its
commands in flight) and batches written at once whose replies are read one by one (each reply
read is acknowledged). After a random 0.05-0.5 s the server is killed with SIGKILL and restarted
on the same directory. Every writer's keys must then be exactly its acknowledged state plus some
prefix of its in-flight commands (the log is written in order, so later in-flight commands never
survive without the earlier ones): values, counters, hashes, lists, deletes, and EXPIRETIME
within the window between the EXPIRE's send and its reply (replay must not restart TTLs). No
other key may exist and DBSIZE must agree. Rounds continue on the same directory, so state
accumulates over crashes; a last restart after SIGTERM checks once more.

KVGATE_CRASH_ROUNDS=N raises the round count (for long local runs); KVGATE_CRASH_EXTRA_ARGS adds
kvgate flags (the *_checkpoints tests: checkpoints every few kilobytes of log, so kills also land
while one is being written). A failure prints the seed;
thread timing is not reproducible, the operation streams and kill delays are.
"""

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

START_TIMEOUT_S = 30
SOCKET_TIMEOUT_S = 10
TTL_SLACK_MS = 250  # loop-clock granularity; a TTL restarted at replay drifts by far more
KINDS = ("single", "pipeline", "stream")
STRINGS, COUNTERS, HASHES, LISTS = 8, 4, 4, 4


class CheckFailure(Exception):
    """State after a restart disagrees with what was acknowledged."""


def now_ms():
    return int(time.time() * 1000)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def no_retry():
    # redis-py versions differ in their default retries; a retried command would be sent twice.
    return Retry(NoBackoff(), 0)


class Kvgate:
    """kvgate on the data directory; each start gets a fresh port, all output in one log."""

    def __init__(self, binary, data_dir, policy, persist, log_path):
        self.binary, self.data_dir, self.policy = binary, data_dir, policy
        self.persist, self.log_path = persist, log_path
        self.proc, self.port = None, 0

    def start(self):
        for _ in range(5):  # the port may be taken between free_port() and bind()
            self.port = free_port()
            argv = [self.binary, "--bind", "127.0.0.1", "--redis-port", str(self.port),
                    "--nats-port", "0"]
            if os.path.basename(self.binary) == "redis-server":  # --reference
                argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save",
                        "", "--daemonize", "no", "--appendonly", "no"]
            data_dir = self.data_dir
            if not self.persist:  # a kvgate that loses its log: an empty directory every start
                self.starts = getattr(self, "starts", 0) + 1
                data_dir = f"{self.data_dir}{self.starts}"
                os.makedirs(data_dir)
            argv += ["--dir", data_dir, "--appendonly", "yes", "--appendfsync", self.policy]
            if os.path.basename(self.binary) != "redis-server":
                # e.g. tiny auto-aof-rewrite sizes: kills land in the middle of checkpoints too
                argv += os.environ.get("KVGATE_CRASH_EXTRA_ARGS", "").split()
            with open(self.log_path, "ab") as log:
                log.write(("=== " + " ".join(argv) + "\n").encode())
                log.flush()
                self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL,
                                             cwd=os.path.dirname(self.log_path))
            if self._wait_ready():
                return
            self.kill9()
        raise RuntimeError("kvgate did not start (its log is below)")

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                c = self.client(0)
                c.dbsize()  # -LOADING (a BusyLoadingError) until the log is replayed
                c.close()
                return True
            except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
                time.sleep(0.02)
        return False

    def client(self, db):
        return redis.Redis(host="127.0.0.1", port=self.port, db=db,
                           socket_timeout=SOCKET_TIMEOUT_S, retry=no_retry())

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc:
            self.proc.wait()

    def terminate(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()
                raise CheckFailure("kvgate did not exit within 10 s of SIGTERM")
            if rc != 0:
                raise CheckFailure(f"kvgate exited with status {rc} after SIGTERM")

    def log_count(self, text):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return sum(text in line for line in f)
        except OSError:
            return 0

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)"


class Entry:
    """One key as the model expects it; deadline is (lo_ms, hi_ms) or None."""

    __slots__ = ("kind", "value", "deadline")

    def __init__(self, kind, value, deadline=None):
        self.kind, self.value, self.deadline = kind, value, deadline

    def copy(self):
        v = self.value
        v = dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v
        return Entry(self.kind, v, self.deadline)

    def __repr__(self):
        return f"{self.kind}:{self.value!r} ttl={self.deadline}"


def apply(state, op, send_ms, ack_ms):
    """Applies op to state (dict key -> Entry); returns the reply the server must give."""
    name, key = op[0], op[1]
    e = state.get(key)
    if name == "SET":
        state[key] = Entry("string", op[2])
        return "OK"
    if name == "INCR":
        if e is None:
            e = state[key] = Entry("string", 0)
        e.value += 1
        return e.value
    if name == "HSET":
        if e is None:
            e = state[key] = Entry("hash", {})
        added = 0 if op[2] in e.value else 1
        e.value[op[2]] = op[3]
        return added
    if name == "RPUSH":
        if e is None:
            e = state[key] = Entry("list", [])
        e.value.append(op[2])
        return len(e.value)
    if name == "DEL":
        return 1 if state.pop(key, None) is not None else 0
    if name == "EXPIRE":
        if e is None:
            return 0
        ttl_ms = int(op[2]) * 1000
        e.deadline = (send_ms + ttl_ms, ack_ms + ttl_ms)
        return 1
    raise ValueError(name)


def reply_matches(reply, expected):
    if expected == "OK":
        return reply is True or reply == b"OK"
    return not isinstance(reply, (bytes, str)) and int(reply) == expected


class Writer:
    """Writes its own keys w<id>:... in db (id % 2), one thread per round, until the kill."""

    def __init__(self, wid, kind, seed):
        self.wid, self.kind, self.db, self.seed = wid, kind, wid % 2, seed
        self.prefix = f"w{wid}:"
        self.state = {}  # the acknowledged state of its keys
        self.inflight = []  # (op, send_ms) sent but unacknowledged when the connection broke
        self.seq = 0

    def start_round(self, round_no, server, killed):
        self.rng = random.Random(self.seed * 1000003 + round_no * 101 + self.wid)
        self.server, self.killed = server, killed
        self.inflight, self.error, self.acked = [], None, 0
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def next_op(self):
        r, self.seq = self.rng, self.seq + 1
        p, v = self.prefix, f"v{self.wid}.{self.seq}"
        pick = r.random()
        if pick < 0.25:
            return ("SET", f"{p}s{r.randrange(STRINGS)}", v)
        if pick < 0.45:
            return ("INCR", f"{p}c{r.randrange(COUNTERS)}")
        if pick < 0.65:
            return ("HSET", f"{p}h{r.randrange(HASHES)}", f"f{r.randrange(8)}", v)
        if pick < 0.80:
            return ("RPUSH", f"{p}l{r.randrange(LISTS)}", v)
        key = r.choice([f"{p}s{r.randrange(STRINGS)}", f"{p}c{r.randrange(COUNTERS)}",
                        f"{p}h{r.randrange(HASHES)}", f"{p}l{r.randrange(LISTS)}"])
        if pick < 0.90:
            return ("DEL", key)
        return ("EXPIRE", key, str(r.randrange(10_000, 1_000_000)))

    def ack(self, op, reply, send_ms):
        expected = apply(self.state, op, send_ms, now_ms())
        self.acked += 1
        if not reply_matches(reply, expected):
            raise CheckFailure(f"writer {self.wid}: {' '.join(op)} replied {reply!r}, the "
                               f"acknowledged state says {expected!r}")

    def run(self):
        try:
            self._run()
        except (redis.ConnectionError, redis.TimeoutError, OSError) as e:
            if not self.killed.is_set():
                self.error = f"writer {self.wid} ({self.kind}): {e!r} before the kill"
        except Exception as e:  # a reply disagreeing with the model, an error reply
            self.error = f"writer {self.wid} ({self.kind}): {e}"
        finally:
            self.ready.set()

    def _run(self):
        if self.kind == "stream":
            conn = redis.Connection(host="127.0.0.1", port=self.server.port, db=self.db,
                                    socket_timeout=SOCKET_TIMEOUT_S, retry=no_retry())
            conn.connect()
        else:
            client = self.server.client(self.db)
            client.ping()
        self.ready.set()
        while not self.killed.is_set():
            n = 1 if self.kind == "single" else self.rng.randint(1, 16)
            ops = [self.next_op() for _ in range(n)]
            send_ms = now_ms()
            self.inflight = [(op, send_ms) for op in ops]
            if self.kind == "single":
                self.ack(ops[0], client.execute_command(*ops[0]), send_ms)
            elif self.kind == "pipeline":
                pipe = client.pipeline(transaction=False)
                for op in ops:
                    pipe.execute_command(*op)
                for op, reply in zip(ops, pipe.execute()):
                    self.ack(op, reply, send_ms)
            else:
                conn.send_packed_command(conn.pack_commands(ops))
                for op in ops:
                    reply = conn.read_response()
                    self.inflight.pop(0)
                    self.ack(op, reply, send_ms)
            self.inflight = []


def read_actual(client, prefix):
    keys = sorted(k.decode() for k in client.scan_iter(match=prefix + "*", count=1000))
    pipe = client.pipeline(transaction=False)
    for k in keys:
        pipe.type(k)
        pipe.execute_command("PEXPIRETIME", k)
    meta = pipe.execute()
    pipe = client.pipeline(transaction=False)
    kinds = {}
    for i, k in enumerate(keys):
        kinds[k] = meta[2 * i].decode()
        {"string": pipe.get, "hash": pipe.hgetall, "list": lambda k: pipe.lrange(k, 0, -1)}.get(
            kinds[k], pipe.type)(k)
    values = pipe.execute()
    actual = {}
    for i, k in enumerate(keys):
        v = values[i]
        if kinds[k] == "string":
            v = v.decode()
        elif kinds[k] == "hash":
            v = {f.decode(): x.decode() for f, x in v.items()}
        elif kinds[k] == "list":
            v = [x.decode() for x in v]
        actual[k] = (kinds[k], v, meta[2 * i + 1])
    return actual


def entry_problem(key, exp, act):
    """None when the actual (type, value, pexpiretime) satisfies the expected Entry."""
    if exp is None:
        return f"{key}: exists ({act[0]} {act[1]!r}) but was never written or was deleted"
    if act is None:
        return f"{key}: missing, expected {exp!r}"
    kind, value, expiretime = act
    want = str(exp.value) if isinstance(exp.value, int) else exp.value
    if kind != exp.kind or value != want:
        return f"{key}: is {kind} {value!r}, expected {exp!r}"
    if exp.deadline is None and expiretime != -1:
        return f"{key}: has expiretime {expiretime}, expected none"
    if exp.deadline is not None:
        lo, hi = exp.deadline
        if not lo - TTL_SLACK_MS <= expiretime <= hi + TTL_SLACK_MS:
            return f"{key}: expiretime {expiretime} outside the acknowledged window [{lo}, {hi}]"
    return None


def problems(expected, actual):
    keys = sorted(set(expected) | set(actual))
    return [p for k in keys if (p := entry_problem(k, expected.get(k), actual.get(k)))]


def verify_writer(w, client, kill_ms):
    """Matches the writer's keys against its acked state plus each in-flight prefix."""
    actual = read_actual(client, w.prefix)
    cand = {k: e.copy() for k, e in w.state.items()}
    candidates = [{k: e.copy() for k, e in cand.items()}]
    for op, send_ms in w.inflight:
        apply(cand, op, send_ms, kill_ms)
        candidates.append({k: e.copy() for k, e in cand.items()})
    for j, c in enumerate(candidates):
        if not problems(c, actual):
            w.state = c
            return j
    inflight = "; ".join(" ".join(op) for op, _ in w.inflight) or "none"
    raise CheckFailure(
        f"writer {w.wid} ({w.kind}, db {w.db}): state after restart is neither its "
        f"acknowledged state nor that plus a prefix of its in-flight commands [{inflight}]. "
        "Against the acknowledged state:\n  " + "\n  ".join(problems(candidates[0], actual)[:30]))


def verify(server, writers, kill_ms, label):
    clients = {db: server.client(db) for db in (0, 1)}
    survived = sum(verify_writer(w, clients[w.db], kill_ms) for w in writers)
    for db, c in clients.items():
        want = sum(len(w.state) for w in writers if w.db == db)
        got = c.dbsize()
        if got != want:
            raise CheckFailure(f"{label}: DBSIZE of db {db} is {got}, expected {want}")
        c.close()
    return survived


def run(args):
    binary = shutil.which("redis-server") if args.reference else os.environ.get("KVGATE_BINARY")
    if not binary:
        raise RuntimeError("KVGATE_BINARY is not set (ctest sets it)")
    workdir = tempfile.mkdtemp(prefix="kvgate-crash-redis-")
    data_dir = os.path.join(workdir, "data")
    os.mkdir(data_dir)
    server = Kvgate(binary, data_dir, args.policy, not args.no_persist,
                    os.path.join(workdir, "kvgate.log"))
    rng = random.Random(args.seed)
    killed = threading.Event()
    writers = [Writer(i, KINDS[i % len(KINDS)], args.seed) for i in range(args.writers)]
    kill_ms = 0
    ok = False
    try:
        server.start()
        for rnd in range(1, args.rounds + 1):
            killed.clear()
            for w in writers:
                w.start_round(rnd, server, killed)
            for w in writers:
                w.ready.wait(SOCKET_TIMEOUT_S)
            time.sleep(rng.uniform(0.05, 0.5))
            killed.set()
            if not args.no_crash:
                server.kill9()
            kill_ms = now_ms()
            for w in writers:
                w.thread.join(SOCKET_TIMEOUT_S + 5)
                if w.thread.is_alive():
                    raise CheckFailure(f"writer {w.wid} still blocked after the kill")
            errors = [w.error for w in writers if w.error]
            if errors:
                raise CheckFailure("; ".join(errors))
            if not args.no_crash:
                server.start()
            survived = verify(server, writers, kill_ms, f"round {rnd}")
            print(f"round {rnd}: {sum(w.acked for w in writers)} acknowledged, "
                  f"{sum(len(w.inflight) for w in writers)} in flight at the kill "
                  f"({survived} of them survived), {sum(len(w.state) for w in writers)} keys "
                  "intact", flush=True)
        for w in writers:
            w.inflight = []
        server.terminate()
        server.start()
        verify(server, writers, now_ms(), "restart after SIGTERM")
        server.terminate()
        checkpoints = server.log_count("checkpoint done")
        print(f"{checkpoints} checkpoints completed across the rounds", flush=True)
        if os.environ.get("KVGATE_CRASH_EXTRA_ARGS") and checkpoints == 0:
            raise CheckFailure("no checkpoint completed: the kills never met one")
        ok = True
    finally:
        server.kill9()
        if ok or args.expect_loss:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir} (data/ and kvgate.log); kvgate log tail:\n{server.log_tail()}",
                  file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--policy", choices=("always", "everysec", "no"), default="always")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--expect-loss", action="store_true",
                    help="restart on empty directories; pass only if the check catches the loss")
    ap.add_argument("--no-persist", action="store_true",
                    help="start kvgate on an empty --dir every time (a kvgate that loses its log)")
    ap.add_argument("--reference", action="store_true",
                    help="check the checker: run against redis-server (same flags) instead")
    ap.add_argument("--no-crash", action="store_true",
                    help="stop the writers and verify without a kill (with --no-persist: "
                    "checks the checker against a kvgate without persistence)")
    args = ap.parse_args()
    args.rounds = max(args.rounds, int(os.environ.get("KVGATE_CRASH_ROUNDS", "0") or 0))
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1 << 31)
    if args.expect_loss:
        args.rounds, args.no_persist = 1, True
    rerun = f"{sys.argv[0]} --policy {args.policy} --rounds {args.rounds} --seed {args.seed}"
    print(f"redis crash test: policy {args.policy}, {args.rounds} rounds, {args.writers} "
          f"writers, seed {args.seed}", flush=True)
    try:
        run(args)
    except CheckFailure as e:
        if args.expect_loss:
            print(f"as expected, restarts on an empty --dir fail the check: {e}")
            return 0
        print(f"FAILED (policy {args.policy}, seed {args.seed}): {e}\nrerun: {rerun}",
              file=sys.stderr)
        return 1
    except Exception as e:
        print(f"ERROR (policy {args.policy}, seed {args.seed}): {e!r}\nrerun: {rerun}",
              file=sys.stderr)
        return 2
    if args.expect_loss:
        print("FAILED: kvgate restarted on empty directories and the check noticed no loss", file=sys.stderr)
        return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Runs one framework scenario against a real redis-server and against kvgate, and compares.

Usage: differential.py [--kvgate-lacks WHAT] SCENARIO_COMMAND...
       ("{port}" in the command is replaced by the port)

The scenario is a real program (a Celery client and worker, a Sidekiq client and server, ...)
that talks to 127.0.0.1:{port} and prints its outcome as one line "OUTCOME <json>" on stdout,
asserting its own expectations on the way (a scenario that fails exits non-zero). This script
starts a redis-server (--save '' --appendonly no) and a kvgate ($KVGATE_BINARY), each on an
ephemeral loopback port of its own, runs the scenario once against each, and fails when the
scenario fails on either server or when kvgate's outcome differs from redis-server's.

--kvgate-lacks WHAT marks a scenario that needs a feature kvgate does not have yet: the test then
passes when the scenario passes on redis-server and fails on kvgate with WHAT in its output, and
fails otherwise (so it turns red, asking for the marker to go, once kvgate has the feature).

KVGATE_FRAMEWORKS_MONITOR=1 also prints the commands the scenario sent to redis-server (MONITOR).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

SCENARIO_TIMEOUT_S = 240
START_TIMEOUT_S = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, timeout_s=START_TIMEOUT_S):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


class Server:
    """A server process on an ephemeral loopback port, its output in a log file."""

    def __init__(self, name, argv_for_port, workdir):
        self.name = name
        self.log_path = os.path.join(workdir, name + ".log")
        for _ in range(5):  # the port may be taken between free_port() and bind()
            self.port = free_port()
            with open(self.log_path, "wb") as log:
                self.proc = subprocess.Popen(argv_for_port(self.port), stdout=log,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                             cwd=workdir)
            if wait_for_port(self.port, self.proc):
                return
            self.stop()
        raise RuntimeError(f"{name} did not start; log:\n{self.log()}")

    def log(self):
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_redis(workdir):
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (tools/setup.sh installs it)")
    return Server("redis-server", lambda port: [
        binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", workdir, "--daemonize", "no"], workdir)


def start_kvgate(workdir):
    binary = os.environ.get("KVGATE_BINARY")
    if not binary:
        raise RuntimeError("KVGATE_BINARY is not set (ctest sets it)")
    return Server("kvgate", lambda port: [
        binary, "--bind", "127.0.0.1", "--redis-port", str(port), "--nats-port", "0",
        "--dir", workdir, *os.environ.get("KVGATE_TEST_ARGS", "").split()], workdir)


class Monitor(threading.Thread):
    """Collects the command names redis-server sees (MONITOR), for diagnostics only."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.counts = {}
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"MONITOR\r\n")
        self.start()

    def run(self):
        buf = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buf += chunk
            *lines, buf = buf.split(b"\r\n")
            for line in lines:
                # +1700000000.123456 [0 127.0.0.1:5555] "SET" "k" "v"
                parts = line.split(b'"')
                if len(parts) > 1:
                    name = parts[1].decode(errors="replace").upper()
                    self.counts[name] = self.counts.get(name, 0) + 1

    def report(self):
        self.sock.close()
        return ", ".join(f"{k} x{v}" for k, v in sorted(self.counts.items()))


def run_scenario(command, server, workdir):
    argv = [a.replace("{port}", str(server.port)) for a in command]
    env = dict(os.environ, KVGATE_FRAMEWORKS_SERVER=server.name,
               KVGATE_FRAMEWORKS_WORKDIR=workdir)
    started = time.monotonic()
    try:
        done = subprocess.run(argv, capture_output=True, timeout=SCENARIO_TIMEOUT_S, env=env,
                              cwd=workdir)
    except subprocess.TimeoutExpired as e:
        return None, f"timed out after {SCENARIO_TIMEOUT_S}s\n{e.stdout!r}\n{e.stderr!r}"
    out = done.stdout.decode(errors="replace")
    err = done.stderr.decode(errors="replace")
    print(f"--- {server.name}: exit {done.returncode} in {time.monotonic() - started:.1f}s")
    outcome = None
    for line in out.splitlines():
        if line.startswith("OUTCOME "):
            outcome = json.loads(line[len("OUTCOME "):])
    if done.returncode != 0 or outcome is None:
        return None, f"exit {done.returncode}\nstdout:\n{out}\nstderr:\n{err}"
    return outcome, err


def diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        lines = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                lines.append(f"{path}/{k}: redis-server {a.get(k, '<absent>')!r}, "
                             f"kvgate {b.get(k, '<absent>')!r}")
            else:
                lines += diff(a[k], b[k], f"{path}/{k}")
        return lines
    return [] if a == b else [f"{path}: redis-server {a!r}, kvgate {b!r}"]


def run_on(start, command):
    """Starts a server, runs the scenario on it; returns (server name, outcome, failure text)."""
    workdir = tempfile.mkdtemp(prefix="kvgate-frameworks-")
    try:
        server = start(workdir)
        monitor = Monitor(server.port) if (
            server.name == "redis-server" and os.environ.get("KVGATE_FRAMEWORKS_MONITOR")) else None
        try:
            outcome, detail = run_scenario(command, server, workdir)
        finally:
            server.stop()
        if monitor:
            print(f"commands sent to redis-server: {monitor.report()}")
        if outcome is not None:
            print(f"{server.name} outcome: {json.dumps(outcome, sort_keys=True)}")
            return server.name, outcome, None
        if server.name == "kvgate":
            detail += "\nkvgate log (last 3000 chars):\n" + server.log()[-3000:]
        return server.name, None, detail
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    args = sys.argv[1:]
    lacks = None
    if args[:1] == ["--kvgate-lacks"]:
        lacks, args = args[1], args[2:]
    if not args:
        print(__doc__)
        return 2
    failures = []
    _, reference, failure = run_on(start_redis, args)
    if failure:
        failures.append(f"scenario failed against redis-server: {failure}")
    _, outcome, failure = run_on(start_kvgate, args)
    if lacks:
        if outcome is not None:
            failures.append(f"the scenario passes on kvgate: drop --kvgate-lacks {lacks!r}")
        elif lacks not in failure:
            failures.append(f"scenario failed against kvgate, not for lack of {lacks}: {failure}")
        elif not failures:
            print(f"PASS: redis-server ran the scenario; kvgate fails on it for lack of {lacks}")
            return 0
    elif failure:
        failures.append(f"scenario failed against kvgate: {failure}")
    elif reference is not None:
        failures += diff(reference, outcome)
    if failures:
        print("FAIL: " + "\n".join(failures))
        return 1
    print("PASS: kvgate's outcome equals redis-server's")
    return 0


if __name__ == "__main__":
    sys.exit(main())

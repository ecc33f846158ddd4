"""Shared helpers for the side-by-side benchmark scripts (not part of the test suite).

Each script starts a reference server and kvgate on loopback ports of their own, runs the same
workload against each alternately for several rounds, and reports medians and ratios.
"""
import csv
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.02)
    return False


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class Server:
    """A server process on its own port, with a temporary directory."""

    def __init__(self, name, argv_fn, ports=1):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix=f"kvgate-bench-{name}-")
        self.ports = [free_port() for _ in range(ports)]
        argv = argv_fn(self.ports, self.dir)
        self.log = open(os.path.join(self.dir, "log"), "w")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT)
        for p in self.ports:
            if not wait_port(p):
                raise RuntimeError(f"{name} did not start: {' '.join(argv)}")
        self.argv = argv

    @property
    def port(self):
        return self.ports[0]

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def release_build(*targets):
    """Builds targets in build/release (the release preset), configuring it on a clean checkout.
    Incremental: a no-op when up to date, so a run never measures a stale binary."""
    build = os.path.join(ROOT, "build", "release")
    if not os.path.exists(os.path.join(build, "build.ninja")):
        subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", "--preset", "release", "--target", *targets],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return build


def kvgate_binary():
    """KVGATE_BINARY, or the release build's kvgate (built first)."""
    env = os.environ.get("KVGATE_BINARY")
    if env:
        return env
    return os.path.join(release_build("kvgate"), "gateway", "kvgate")


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def print_table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    fmt = "  ".join("{:<%d}" % w if i == 0 else "{:>%d}" % w for i, w in enumerate(widths))
    print(fmt.format(*header))
    for r in rows:
        print(fmt.format(*r))


def loadavg():
    """The 1-minute load average (the machine is shared; every report states how busy it was)."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def machine_line():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.node()}: {os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}"


def met(value, bar):
    """bar is ('>=', x) or ('<=', x) or None. Returns 'yes', 'NO' or '' (no bar)."""
    if bar is None or value != value:  # NaN: not measured
        return ""
    op, x = bar
    ok = value >= x if op == ">=" else value <= x
    return "yes" if ok else "NO"


def bar_text(bar):
    return "" if bar is None else f"{bar[0]} {bar[1]}"


def write_csv(path, rows):
    """rows: dicts with keys workload, kvgate, reference, ratio, better ("higher" or "lower"),
    bar, met (chart input)."""
    if not path:
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["workload", "kvgate", "reference", "ratio", "better", "bar",
                                          "met"])
        w.writeheader()
        for r in rows:
            w.writerow(r)


def alternate(round_index, ref_fn, kv_fn):
    """Runs both measurements of one round, reference first on even rounds and kvgate first on
    odd ones, so neither side always benefits from a warm (or cold) machine."""
    if round_index % 2 == 0:
        r = ref_fn()
        k = kv_fn()
    else:
        k = kv_fn()
        r = ref_fn()
    return r, k

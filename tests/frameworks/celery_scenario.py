#!/usr/bin/env python3
"""Celery with the Redis broker and the Redis result backend against 127.0.0.1:PORT: starts a
real worker (solo pool) and sends it tasks: a plain task, countdown and eta tasks, a failing
task, a group, a chain and a chord, remote control (ping, inspect scheduled and revoked, revoke).
Prints "OUTCOME <json>"; exits non-zero on a broken expectation.
Usage: celery_scenario.py PORT"""

import datetime
import os
import subprocess
import sys

from scenario_util import report, wait_for

GUARD_S = 60  # failure guard for every wait below, never an expectation


def start_worker(port, workdir):
    env = dict(os.environ, CELERY_REDIS_PORT=str(port),
               PYTHONPATH=os.path.dirname(os.path.abspath(__file__)))
    log = open(os.path.join(workdir, "celery-worker.log"), "wb")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "celery_tasks", "worker",
                             "--pool=solo", "--loglevel=info", "--hostname=w1@kvgate",
                             "--without-gossip", "--without-mingle", "--without-heartbeat"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir), log


def scenario(out, worker_ready):
    from celery import chain, chord, group

    import celery_tasks as t
    app = t.app

    # Sent before the worker is up: it waits in the broker's list.
    first = t.add.delay(2, 3)
    wait_for(worker_ready, GUARD_S)
    out["add"] = first.get(timeout=GUARD_S)
    out["add_state"] = first.state
    out["add_from_backend"] = app.AsyncResult(first.id).result

    out["ping"] = sorted(wait_for(lambda: [
        list(reply)[0] for reply in app.control.ping(timeout=1.0)], GUARD_S))

    later = t.eta_probe.apply_async((7,), countdown=1)
    at = t.eta_probe.apply_async(
        (8,), eta=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1))
    out["countdown"] = later.get(timeout=GUARD_S)
    out["eta"] = at.get(timeout=GUARD_S)

    failing = t.divide.delay(1, 0)
    try:
        failing.get(timeout=GUARD_S)
        out["failure"] = "no error"
    except ZeroDivisionError as e:
        out["failure"] = f"ZeroDivisionError: {e}"
    out["failure_state"] = failing.state

    out["group"] = group(t.add.s(i, i) for i in range(4))().get(timeout=GUARD_S)
    out["chain"] = chain(t.add.s(1, 1), t.add.s(10), t.add.s(100))().get(timeout=GUARD_S)
    out["chord"] = chord(t.add.s(i, i) for i in range(5))(t.tsum.s()).get(timeout=GUARD_S)

    # A task held for its countdown shows in inspect().scheduled(); revoked there, the worker
    # lists it as revoked (it would discard it when due, long after this scenario).
    held = t.add.apply_async((40, 2), countdown=600)
    inspect = app.control.inspect(timeout=1.0)
    wait_for(lambda: any(entry["request"]["id"] == held.id
                         for entries in (inspect.scheduled() or {}).values()
                         for entry in entries), GUARD_S)
    out["scheduled_seen"] = True
    app.control.revoke(held.id)
    wait_for(lambda: any(held.id in ids for ids in (inspect.revoked() or {}).values()), GUARD_S)
    out["revoked_listed"] = True
    out["held_state"] = held.state


def main(port):
    workdir = os.environ.get("KVGATE_FRAMEWORKS_WORKDIR", ".")
    os.environ["CELERY_REDIS_PORT"] = str(port)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    worker, log = start_worker(port, workdir)
    out = {}

    def worker_ready():
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited ({worker.returncode})")
        with open(log.name, errors="replace") as f:
            return " ready." in f.read()

    try:
        scenario(out, worker_ready)
    finally:
        worker.terminate()  # warm shutdown
        try:
            out["worker_exit"] = worker.wait(timeout=GUARD_S)
        except subprocess.TimeoutExpired:
            worker.kill()
            out["worker_exit"] = "killed"
        log.close()
        with open(log.name, errors="replace") as f:
            worker_log = f.read()
        print(f"worker log (last 6000 chars):\n{worker_log[-6000:]}", file=sys.stderr)

    expected = {
        "add": 5, "add_state": "SUCCESS", "add_from_backend": 5, "ping": ["w1@kvgate"],
        "countdown": {"value": 7, "had_eta": True}, "eta": {"value": 8, "had_eta": True},
        "failure": "ZeroDivisionError: division by zero", "failure_state": "FAILURE",
        "group": [0, 2, 4, 6], "chain": 112, "chord": 20, "scheduled_seen": True,
        "revoked_listed": True, "held_state": "PENDING", "worker_exit": 0,
    }
    return report(out, expected)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))

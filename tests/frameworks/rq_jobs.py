"""The job functions of rq_scenario.py; the worker imports them by module name."""

from rq import get_current_job


def add(a, b):
    return a + b


def divide(a, b):
    return a / b


def flaky(tag):
    # Fails on its first run, succeeds on its retry; the runs are counted in the server.
    job = get_current_job()
    runs = job.connection.incr(f"rq-scenario:runs:{tag}")
    if runs == 1:
        raise RuntimeError(f"first run of {tag} fails")
    return f"{tag} ok on run {runs}"


def describe_dependency():
    # Runs after the job it depends on and reads that job's result.
    dependency = get_current_job().dependency
    return {"dependency": dependency.id, "its_result": dependency.return_value()}

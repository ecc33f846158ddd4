#!/usr/bin/env python3
"""RQ against 127.0.0.1:PORT: enqueues jobs (a plain one, a failing one, one retried after a
failure, one depending on the plain job and one on the failing job), runs a burst worker in this
process (it forks a work horse per job), then checks statuses, return values and the results
stream (RQ keeps a job's results in a stream, XADD and XREVRANGE), the failed job's exception in
the failed registry, the retried job (a failed run that is retried keeps no result), the job
left deferred behind the failed one, and the keys left.
Prints "OUTCOME <json>"; exits non-zero on a broken expectation.
Usage: rq_scenario.py PORT"""

import os
import sys
import warnings

from scenario_util import report


def scenario(out, connection):
    from rq import Queue, Retry, Worker
    from rq.job import Job
    from rq.registry import DeferredJobRegistry, FailedJobRegistry, FinishedJobRegistry
    from rq.results import Result

    import rq_jobs

    queue = Queue("rq-scenario", connection=connection)
    plain = queue.enqueue(rq_jobs.add, 2, 3, job_id="plain")
    failing = queue.enqueue(rq_jobs.divide, 1, 0, job_id="failing")
    retried = queue.enqueue(rq_jobs.flaky, "r", job_id="retried", retry=Retry(max=2))
    dependent = queue.enqueue(rq_jobs.describe_dependency, job_id="dependent", depends_on=plain)
    blocked = queue.enqueue(rq_jobs.add, 1, 1, job_id="blocked", depends_on=failing)
    out["queued"] = {"count": queue.count, "ids": queue.job_ids,
                     "dependent": dependent.get_status(), "blocked": blocked.get_status()}

    worker = Worker([queue], connection=connection, name="rq-scenario-worker")
    out["worked"] = worker.work(burst=True, logging_level="WARNING")
    worker.refresh()  # the work horses count in the worker's hash
    out["worker_counts"] = {"successful": worker.successful_job_count,
                            "failed": worker.failed_job_count}

    def fetched(job_id):
        return Job.fetch(job_id, connection=connection)

    plain = fetched("plain")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        out["plain"] = {"status": plain.get_status(), "return_value": plain.return_value(),
                        "result": plain.result,
                        "latest_type": plain.latest_result().type.name,
                        "results": Result.count(plain)}
        failing = fetched("failing")
        exc_info = failing.exc_info or ""
    out["failing"] = {"status": failing.get_status(), "return_value": failing.return_value(),
                      "exc_last_line": (exc_info.strip().splitlines() or [""])[-1],
                      "traceback": exc_info.startswith("Traceback (most recent call last)"),
                      "latest_type": failing.latest_result().type.name}
    out["failed_registry"] = FailedJobRegistry(queue=queue).get_job_ids()
    retried = fetched("retried")
    out["retried"] = {"status": retried.get_status(), "return_value": retried.return_value(),
                      "retries_left": retried.retries_left,
                      "result_types": [r.type.name for r in retried.results()]}
    dependent = fetched("dependent")
    out["dependent"] = {"status": dependent.get_status(),
                        "return_value": dependent.return_value()}
    out["blocked"] = {"status": fetched("blocked").get_status(),
                      "deferred_registry": DeferredJobRegistry(queue=queue).get_job_ids()}
    out["finished_registry"] = sorted(FinishedJobRegistry(queue=queue).get_job_ids())
    out["queue_after"] = queue.count
    out["keys"] = sorted(f"{k.decode()} {connection.type(k).decode()}" for k in connection.keys())


def main(port):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from redis import Redis

    connection = Redis(host="127.0.0.1", port=port, db=12)
    connection.flushdb()
    out = {}
    try:
        scenario(out, connection)
    finally:
        connection.close()

    expected = {
        "queued": {"count": 3, "ids": ["plain", "failing", "retried"],
                   "dependent": "deferred", "blocked": "deferred"},
        "worked": True, "worker_counts": {"successful": 3, "failed": 2},
        "plain": {"status": "finished", "return_value": 5, "result": 5,
                  "latest_type": "SUCCESSFUL", "results": 1},
        "failing": {"status": "failed", "return_value": None,
                    "exc_last_line": "ZeroDivisionError: division by zero", "traceback": True,
                    "latest_type": "FAILED"},
        "failed_registry": ["failing"],
        "retried": {"status": "finished", "return_value": "r ok on run 2", "retries_left": 1,
                    "result_types": ["SUCCESSFUL"]},
        "dependent": {"status": "finished",
                      "return_value": {"dependency": "plain", "its_result": 5}},
        "blocked": {"status": "deferred", "deferred_registry": ["blocked"]},
        "finished_registry": ["dependent", "plain", "retried"],
        "queue_after": 0,
        "keys": [
            "rq-scenario:runs:r string", "rq:clean_registries:rq-scenario string",
            "rq:deferred:rq-scenario zset", "rq:failed:rq-scenario zset",
            "rq:finished:rq-scenario zset", "rq:job::blocked:dependencies set",
            "rq:job::dependent:dependencies set", "rq:job:blocked hash",
            "rq:job:dependent hash", "rq:job:failing hash", "rq:job:failing:dependents set",
            "rq:job:plain hash", "rq:job:retried hash", "rq:queues set",
            "rq:results:dependent stream", "rq:results:failing stream",
            "rq:results:plain stream", "rq:results:retried stream",
            "rq:worker:rq-scenario-worker hash"],
    }
    return report(out, expected)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))

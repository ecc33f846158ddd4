"""The Celery app and tasks of celery_scenario.py: Redis broker in db 0, Redis result backend
in db 1, on 127.0.0.1:$CELERY_REDIS_PORT."""

import os

from celery import Celery

_port = os.environ["CELERY_REDIS_PORT"]
app = Celery("kvgate_frameworks", broker=f"redis://127.0.0.1:{_port}/0",
             backend=f"redis://127.0.0.1:{_port}/1")
app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"],
                broker_connection_retry_on_startup=False, result_expires=600)


@app.task
def add(a, b):
    return a + b


@app.task
def tsum(values):
    return sum(values)


@app.task(bind=True)
def eta_probe(self, value):
    # The worker held this task until its ETA: the request carries it.
    return {"value": value, "had_eta": self.request.eta is not None}


@app.task
def divide(a, b):
    return a / b

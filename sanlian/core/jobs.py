"""Transactional outbox: follow-up jobs that survive a queue (Redis) outage.

`enqueue(task, **kwargs)` writes an `OutboxJob` row in the caller's transaction and hands it to Huey
once that transaction commits. A queue that cannot be reached never fails the user's request: the row
stays, with the error, and the periodic `flush_outbox` task or `sanlian jobs_flush` hands it over later.
Delivery is at least once (a crash between Huey accepting the message and the row's deletion repeats
it), which is why every task is idempotent.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxJob

log = logging.getLogger("sanlian.jobs")

# Rows younger than this are still being handed over by their own on-commit hook; the flush leaves them.
FLUSH_GRACE = timedelta(seconds=60)


def task_path(task) -> str:
    func = task.func
    return f"{func.__module__}.{func.__name__}"


def enqueue(task, **kwargs) -> OutboxJob:
    """Queue `task(**kwargs)` (a Huey task taking keyword arguments) after the current transaction commits."""
    job = OutboxJob.objects.create(task=task_path(task), kwargs=kwargs, created_at=timezone.now())
    transaction.on_commit(partial(hand_over, job.pk), robust=True)
    return job


def hand_over(job_id: int) -> bool:
    """Give one outbox row to Huey and delete it; on failure keep it with the error. True when handed over."""
    job = OutboxJob.objects.filter(pk=job_id).first()
    if job is None:  # handed over already (by the flush)
        return True
    try:
        task = import_string(job.task)
        task.huey.enqueue(task.s(**job.kwargs))
    except Exception as exc:  # the queue is down: the job waits in the outbox, the request goes on
        log.warning("outbox job %s (%s) not enqueued: %s", job.pk, job.task, exc)
        OutboxJob.objects.filter(pk=job.pk).update(
            attempts=F("attempts") + 1, last_tried_at=timezone.now(), last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False
    OutboxJob.objects.filter(pk=job.pk).delete()
    return True


def outbox_flush(*, now: datetime | None = None, grace: timedelta = FLUSH_GRACE, limit: int = 1000) -> dict:
    """Hand over the rows left behind (oldest first); stops at the first failure, the queue being down."""
    now = now or timezone.now()
    ids = list(OutboxJob.objects.filter(created_at__lte=now - grace).values_list("pk", flat=True)[:limit])
    handed, failed = 0, False
    for pk in ids:
        if not hand_over(pk):
            failed = True
            break
        handed += 1
    return {"handed_over": handed, "waiting": OutboxJob.objects.count(), "failed": failed}

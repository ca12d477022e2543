"""Recovery of background jobs whose worker died while running them.

django-tasks-db marks a job RUNNING when a worker claims it and never looks at it again: a worker
killed mid-job (out of memory, `kill -9`, a power cut) leaves the job RUNNING for ever. Every job of
this project is safe to run again (reminders are recorded once a day, notifications are written in
the same transaction as that record, e-mails are claimed before they are sent), so a job whose
worker is gone is put back in the queue.
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

WORKER_ID_MAX = 64  # django-tasks-db refuses longer worker ids


def worker_id() -> str:
    """A worker id naming this host and process, so that a later worker can tell whether it still lives."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{get_random_string(8)}"[:WORKER_ID_MAX]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def worker_is_gone(worker: str) -> bool:
    """True when `worker` is an id from `worker_id()` of this host whose process no longer exists."""
    host, _, rest = worker.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname()[:30] or not pid.isdigit():
        return False
    return not _process_alive(int(pid))


def requeue_stale_tasks(lease: dt.timedelta | None = None) -> list[str]:
    """Put back in the queue every RUNNING job whose worker is gone; returns their ids.

    A job is stale when its worker was a process of this host that no longer exists, or when it
    has been running longer than `lease` (default `XIESHANG_TASK_LEASE_SECONDS`): a worker on
    another host cannot be asked, and no job of this project runs for that long.
    """
    if lease is None:
        lease = dt.timedelta(seconds=settings.XIESHANG_TASK_LEASE_SECONDS)
    deadline = timezone.now() - lease
    requeued = []
    for task in DBTaskResult.objects.running().only("id", "started_at", "worker_ids"):
        last_worker = task.worker_ids[-1] if task.worker_ids else ""
        expired = task.started_at is None or task.started_at <= deadline
        if not (expired or worker_is_gone(last_worker)):
            continue
        # Only if still RUNNING: the worker may have finished it since we looked.
        if DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        ):
            requeued.append(str(task.pk))
    return requeued

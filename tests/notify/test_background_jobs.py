"""Notifications reach the user in the app and, through a real worker, by e-mail."""

from __future__ import annotations

import os
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from xieshang.notify.models import Notification
from xieshang.proposals import services

from ..proposals import walk


# The worker closes its database connection between jobs, as it should; so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_e_mails_a_notification(world):
    p = walk.under_review(world.city)
    services.accept_proposal(world.city.staff, p)
    n = Notification.objects.get(verb="proposal_accepted")
    assert n.emailed_at is None
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    n.refresh_from_db()
    assert n.emailed_at is not None
    # staff were told of the new proposal at submission; the member of the acceptance
    by_recipient = {m.to[0]: m.subject for m in mail.outbox}
    assert set(by_recipient) == {world.city.staff.email, world.city.member.email}
    assert "第0001号" in by_recipient[world.city.member.email]


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(
    not _redis_up() and not os.environ.get("XIESHANG_REQUIRE_SERVICES"),
    reason="Redis is not running on 127.0.0.1:6379 (.ci/run starts it and sets XIESHANG_REQUIRE_SERVICES)",
)
def test_the_redis_backed_queue_runs_the_same_job(world, django_capture_on_commit_callbacks):
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    # CI runs the SQLite and the PostgreSQL suites side by side: each has a Redis database of its own.
    redis_db = 14 if connection.vendor == "postgresql" else 15
    rq_settings = {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        "RQ_QUEUES": {"default": {"URL": f"redis://127.0.0.1:6379/{redis_db}"}},
    }
    with override_settings(**rq_settings):
        queue = django_rq.get_queue("default", job_class=Job)
        queue.empty()
        p = walk.under_review(world.city)
        with django_capture_on_commit_callbacks(execute=True):
            services.accept_proposal(world.city.staff, p)
        assert queue.count == 1
        # SimpleWorker runs the job in this process, inside the test's transaction.
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    assert Notification.objects.get(verb="proposal_accepted").emailed_at is not None
    assert len(mail.outbox) == 1

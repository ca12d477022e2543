"""A worker killed in the middle of a job: the job runs again, nothing is lost and nothing is doubled."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from xieshang.audit.models import AuditEvent
from xieshang.core import jobs
from xieshang.core.dates import today
from xieshang.notify.models import Notification
from xieshang.notify.tasks import email_notification
from xieshang.proposals.models import Assignment, AssignmentRole, Reminder
from xieshang.proposals.tasks import remind_due_replies

from ..proposals import walk
from .helpers import BIN, app_env, database_url, postgres_only, start, stop, wait_for

LATE_ASSIGNMENTS = 120


def _running(worker_ids: list[str], started_minutes_ago: float = 0) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=remind_due_replies.enqueue().id)
    started = timezone.now() - dt.timedelta(minutes=started_minutes_ago)
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=worker_ids
    )
    return result


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_job_whose_worker_process_is_gone_is_queued_again(db):
    # given: one job held by a worker of this host that no longer exists, one by this live process
    host = jobs.worker_id().split(":")[0]
    orphan = _running([f"{host}:{_dead_pid()}:abc"])
    held = _running([jobs.worker_id()])
    # when
    requeued = jobs.requeue_stale_tasks()
    # then: only the orphan is ready to run again
    assert requeued == [str(orphan.pk)]
    assert DBTaskResult.objects.get(pk=orphan.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=held.pk).status == TaskResultStatus.RUNNING


def test_a_job_running_longer_than_its_lease_is_queued_again(db, settings):
    # given: a job of a worker we cannot ask (another host), running for two hours; another for a minute
    settings.XIESHANG_TASK_LEASE_SECONDS = 3600
    stale = _running(["other-host:123:abc"], started_minutes_ago=120)
    fresh = _running(["other-host:124:abc"], started_minutes_ago=1)
    # when / then
    assert jobs.requeue_stale_tasks() == [str(stale.pk)]
    assert DBTaskResult.objects.get(pk=fresh.pk).status == TaskResultStatus.RUNNING


def test_an_e_mail_job_run_twice_sends_one_mail(world):
    # given: a notification to a user with an address
    n = Notification.objects.create(user=world.city.member, verb="test", title="测试通知")
    # when: its e-mail job runs twice (a retry after a killed worker)
    assert email_notification.call(n.pk) is True
    assert email_notification.call(n.pk) is False
    # then
    assert len(mail.outbox) == 1


def test_reminder_notifications_commit_with_the_reminder_or_not_at_all(world):
    # given: one overdue assignment
    p = walk.assigned(world.city, co=False)
    Assignment.objects.filter(pk=walk.lead_assignment(p).pk).update(due_on=today() - dt.timedelta(days=3))
    # when: the daily job runs (no on-commit callback is executed inside this test's transaction)
    remind_due_replies.call()
    # then: the unit's notification was written in the reminder's own transaction
    assert Reminder.objects.filter(kind="overdue").count() == 1
    assert Notification.objects.filter(verb="reminder_overdue", user=world.city.unit_user).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_is_replaced_and_nothing_is_lost_or_sent_twice(world, tmp_path):
    # given: 120 overdue assignments, half to each unit, and the daily reminder job queued
    p = walk.assigned(world.city, co=False)
    units = [world.city.unit, world.city.unit2]
    late = today() - dt.timedelta(days=5)
    Assignment.objects.bulk_create(
        Assignment(
            proposal=p,
            conference=world.city.conference,
            unit=units[i % 2],
            role=AssignmentRole.CO,
            assigned_at=timezone.now(),
            due_on=late,
        )
        for i in range(LATE_ASSIGNMENTS)
    )
    Notification.objects.all().delete()
    DBTaskResult.objects.all().delete()
    job = remind_due_replies.enqueue()
    env = app_env(tmp_path, database_url())
    worker = [str(BIN / "xieshang"), "worker", "--no-scheduler", "--interval", "0.1"]

    # when: the worker is killed (SIGKILL: no clean-up of any kind) while the job is half done
    first = start(worker, env, tmp_path / "worker1.log")
    try:
        wait_for(lambda: Reminder.objects.count() >= 20, 60, "the worker to send 20 reminders")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    sent_before = Reminder.objects.count()
    assert sent_before < LATE_ASSIGNMENTS, "the job finished before the kill; the test proves nothing"
    assert DBTaskResult.objects.get(pk=job.id).status == TaskResultStatus.RUNNING
    # every committed reminder already has its notification: none is lost with the worker
    assert Notification.objects.filter(verb="reminder_overdue").count() == sent_before

    # and: a new worker starts; at start-up it sees that the killed worker's process (its id names
    # host and pid) is gone and puts the job back in the queue, long before the lease would expire
    assert jobs.worker_is_gone(DBTaskResult.objects.get(pk=job.id).worker_ids[-1])
    second = start([*worker, "--batch"], env, tmp_path / "worker2.log")
    try:
        assert second.wait(timeout=90) == 0
    finally:
        stop(second)

    # then: the job completed, every assignment was reminded once, every notification e-mailed once
    assert DBTaskResult.objects.get(pk=job.id).status == TaskResultStatus.SUCCESSFUL
    assert Reminder.objects.filter(kind="overdue", sent_on=today()).count() == LATE_ASSIGNMENTS
    assert AuditEvent.objects.filter(verb="auto_remind").count() == LATE_ASSIGNMENTS
    reminders = Notification.objects.filter(verb="reminder_overdue")
    half = LATE_ASSIGNMENTS // 2
    assert reminders.filter(user=world.city.unit_user).count() == half
    assert reminders.filter(user=world.city.unit2_user).count() == half
    assert not reminders.filter(emailed_at__isnull=True).exists()
    output = (tmp_path / "worker1.log").read_text() + (tmp_path / "worker2.log").read_text()
    assert output.count(f"To: {world.city.unit_user.email}\n") == half
    assert output.count(f"To: {world.city.unit2_user.email}\n") == half

"""`xieshang worker`: the database task worker plus an hourly scheduler for the reminder job."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from xieshang.core.jobs import requeue_stale_tasks, worker_id
from xieshang.proposals.tasks import remind_due_replies
from xieshang.tasks.tasks import remind_due_tasks
from xieshang.voice.tasks import remind_overdue_messages, send_weekly_digest

logger = logging.getLogger(__name__)


def enqueue_reminders() -> None:
    """The daily reminder scans: replies to proposals, deployed tasks and forwarded public messages;
    and the weekly digest of hot topics (sent once a week, so running it every hour is harmless)."""
    remind_due_replies.enqueue()
    remind_due_tasks.enqueue()
    remind_overdue_messages.enqueue()
    send_weekly_digest.enqueue()


def schedule_reminders(stop: threading.Event, every: float) -> None:
    """Enqueue the reminder job every `every` seconds until `stop` is set (the first run is enqueued
    by the command itself). The job is idempotent within a day, so several workers do no harm.
    """
    while not stop.wait(every):
        try:
            close_old_connections()
            requeue_stale_tasks()  # jobs of workers that died mid-run (see core.jobs)
            enqueue_reminders()
        except Exception:  # a failed enqueue must not stop the schedule; the next hour tries again
            logger.exception("could not enqueue the reminder jobs")
        finally:
            connection.close()


class Command(BaseCommand):
    help = "运行后台任务进程（django-tasks-db 的 db_worker），并每小时安排一次到期提醒。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="无任务时的轮询间隔（秒）")
        parser.add_argument("--remind-every", type=float, default=3600.0, help="安排提醒任务的间隔（秒）")
        parser.add_argument("--no-scheduler", action="store_true", help="只处理任务，不安排提醒")
        parser.add_argument("--batch", action="store_true", help="处理完现有任务后退出")
        parser.add_argument("--max-tasks", type=int, default=None, help="最多处理多少个任务后退出")

    def handle(self, *args: Any, **options: Any) -> None:
        requeue_stale_tasks()  # a job left RUNNING by a worker that was killed runs again
        stop = threading.Event()
        scheduler = None
        if not options["no_scheduler"]:
            enqueue_reminders()
            scheduler = threading.Thread(
                target=schedule_reminders, args=(stop, options["remind_every"]), name="reminders", daemon=True
            )
            scheduler.start()
        worker_options: dict[str, Any] = {
            "worker_id": worker_id(),  # host and pid: a later worker can tell this one died
            "interval": options["interval"],
            "batch": options["batch"],
            "startup_delay": False,
            "reload": False,
            "verbosity": options["verbosity"],
        }
        if options["max_tasks"] is not None:
            worker_options["max_tasks"] = options["max_tasks"]
        try:
            # db_worker handles SIGINT/SIGTERM itself: it finishes the running task, then returns.
            call_command("db_worker", **worker_options)
        finally:
            stop.set()
            if scheduler is not None:
                scheduler.join(timeout=5)

"""Background jobs of the deployed-tasks app."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def remind_due_tasks() -> dict[str, int]:
    """The daily reminder run for deployed tasks (idempotent within a day)."""
    return services.send_task_reminders()

"""Background jobs of the proposals app."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def remind_due_replies() -> dict[str, int]:
    """The daily reminder run (idempotent within a day)."""
    return services.send_due_reminders()

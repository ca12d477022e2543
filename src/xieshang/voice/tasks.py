"""Background jobs of the voice app."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def remind_overdue_messages() -> int:
    """The daily reminder run for late forwardings of public messages (idempotent within a day)."""
    return services.send_message_reminders()


@task()
def send_weekly_digest() -> int:
    """The weekly digest of hot topics to subscribed leaders (idempotent within a week)."""
    from . import digest

    return digest.send_weekly_digests()

"""Create notifications: after the action's transaction commits, or inside it for jobs that may run twice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify_on_commit(
    users: Iterable[Any],
    *,
    verb: str,
    title: str,
    body: str = "",
    url: str = "",
    conference_id: int | None = None,
) -> None:
    """Queue notifications to `users`, written (and e-mailed by the worker) once the transaction commits."""
    recipients = {u.pk: u for u in users if u is not None}
    if not recipients:
        return

    def deliver() -> None:
        _email(_write(recipients, verb=verb, title=title, body=body, url=url, conference_id=conference_id))

    transaction.on_commit(deliver)


def notify_atomically(
    users: Iterable[Any],
    *,
    verb: str,
    title: str,
    body: str = "",
    url: str = "",
    conference_id: int | None = None,
) -> None:
    """Write notifications to `users` now, in the caller's transaction, and e-mail them once it commits.

    For jobs that a killed worker may run again: the notifications (and, with the database queue, their
    e-mail jobs) commit together with the row that says they were sent (a reminder of the day), so a
    rerun neither loses nor repeats one.
    """
    recipients = {u.pk: u for u in users if u is not None}
    if not recipients:
        return
    created = _write(recipients, verb=verb, title=title, body=body, url=url, conference_id=conference_id)
    if _queue_in_database():
        _email(created)  # the e-mail jobs commit with the notifications: a kill cannot split them
    else:
        transaction.on_commit(lambda: _email(created))


def _queue_in_database() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    from .tasks import email_notification

    return isinstance(email_notification.get_backend(), DatabaseBackend)


def _write(
    recipients: dict[Any, Any], *, verb: str, title: str, body: str, url: str, conference_id: int | None
) -> list[tuple[Notification, Any]]:
    created = Notification.objects.bulk_create(
        [
            Notification(user_id=pk, conference_id=conference_id, verb=verb, title=title, body=body, url=url)
            for pk in recipients
        ]
    )
    return list(zip(created, recipients.values(), strict=True))


def _email(created: list[tuple[Notification, Any]]) -> None:
    from .tasks import email_notification

    for n, user in created:
        if user.email and n.pk:
            email_notification.enqueue(n.pk)


def mark_read(user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all when no ids are given); returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())

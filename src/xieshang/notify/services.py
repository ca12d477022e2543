"""Create notifications; always after the action's transaction commits."""

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
        from .tasks import email_notification

        created = Notification.objects.bulk_create(
            [
                Notification(
                    user_id=pk, conference_id=conference_id, verb=verb, title=title, body=body, url=url
                )
                for pk in recipients
            ]
        )
        for n, user in zip(created, recipients.values(), strict=True):
            if user.email and n.pk:
                email_notification.enqueue(n.pk)

    transaction.on_commit(deliver)


def mark_read(user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all when no ids are given); returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())

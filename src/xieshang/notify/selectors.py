"""Reads of a user's notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user=user)


def unread_count(user: Any) -> int:
    """How many unread notifications the user has."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()

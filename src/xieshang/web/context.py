"""Template context shared by every page: the current conference, roles and menu counts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xieshang.notify.selectors import unread_count
from xieshang.people.selectors import conferences_of, role_kinds


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Current conference, the user's role kinds there, the conferences to switch to, unread count."""
    user = getattr(request, "user", None)
    conference = getattr(request, "conference", None)
    if user is None or not user.is_authenticated:
        return {}
    kinds = role_kinds(user, conference.pk) if conference else set()  # type: ignore[arg-type]
    return {
        "current_conference": conference,
        "my_roles": kinds,
        "my_conferences": conferences_of(user),  # type: ignore[arg-type]
        "unread_notifications": unread_count(user),
    }

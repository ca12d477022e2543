"""Write audit events; called inside the transaction of the action they record."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def record(
    actor: Any,
    verb: str,
    target: models.Model,
    *,
    from_state: str = "",
    to_state: str = "",
    summary: str = "",
    data: dict[str, Any] | None = None,
    conference_id: int | None = None,
) -> AuditEvent:
    """Append one event for `target`; `actor` None means the system did it. The event belongs to the
    target's conference, or to `conference_id` when the target has none of its own (a conference)."""
    conference_id = conference_id or getattr(target, "conference_id", None)
    return AuditEvent.objects.create(
        conference_id=conference_id,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.model_name or "",
        target_id=target.pk,
        from_state=from_state,
        to_state=to_state,
        summary=summary[:300],
        data=data or {},
    )

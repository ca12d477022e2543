"""Reads of the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent


def timeline(target_type: str, target_id: int) -> QuerySet[AuditEvent]:
    """Every event of one record, oldest first, with the actor loaded."""
    return AuditEvent.objects.filter(target_type=target_type, target_id=target_id).select_related("actor")

"""Background jobs of the duty app."""

from __future__ import annotations

from django_tasks import task

from . import scoring


@task()
def recompute_year(conference_id: int, year: int) -> int:
    """Recompute a conference-year after its scoring rules changed (idempotent)."""
    return scoring.recompute(conference_id, year)

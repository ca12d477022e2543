"""Template helpers of the activity pages: the colour family of a status tag (the tag shows words too)."""

from __future__ import annotations

from django import template

register = template.Library()

TONES = {
    "draft": "muted",
    "published": "primary",
    "closed": "ok",
    "cancelled": "dark",
    "invited": "warn",
    "registered": "info",
    "declined": "muted",
    "expected": "warn",
    "pending": "warn",
    "approved": "ok",
    "refused": "dark",
    "leave_pending": "warn",
    "leave_approved": "info",
    "leave_refused": "dark",
    "present": "ok",
    "late": "warn",
    "excused": "info",
    "absent_unexcused": "danger",
}


@register.filter
def activity_tone(state: str) -> str:
    """The tag colour of an activity, invitation, leave or attendance status."""
    return TONES.get(str(state), "muted")

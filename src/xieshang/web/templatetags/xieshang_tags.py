"""Small template helpers: state tags, query strings that keep the filters."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

register = template.Library()

STATE_TONES = {
    "draft": "muted",
    "submitted": "info",
    "under_review": "warn",
    "returned": "warn",
    "accepted": "primary",
    "rejected": "dark",
    "converted": "dark",
    "merged": "muted",
    "assigned": "primary",
    "replied": "info",
    "evaluated": "ok",
    "closed": "ok",
    "active": "primary",
    "answered": "ok",
    "withdrawn": "muted",
    "pending": "warn",
    "approved": "ok",
    "refused": "dark",
    "invited": "warn",
    "confirmed": "ok",
    "declined": "dark",
    "satisfied": "ok",
    "basic": "info",
    "unsatisfied": "danger",
}


@register.filter
def tone(state: str) -> str:
    """The colour family of a state tag (the tag always carries the state's words too)."""
    return STATE_TONES.get(str(state), "muted")


@register.simple_tag
def query(request: HttpRequest, **changes: Any) -> str:
    """The current query string with some parameters changed (empty values removed)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percent(value: Any) -> str:
    """0.873 → 87.3%; anything missing → —."""
    try:
        return f"{float(value) * 100:.1f}%"
    except (TypeError, ValueError):
        return "—"


OPEN_BY_DEFAULT = {
    "accept",
    "assign",
    "close",
    "reply",
    "record_consultation",
    "submit_co_opinion",
    "evaluate",
    "reassign",
    "decide_extension",
}


@register.simple_tag(takes_context=True)
def panel_open(context: Any, *parts: Any) -> str:
    """`open` for an action panel that is open by default or whose form just failed."""
    key = "-".join(str(p) for p in parts)
    if context.get("failed") == key or (parts and str(parts[-1]) in OPEN_BY_DEFAULT):
        return "open"
    return ""

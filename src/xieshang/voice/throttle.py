"""Per-address limits for the public pages, counted in the Django cache (shared by every web node)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache

HOUR = 3600


def client_hash(request: Any) -> str:
    """A salted digest of the client address: enough to count, not enough to recover the address."""
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def submit_limit() -> int:
    """Messages one address may send an hour."""
    return int(getattr(settings, "XIESHANG_VOICE_SUBMIT_PER_HOUR", 5))


def track_limit() -> int:
    """Tracking-code look-ups one address may make an hour (codes cannot be guessed in bulk)."""
    return int(getattr(settings, "XIESHANG_VOICE_TRACK_PER_HOUR", 60))


def _key(kind: str, who: str) -> str:
    return f"voice:{kind}:{who}"


def exceeded(kind: str, who: str, limit: int) -> bool:
    """Whether `who` already used up `limit` for this hour."""
    return int(cache.get(_key(kind, who), 0)) >= limit


def count(kind: str, who: str) -> int:
    """Count one more use in the current hour's window; returns the new count."""
    key = _key(kind, who)
    cache.add(key, 0, HOUR)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR)
        return 1

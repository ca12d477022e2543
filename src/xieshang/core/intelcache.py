"""A per-process cache for the text-intelligence objects the apps build from their rows (similar-text
indexes, routers, hot topics), keyed by a fingerprint of those rows.

While the rows are few, a moved fingerprint rebuilds at once, so a new row is seen on the next call.
Over many rows a build takes minutes, so a moved fingerprint keeps serving the object it has and
rebuilds it once in a background thread (stale while revalidating): a busy triage board never waits
for a rebuild that every new message would start again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections

T = TypeVar("T")
log = logging.getLogger(__name__)

_entries: dict[tuple[str, str, int], tuple[tuple[Any, ...], Any]] = {}
_building: set[tuple[str, str, int]] = set()
_lock = threading.Lock()


def background_threshold() -> int:
    """Rows above which a stale object is served while it is rebuilt (XIESHANG_INTEL_BACKGROUND_ROWS)."""
    return int(settings.XIESHANG_INTEL_BACKGROUND_ROWS)


def _rebuild(key: tuple[str, str, int], fingerprint: tuple[Any, ...], build: Callable[[], Any]) -> None:
    try:
        value = build()
        with _lock:
            _entries[key] = (fingerprint, value)
    except Exception:  # a failed rebuild keeps the old object; the next call tries again
        log.exception("rebuilding %s failed", key)
    finally:
        with _lock:
            _building.discard(key)
        close_old_connections()


def cached(
    app: str, kind: str, key: int, fingerprint: tuple[Any, ...], build: Callable[[], T], *, rows: int = 0
) -> T:
    """The object built for (app, kind, key) from rows with this fingerprint.

    A first call builds it. A later call with a moved fingerprint rebuilds it in this call when `rows`
    is at most the background threshold, and otherwise returns the object it has while one thread
    rebuilds it."""
    entry_key = (app, kind, key)
    with _lock:
        hit = _entries.get(entry_key)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]  # type: ignore[no-any-return]
    if hit is not None and rows > background_threshold():
        with _lock:
            start = entry_key not in _building
            _building.add(entry_key)
        if start:
            threading.Thread(target=_rebuild, args=(entry_key, fingerprint, build), daemon=True).start()
        return hit[1]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        _entries[entry_key] = (fingerprint, value)
    return value


def clear() -> None:
    """Forget every cached object (tests, or after a restore)."""
    with _lock:
        _entries.clear()

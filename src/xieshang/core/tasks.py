"""Background jobs of the core: building the text-intelligence objects requests must not build."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from . import intelcache


@task()
def warm_intel(name: str, args: list[Any]) -> bool:
    """Build and persist the object the spec function `name` describes for `args` (see intelcache).
    Returns False when what was persisted was already current."""
    before = intelcache.path_of(name, tuple(args))
    mtime = before.stat().st_mtime if before.exists() else 0.0
    intelcache.build(name, tuple(args))
    return before.stat().st_mtime != mtime

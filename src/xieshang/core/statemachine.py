"""The mechanism every workflow app shares: a state table as data, and the steps of a transition
(lock with a version check, check role and state, move and audit, clean the texts a user typed).

Each app keeps its own table (`workflow.py`) and its own role predicates (`rules.py`); its services
call these functions so that locking, refusals and the audit trail behave the same everywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from xieshang.audit.services import record

from .errors import AppError, ErrorCode, denied, invalid


@dataclass(frozen=True)
class Transition:
    """One row of a state table: who may take the action, from which states, to which states."""

    label: str
    sources: frozenset[str]
    roles: frozenset[str]
    targets: frozenset[str]
    side_effects: str = ""


def transition(
    label: str,
    sources: Collection[str],
    roles: Collection[str],
    targets: Collection[str],
    side_effects: str = "",
) -> Transition:
    """A table row from plain collections."""
    return Transition(label, frozenset(sources), frozenset(roles), frozenset(targets), side_effects)


class Versioned(Protocol):
    """A row with a workflow state and an optimistic-locking version."""

    pk: Any
    state: str
    version: int

    def get_state_display(self) -> str: ...

    def save(self, *args: Any, **kwargs: Any) -> None: ...


M = TypeVar("M", bound=models.Model)


def lock(obj: M, version: int | None, *related: str) -> M:
    """Re-read the row under a lock (`select_for_update`) and refuse a stale version."""
    qs = type(obj)._default_manager.select_for_update()
    if related:
        # Lock only this row: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
        qs = type(obj)._default_manager.select_for_update(of=("self",)).select_related(*related)
    locked = qs.get(pk=obj.pk)
    if version is not None and locked.version != version:  # type: ignore[attr-defined]
        raise AppError(ErrorCode.STALE_VERSION)
    return locked


def check(row: Transition, roles: Collection[str], obj: Versioned, noun: str) -> None:
    """Refuse unless the actor plays one of the row's roles and `obj` is in one of its states."""
    if not (row.roles & set(roles)):
        raise denied()
    if obj.state not in row.sources:
        raise AppError(
            ErrorCode.INVALID_STATE,
            _("%(noun)s当前为“%(state)s”，不能执行“%(action)s”。")
            % {"noun": noun, "state": obj.get_state_display(), "action": row.label},
        )


def move(
    actor: Any,
    obj: Versioned,
    action: str,
    row: Transition,
    to_state: str,
    *,
    summary: str = "",
    data: Mapping[str, Any] | None = None,
) -> None:
    """Set the new state, bump the version, save and audit; `to_state` must be one of the row's."""
    if to_state not in row.targets:
        raise AssertionError(f"{action} may not lead to {to_state}")
    from_state = obj.state
    obj.state = to_state
    obj.version += 1
    obj.save(update_fields=["state", "version", "updated_at"])
    record(
        actor,
        action,
        obj,  # type: ignore[arg-type]
        from_state=from_state,
        to_state=to_state,
        summary=summary or row.label,
        data=dict(data or {}),
    )


def touch(
    actor: Any,
    obj: Versioned,
    action: str,
    *,
    label: str,
    summary: str = "",
    fields: Sequence[str] = (),
    data: Mapping[str, Any] | None = None,
) -> None:
    """Save fields that changed without a state change, bump the version and audit."""
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "updated_at"])
    record(
        actor,
        action,
        obj,  # type: ignore[arg-type]
        from_state=obj.state,
        to_state=obj.state,
        summary=summary or label,
        data=dict(data or {}),
    )


def clean_text(value: str | None, field: str, label: str, *, required: bool, limit: int) -> str:
    """Stripped text, refused with a Chinese message when empty (if required), too long, or with NUL."""
    text = (value or "").strip()
    if "\x00" in text:
        # PostgreSQL refuses NUL in text; no real document contains one.
        raise invalid({field: _("%(label)s含有无效字符。") % {"label": label}})
    if required and not text:
        raise invalid({field: _("%(label)s不能为空。") % {"label": label}})
    if len(text) > limit:
        raise invalid({field: _("%(label)s不能超过 %(limit)s 字。") % {"label": label, "limit": limit}})
    return text

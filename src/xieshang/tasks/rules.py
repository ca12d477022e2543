"""Permission predicates on deployed tasks, named as questions (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role, unit_ids

from .models import Task


@rules.predicate
def is_staff_of(user: Any, task: Task) -> bool:
    """Office staff of the task's conference."""
    return bool(user.is_authenticated and has_role(user, task.conference_id, RoleKind.STAFF))


@rules.predicate
def is_leader_of(user: Any, task: Task) -> bool:
    """A leader of the task's conference."""
    return bool(user.is_authenticated and has_role(user, task.conference_id, RoleKind.LEADER))


@rules.predicate
def is_owner_unit(user: Any, task: Task) -> bool:
    """A contact, in the task's conference, of one of the task's units."""
    if not user.is_authenticated:
        return False
    mine = unit_ids(user, task.conference_id)
    return bool(mine and task.owners.filter(unit_id__in=mine).exists())


ROLE_PREDICATES = {"staff": is_staff_of, "leader": is_leader_of, "unit": is_owner_unit}

rules.add_perm("deployed_tasks.manage_task", is_staff_of)


def actor_roles(user: Any, task: Task) -> set[str]:
    """Every workflow role the user plays on this task."""
    return {name for name, predicate in ROLE_PREDICATES.items() if predicate(user, task)}


def can_manage_tasks(user: Any, conference_id: int) -> bool:
    """Office staff upload sources, confirm ledgers and create tasks."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))


def can_read_ledger(user: Any, conference_id: int) -> bool:
    """Staff and leaders read the whole ledger of the conference."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF, RoleKind.LEADER))

"""Permission predicates on public-opinion reports, named as questions (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role

from .models import OpinionReport


@rules.predicate
def is_submitter(user: Any, report: OpinionReport) -> bool:
    """Who wrote the report."""
    return bool(user.is_authenticated and report.submitted_by_id == user.pk)


@rules.predicate
def is_staff_of(user: Any, report: OpinionReport) -> bool:
    """Office staff of the report's conference."""
    return bool(user.is_authenticated and has_role(user, report.conference_id, RoleKind.STAFF))


@rules.predicate
def is_leader_of(user: Any, report: OpinionReport) -> bool:
    """A leader of the report's conference."""
    return bool(user.is_authenticated and has_role(user, report.conference_id, RoleKind.LEADER))


ROLE_PREDICATES = {"submitter": is_submitter, "staff": is_staff_of, "leader": is_leader_of}

can_edit_reports = is_staff_of
rules.add_perm("opinions.edit_report", can_edit_reports)


def actor_roles(user: Any, report: OpinionReport) -> set[str]:
    """Every workflow role the user plays on this report."""
    return {name for name, predicate in ROLE_PREDICATES.items() if predicate(user, report)}


def can_manage_journal(user: Any, conference_id: int) -> bool:
    """Office staff compose and publish the conference's journal issues."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))


def can_read_journal(user: Any, conference_id: int) -> bool:
    """Staff and leaders read the conference's journal issues."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF, RoleKind.LEADER))

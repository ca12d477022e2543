"""Permission predicates, named as questions (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role, unit_ids

from .models import Assignment, Proposal


@rules.predicate
def is_proposer(user: Any, proposal: Proposal) -> bool:
    """The proposal's author."""
    return bool(user.is_authenticated and proposal.proposer_id == user.pk)


@rules.predicate
def is_cosigner(user: Any, proposal: Proposal) -> bool:
    """Someone invited to co-sign the proposal."""
    return bool(user.is_authenticated and proposal.cosigners.filter(user_id=user.pk).exists())


@rules.predicate
def is_staff_of(user: Any, proposal: Proposal) -> bool:
    """Proposal office staff of the proposal's conference."""
    return bool(user.is_authenticated and has_role(user, proposal.conference_id, RoleKind.STAFF))


@rules.predicate
def is_leader_of(user: Any, proposal: Proposal) -> bool:
    """A leader of the proposal's conference."""
    return bool(user.is_authenticated and has_role(user, proposal.conference_id, RoleKind.LEADER))


@rules.predicate
def is_assigned_unit(user: Any, proposal: Proposal) -> bool:
    """A contact of a unit that holds a live assignment on the proposal."""
    if not user.is_authenticated:
        return False
    units = unit_ids(user, proposal.conference_id)
    return (
        bool(units)
        and proposal.assignments.filter(unit_id__in=units).exclude(state=Assignment.State.WITHDRAWN).exists()
    )


def is_unit_of_assignment(user: Any, assignment: Assignment) -> bool:
    """A contact of the assignment's own unit in the assignment's conference."""
    return bool(user.is_authenticated and assignment.unit_id in unit_ids(user, assignment.conference_id))


ROLE_PREDICATES = {
    "proposer": is_proposer,
    "cosigner": is_cosigner,
    "staff": is_staff_of,
    "leader": is_leader_of,
    "unit": is_assigned_unit,
}

can_review_proposal = is_staff_of
can_evaluate_reply = is_proposer
can_view_timeline = is_proposer | is_cosigner | is_staff_of | is_leader_of | is_assigned_unit
# Units' reassignment and extension requests are internal to the office and the units.
can_see_handling_requests = is_staff_of | is_leader_of | is_assigned_unit

rules.add_perm("proposals.review_proposal", can_review_proposal)
rules.add_perm("proposals.view_proposal_timeline", can_view_timeline)


def actor_roles(user: Any, proposal: Proposal) -> set[str]:
    """Every workflow role the user plays on this proposal."""
    return {name for name, predicate in ROLE_PREDICATES.items() if predicate(user, proposal)}

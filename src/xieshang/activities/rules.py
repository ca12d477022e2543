"""Permission predicates of activities, named as questions (django-rules).

Who approves a leave request: the conference's rules name a chair (leader) for plenaries, standing
committee meetings and chairs' meetings, and the committee head for a committee's own activities
(Committee.head). Where an activity has no committee, or its committee has no head on record, the
organising conference's office staff decide. Nobody else decides: not the member, not a unit contact,
not staff of another conference, and not a leader for an ordinary activity.
"""

from __future__ import annotations

from typing import Any

import rules

from xieshang.people.models import Member, RoleKind
from xieshang.people.selectors import has_role, users_with_role

from .models import Activity, ActivityKind, Invitation

# Kinds whose leave requests a chair (a leader of the conference) approves.
LEADER_APPROVED_KINDS = frozenset(
    {ActivityKind.PLENARY, ActivityKind.STANDING_COMMITTEE, ActivityKind.CHAIRS_MEETING}
)


@rules.predicate
def is_organiser_staff(user: Any, activity: Activity) -> bool:
    """Office staff of the conference that organises the activity."""
    return bool(user.is_authenticated and has_role(user, activity.conference_id, RoleKind.STAFF))


@rules.predicate
def is_organiser_office(user: Any, activity: Activity) -> bool:
    """Staff or a leader of the organising conference (they may read the roster and exports)."""
    return bool(
        user.is_authenticated and has_role(user, activity.conference_id, RoleKind.STAFF, RoleKind.LEADER)
    )


def leave_approvers(activity: Activity) -> list[Any]:
    """Who decides this activity's leave requests (see the module docstring)."""
    if activity.kind in LEADER_APPROVED_KINDS:
        return list(users_with_role(activity.conference_id, [RoleKind.LEADER]))
    if activity.committee_id and activity.committee and activity.committee.head:
        return [activity.committee.head]
    return list(users_with_role(activity.conference_id, [RoleKind.STAFF]))


@rules.predicate
def is_leave_approver(user: Any, activity: Activity) -> bool:
    """The person the rules name: a leader for the three meetings, the committee head for a committee's
    activity, office staff for everything else."""
    if not user.is_authenticated:
        return False
    if activity.kind in LEADER_APPROVED_KINDS:
        return has_role(user, activity.conference_id, RoleKind.LEADER)
    head_id = activity.committee.head_id if activity.committee_id and activity.committee else None
    if head_id is not None:
        return bool(user.pk == head_id)
    return has_role(user, activity.conference_id, RoleKind.STAFF)


@rules.predicate
def is_invited(user: Any, activity: Activity) -> bool:
    """A member on the activity's invitation list."""
    return bool(
        user.is_authenticated and Invitation.objects.filter(activity=activity, user_id=user.pk).exists()
    )


def conference_ids_of(activity: Activity) -> set[int]:
    """The organising conference and the conferences that join it."""
    return {activity.conference_id, *(c.pk for c in activity.participants.all())}


@rules.predicate
def is_expected(user: Any, activity: Activity) -> bool:
    """Who is expected to come: every invited member and, for a plenary, every member of the
    conferences that hold it (a plenary needs no invitation list)."""
    if not user.is_authenticated:
        return False
    if is_invited(user, activity):
        return True
    return activity.kind == ActivityKind.PLENARY and (
        Member.objects.filter(user_id=user.pk, conference_id__in=conference_ids_of(activity)).exists()
    )


can_manage_activity = is_organiser_staff
can_read_roster = is_organiser_office
can_decide_leave = is_leave_approver
can_check_in = is_expected

rules.add_perm("activities.manage_activity", can_manage_activity)
rules.add_perm("activities.decide_leave", can_decide_leave)

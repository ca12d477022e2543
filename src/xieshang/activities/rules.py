"""Permission predicates of activities, named as questions (django-rules).

Who approves a leave request: the conference's rules name a chair (leader) for plenaries, standing
committee meetings and chairs' meetings, and the committee head for a committee's own activities.
Committee heads are not recorded in Xieshang (committees belong to the `conferences` app and carry no
head), so for every kind other than the three meetings the approvers are the organising conference's
office staff, who act for the committee. Nobody else decides: not the member, not a unit contact, not
staff of another conference, and not a leader for an ordinary activity.
"""

from __future__ import annotations

from typing import Any

import rules

from xieshang.people.models import Member, RoleKind
from xieshang.people.selectors import has_role

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


@rules.predicate
def is_leave_approver(user: Any, activity: Activity) -> bool:
    """The person the rules name: a leader for the three meetings, office staff for everything else."""
    if not user.is_authenticated:
        return False
    kind = RoleKind.LEADER if activity.kind in LEADER_APPROVED_KINDS else RoleKind.STAFF
    return has_role(user, activity.conference_id, kind)


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

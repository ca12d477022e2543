"""Permission predicates on public messages, named as questions (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from xieshang.people.models import Member, RoleKind
from xieshang.people.selectors import has_role, unit_ids

from .models import Forwarding, Lead, PublicMessage


@rules.predicate
def is_staff_of(user: Any, message: PublicMessage) -> bool:
    """Office staff of the message's conference."""
    return bool(user.is_authenticated and has_role(user, message.conference_id, RoleKind.STAFF))


@rules.predicate
def is_leader_of(user: Any, message: PublicMessage) -> bool:
    """A leader of the message's conference."""
    return bool(user.is_authenticated and has_role(user, message.conference_id, RoleKind.LEADER))


@rules.predicate
def is_forwarded_unit(user: Any, message: PublicMessage) -> bool:
    """A contact, in the message's conference, of the unit the message is currently forwarded to."""
    if not user.is_authenticated:
        return False
    mine = unit_ids(user, message.conference_id)
    return bool(
        mine and Forwarding.objects.filter(message=message, is_current=True, unit_id__in=mine).exists()
    )


@rules.predicate
def is_lead_member(user: Any, message: PublicMessage) -> bool:
    """The member a lead is for, or a member of the lead's committee (in the message's conference)."""
    if not user.is_authenticated or not has_role(user, message.conference_id, RoleKind.MEMBER):
        return False
    lead = Lead.objects.filter(message=message).first()
    if lead is None:
        return False
    if lead.member_id == user.pk:
        return True
    return bool(
        lead.committee_id
        and Member.objects.filter(
            user=user, conference_id=message.conference_id, committee_id=lead.committee_id
        ).exists()
    )


ROLE_PREDICATES = {
    "staff": is_staff_of,
    "leader": is_leader_of,
    "unit": is_forwarded_unit,
    "member": is_lead_member,
}

rules.add_perm("voice.triage_message", is_staff_of)


def actor_roles(user: Any, message: PublicMessage) -> set[str]:
    """Every workflow role the user plays on this message."""
    return {name for name, predicate in ROLE_PREDICATES.items() if predicate(user, message)}


def can_triage(user: Any, conference_id: int) -> bool:
    """Office staff triage the conference's messages."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF))


def can_read_board(user: Any, conference_id: int) -> bool:
    """Staff and leaders read the whole board of the conference."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.STAFF, RoleKind.LEADER))

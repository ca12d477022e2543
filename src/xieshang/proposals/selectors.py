"""Reads of proposals, limited to what the actor may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from xieshang.core.dates import today
from xieshang.people.models import RoleKind
from xieshang.people.selectors import conference_ids, unit_ids

from .models import Assignment, Category, Proposal, ProposalState, Reply

S = ProposalState
UNIT_VISIBLE_STATES = [S.ASSIGNED, S.REPLIED, S.EVALUATED, S.CLOSED]


def visible_proposals(user: Any, conference_id: int | None = None) -> QuerySet[Proposal]:
    """Proposals the user may see: staff and leaders see their conference's (not others' drafts);
    members their own, co-signed and followed ones; units those assigned to them."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    office = conference_ids(user, RoleKind.STAFF, RoleKind.LEADER)
    condition = Q(proposer=user) | Q(cosigners__user=user) | Q(merged_proposals__proposer=user)
    if office:
        condition |= Q(conference_id__in=office) & ~Q(state=S.DRAFT)
    units = unit_ids(user)
    if units:
        unit_confs = conference_ids(user, RoleKind.UNIT)
        condition |= Q(
            conference_id__in=unit_confs,
            state__in=UNIT_VISIBLE_STATES,
            assignments__unit_id__in=units,
        ) & ~Q(assignments__state=Assignment.State.WITHDRAWN)
    qs = Proposal.objects.filter(condition)
    if conference_id is not None:
        qs = qs.filter(conference_id=conference_id)
    ids = qs.values("pk")
    return Proposal.objects.filter(pk__in=ids).select_related("proposer", "category", "session", "conference")


def get_proposal(user: Any, proposal_id: int) -> Proposal:
    """One proposal the user may see, or 404 (never telling whether it exists)."""
    proposal = visible_proposals(user).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    return proposal


def get_assignment(user: Any, assignment_id: int) -> Assignment:
    """An assignment on a proposal the user may see, or 404."""
    assignment = (
        Assignment.objects.select_related("proposal", "unit", "conference").filter(pk=assignment_id).first()
    )
    if assignment is None or not visible_proposals(user).filter(pk=assignment.proposal_id).exists():
        raise Http404
    return assignment


def get_reply(user: Any, reply_id: int) -> Reply:
    """A reply on a proposal the user may see, or 404."""
    reply = Reply.objects.select_related("proposal", "assignment__unit").filter(pk=reply_id).first()
    if reply is None or not visible_proposals(user).filter(pk=reply.proposal_id).exists():
        raise Http404
    return reply


def categories(conference_id: int) -> QuerySet[Category]:
    """The conference's proposal categories."""
    return Category.objects.filter(conference_id=conference_id)


def unit_assignments(user: Any, conference_id: int) -> QuerySet[Assignment]:
    """The live assignments of the user's units in a conference (the unit inbox)."""
    return (
        Assignment.objects.filter(conference_id=conference_id, unit_id__in=unit_ids(user, conference_id))
        .exclude(state=Assignment.State.WITHDRAWN)
        .exclude(proposal__state__in=[S.CLOSED])
        .select_related("proposal", "unit")
        .order_by("state", "due_on")
    )


def work_lists(conference_id: int, on: dt.date | None = None) -> dict[str, QuerySet[Proposal]]:
    """The staff work lists of a conference, each a queryset of proposals."""
    day = on or today()
    base = Proposal.objects.filter(conference_id=conference_id).select_related(
        "proposer", "category", "session"
    )
    live = Assignment.objects.filter(
        conference_id=conference_id, state=Assignment.State.ACTIVE, proposal__state=S.ASSIGNED
    )
    return {
        "to_review": base.filter(state=S.UNDER_REVIEW),
        "to_assign": base.filter(state=S.ACCEPTED),
        "due_soon": base.filter(
            pk__in=live.filter(due_on__gte=day, due_on__lte=day + dt.timedelta(days=7)).values("proposal_id")
        ),
        "overdue": base.filter(pk__in=live.filter(due_on__lt=day).values("proposal_id")),
        "to_evaluate": base.filter(state=S.REPLIED),
        "to_close": base.filter(state=S.EVALUATED),
        "requests": base.filter(
            Q(assignments__reassignment_requests__state="pending")
            | Q(assignments__extension_requests__state="pending")
        ).distinct(),
        "key": base.filter(is_key=True).exclude(state=S.CLOSED),
    }


def published_proposals() -> QuerySet[Proposal]:
    """What the public portal shows: proposals staff published."""
    return (
        Proposal.objects.filter(is_published=True, state__in=[S.ACCEPTED, *UNIT_VISIBLE_STATES])
        .select_related("conference", "category", "session", "proposer")
        .order_by("-accepted_at")
    )

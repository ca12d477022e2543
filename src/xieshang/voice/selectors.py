"""Reads of public messages, limited to what the actor (or the public, by a code) may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from xieshang.conferences.models import Committee, Conference, HandlingUnit
from xieshang.core.dates import today
from xieshang.people.models import Member, RoleKind, User
from xieshang.people.selectors import conference_ids, roles_of

from . import workflow
from .models import Forwarding, Lead, MessageState, PublicMessage
from .rules import actor_roles
from .services import normalise_code


def _unit_pairs(user: Any) -> list[tuple[int, int]]:
    return [
        (r.conference_id, r.handling_unit_id)
        for r in roles_of(user)
        if r.kind == RoleKind.UNIT and r.handling_unit_id
    ]


def visible_messages(user: Any, conference_id: int | None = None) -> QuerySet[PublicMessage]:
    """Messages the user may see: staff and leaders all of their conference's; a unit's contact those
    forwarded to the unit in the conference where the contact serves; a member the leads for them."""
    if not user.is_authenticated:
        return PublicMessage.objects.none()
    condition = Q(conference_id__in=conference_ids(user, RoleKind.STAFF, RoleKind.LEADER))
    for conf_id, unit_id in _unit_pairs(user):
        forwarded = Forwarding.objects.filter(message=OuterRef("pk"), unit_id=unit_id)
        condition |= Q(conference_id=conf_id) & Q(Exists(forwarded))
    member_of = conference_ids(user, RoleKind.MEMBER)
    if member_of:
        committees = Member.objects.filter(user=user, committee__isnull=False).values("committee_id")
        leads = Lead.objects.filter(message=OuterRef("pk")).filter(
            Q(member=user) | Q(committee_id__in=committees)
        )
        condition |= Q(conference_id__in=member_of) & Q(Exists(leads))
    qs = PublicMessage.objects.filter(condition).select_related("conference")
    if conference_id is not None:
        qs = qs.filter(conference_id=conference_id)
    return qs


def get_message(user: Any, message_id: int) -> PublicMessage:
    """One message the user may see, or 404 (never telling whether it exists)."""
    message = visible_messages(user).filter(pk=message_id).first()
    if message is None:
        raise Http404
    return message


def available_actions(user: Any, message: PublicMessage) -> list[str]:
    """Workflow actions the user may start on the message now (the buttons to show)."""
    roles = actor_roles(user, message)
    actions = [
        name
        for name, row in workflow.TRANSITIONS.items()
        if message.state in row.sources and row.roles & roles
    ]
    lead = lead_of(message)
    if lead is not None and (lead.adopted_proposal_id or message.opinion_report_id):
        actions = [a for a in actions if a not in ("adopt", "convert")]
    return actions


def lead_of(message: PublicMessage) -> Lead | None:
    """The message's lead, if it was marked as one."""
    return Lead.objects.filter(message=message).select_related("committee", "member").first()


def forwardings(message: PublicMessage) -> QuerySet[Forwarding]:
    """Every forwarding of the message, newest first."""
    return message.forwardings.select_related("unit", "forwarded_by", "answered_by")


def current_forwarding(message: PublicMessage) -> Forwarding | None:
    """The forwarding the unit is expected to answer now."""
    return message.forwardings.filter(is_current=True).select_related("unit").first()


# ---------------------------------------------------------------------------- the triage board

SORTS = {
    "new": ("-submitted_at", "-id"),
    "old": ("submitted_at", "id"),
    "support": ("-support_count", "-submitted_at"),
    "subject": ("subject", "id"),
}
BOARD_STATES = {"open": workflow.OPEN, "all": set(MessageState.values)}


def filter_messages(
    qs: QuerySet[PublicMessage],
    *,
    q: str = "",
    state: str = "",
    category: str = "",
    overdue: bool = False,
    sort: str = "",
) -> QuerySet[PublicMessage]:
    """Narrow the board by search, state (or open / all), category or overdue forwarding, and order it."""
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(subject__icontains=word)
            | Q(detail__icontains=word)
            | Q(place__icontains=word)
            | Q(tracking_code=word.upper())
        )
    if state in MessageState.values:
        qs = qs.filter(state=state)
    elif state != "all":
        qs = qs.filter(state__in=workflow.OPEN)
    if category:
        qs = qs.filter(category=category)
    if overdue:
        qs = qs.filter(overdue_q())
    return qs.order_by(*SORTS.get(sort, SORTS["new"]))


def overdue_q(day: dt.date | None = None) -> Q:
    """Messages whose current forwarding is past its due date and unanswered."""
    late = Forwarding.objects.filter(
        message=OuterRef("pk"), is_current=True, answered_at__isnull=True, due_on__lt=day or today()
    )
    return Q(state=MessageState.FORWARDED) & Q(Exists(late))


def state_counts(conference_id: int) -> dict[str, int]:
    """How many messages of the conference are in each state, and how many forwardings are late."""
    qs = PublicMessage.objects.filter(conference_id=conference_id)
    counts = {row["state"]: row["n"] for row in qs.values("state").annotate(n=Count("id"))}
    counts["open"] = sum(counts.get(s, 0) for s in workflow.OPEN)
    counts["overdue"] = qs.filter(overdue_q()).count()
    return counts


CATEGORIES_SECONDS = 60  # a new category shows in the filter within a minute


def categories_in_use(conference_id: int) -> list[str]:
    """Categories the conference's messages carry, with the proposal categories, for the filter and form.
    Kept a minute in the cache: over 100,000 messages the DISTINCT costs 80–180 ms a page."""
    from xieshang.proposals.selectors import categories

    key = f"xieshang:voice-categories:{conference_id}"
    used: list[str] | None = cache.get(key)
    if used is None:
        used = list(
            PublicMessage.objects.filter(conference_id=conference_id)
            .exclude(category="")
            .values_list("category", flat=True)
            .distinct()
            .order_by("category")[:100]
        )
        cache.set(key, used, CATEGORIES_SECONDS)
    names = [c.name for c in categories(conference_id)]
    return sorted(set(names) | set(used))


def conference_units(conference_id: int) -> QuerySet[HandlingUnit]:
    """The units a message of the conference may be forwarded to."""
    return HandlingUnit.objects.filter(conferences__id=conference_id, is_active=True).order_by("name")


def committees(conference_id: int) -> QuerySet[Committee]:
    """The conference's committees (a lead may go to one)."""
    return Committee.objects.filter(conference_id=conference_id).order_by("name")


def members(conference_id: int) -> QuerySet[User]:
    """The conference's members (a lead may go to one)."""
    return User.objects.filter(memberships__conference_id=conference_id).order_by("display_name", "username")


def merge_targets(message: PublicMessage) -> QuerySet[PublicMessage]:
    """Messages of the same conference this one may be merged into (not merged themselves)."""
    return (
        PublicMessage.objects.filter(conference_id=message.conference_id)
        .exclude(pk=message.pk)
        .exclude(state=MessageState.MERGED)
    )


# ---------------------------------------------------------------------------- units and members


def unit_inbox(user: Any, conference_id: int) -> QuerySet[Forwarding]:
    """The forwardings to the user's units in the conference: unanswered first, by due date."""
    units = [u for c, u in _unit_pairs(user) if c == conference_id]
    return (
        Forwarding.objects.filter(message__conference_id=conference_id, unit_id__in=units, is_current=True)
        .select_related("message", "unit")
        .order_by("-answered_at", "due_on", "id")
    )


def my_leads(user: Any, conference_id: int) -> QuerySet[Lead]:
    """Leads for the member or the member's committee in the conference, newest first."""
    if not user.is_authenticated:
        return Lead.objects.none()
    committees_ = Member.objects.filter(user=user, conference_id=conference_id).values("committee_id")
    return (
        Lead.objects.filter(conference_id=conference_id)
        .filter(Q(member=user) | Q(committee_id__in=committees_))
        .select_related("message", "committee", "member")
    )


def get_lead(user: Any, lead_id: int) -> Lead:
    """A lead of a message the user may see, or 404."""
    lead = Lead.objects.filter(pk=lead_id).select_related("message__conference").first()
    if lead is None or not visible_messages(user).filter(pk=lead.message_id).exists():
        raise Http404
    return lead


# ---------------------------------------------------------------------------- the public


def public_conference(code: str) -> Conference:
    """A conference by its code, for the public pages."""
    return get_object_or_404(Conference, code=code)


def track(code: str | None) -> PublicMessage | None:
    """The message with this tracking code, or None; the same query whether or not it exists."""
    wanted = normalise_code(code)
    if not wanted:
        return None
    return (
        PublicMessage.objects.filter(tracking_code=wanted).select_related("conference", "merged_into").first()
    )


def published_answers(conference: Conference) -> QuerySet[PublicMessage]:
    """The conference's answered messages whose answers staff published, newest answer first."""
    return PublicMessage.objects.filter(
        conference=conference, published=True, state__in=[MessageState.ANSWERED, MessageState.CLOSED]
    ).order_by("-replied_at", "-id")


def public_adoption(message: PublicMessage) -> dict[str, Any] | None:
    """What the public may know of a lead's adoption: that it became a proposal, and its number once
    accepted (read-only from the proposals app)."""
    lead = Lead.objects.filter(message=message, adopted_proposal_id__isnull=False).first()
    if lead is None or lead.adopted_proposal_id is None:
        return None
    from xieshang.proposals.models import Proposal

    proposal = Proposal.objects.filter(pk=lead.adopted_proposal_id).only("number").first()
    return {"number_label": proposal.number_label if proposal else ""}


def public_reply_of(message: PublicMessage) -> PublicMessage:
    """The message whose reply the public reads: a merged message reads its target's."""
    seen = 0
    while message.state == MessageState.MERGED and message.merged_into is not None and seen < 10:
        message = message.merged_into
        seen += 1
    return message

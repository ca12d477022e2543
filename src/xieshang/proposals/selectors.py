"""Reads of proposals, limited to what the actor may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from xieshang.conferences.models import HandlingUnit, Session
from xieshang.core.dates import today
from xieshang.people.models import RoleKind
from xieshang.people.selectors import conference_ids, unit_ids

from .models import (
    Assignment,
    Attachment,
    Category,
    ExtensionRequest,
    Proposal,
    ProposalState,
    ReassignmentRequest,
    Reply,
)

S = ProposalState
UNIT_VISIBLE_STATES = [S.ASSIGNED, S.REPLIED, S.EVALUATED, S.CLOSED]


def visible_proposals(user: Any, conference_id: int | None = None) -> QuerySet[Proposal]:
    """Proposals the user may see: staff and leaders see their conference's (not others' drafts);
    members their own, co-signed and followed ones; units those assigned to them."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    from .models import CoSigner

    office = conference_ids(user, RoleKind.STAFF, RoleKind.LEADER)
    # Each way of seeing a proposal is a subquery of ids, never a join in the OR: ORed joins make
    # PostgreSQL read every proposal and co-signer of the installation for each page.
    merged_mine = Proposal.objects.filter(proposer=user, merged_into__isnull=False)
    condition = (
        Q(proposer=user)
        | Q(pk__in=CoSigner.objects.filter(user=user).values("proposal_id"))
        | Q(pk__in=merged_mine.values("merged_into_id"))
    )
    if office:
        condition |= Q(conference_id__in=office) & ~Q(state=S.DRAFT)
    units = unit_ids(user)
    if units:
        unit_confs = conference_ids(user, RoleKind.UNIT)
        assigned = Proposal.objects.filter(
            Q(
                conference_id__in=unit_confs,
                state__in=UNIT_VISIBLE_STATES,
                assignments__unit_id__in=units,
            )
            & ~Q(assignments__state=Assignment.State.WITHDRAWN)
        )
        condition |= Q(pk__in=assigned.values("pk"))
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
    pending = Assignment.objects.filter(conference_id=conference_id)
    return {
        "to_review": base.filter(state=S.UNDER_REVIEW),
        "to_assign": base.filter(state=S.ACCEPTED),
        "due_soon": base.filter(
            pk__in=live.filter(due_on__gte=day, due_on__lte=day + dt.timedelta(days=7)).values("proposal_id")
        ),
        "overdue": base.filter(pk__in=live.filter(due_on__lt=day).values("proposal_id")),
        "to_evaluate": base.filter(state=S.REPLIED),
        "to_close": base.filter(state=S.EVALUATED),
        # Subqueries from the few pending requests, not a DISTINCT over joins of every assignment.
        "requests": base.filter(
            Q(pk__in=pending.filter(reassignment_requests__state="pending").values("proposal_id"))
            | Q(pk__in=pending.filter(extension_requests__state="pending").values("proposal_id"))
        ),
        "key": base.filter(is_key=True).exclude(state=S.CLOSED),
    }


def published_proposals() -> QuerySet[Proposal]:
    """What the public portal shows: proposals staff published."""
    return (
        Proposal.objects.filter(is_published=True, state__in=[S.ACCEPTED, *UNIT_VISIBLE_STATES])
        .select_related("conference", "category", "session", "proposer")
        .order_by("-accepted_at")
    )


def available_actions(user: Any, proposal: Proposal) -> list[str]:
    """Workflow actions the user may start on the proposal now (the buttons to show)."""
    from . import workflow
    from .models import CoSigner
    from .rules import actor_roles

    roles = actor_roles(user, proposal)
    actions = [
        name
        for name, row in workflow.TRANSITIONS.items()
        if proposal.state in row.sources and row.roles & roles
    ]
    if (
        "respond_cosign" in actions
        and not proposal.cosigners.filter(user_id=user.pk, state=CoSigner.State.INVITED).exists()
    ):
        actions.remove("respond_cosign")
    if "unit" in roles and "staff" not in roles:
        live_roles = set(
            proposal.assignments.filter(
                unit_id__in=unit_ids(user, proposal.conference_id), state=Assignment.State.ACTIVE
            ).values_list("role", flat=True)
        )
        allowed = set(UNIT_ACTIONS) if live_roles else set()
        if "co" not in live_roles:
            allowed.discard("submit_co_opinion")
        if not live_roles & {"lead", "separate"}:
            allowed.discard("reply")
        actions = [a for a in actions if a not in UNIT_ACTIONS or a in allowed]
    return actions


UNIT_ACTIONS = {
    "request_reassignment",
    "request_extension",
    "record_consultation",
    "submit_co_opinion",
    "reply",
}


def member_inbox(user: Any, conference_id: int) -> dict[str, QuerySet[Proposal]]:
    """What needs a member now: invitations to answer, replies to evaluate, drafts and returned ones."""
    mine = Proposal.objects.filter(conference_id=conference_id).select_related("session", "category")
    return {
        "invitations": mine.filter(
            state=S.SUBMITTED, cosigners__user=user, cosigners__state="invited"
        ).distinct(),
        "to_evaluate": mine.filter(proposer=user, state=S.REPLIED),
        "drafts": mine.filter(proposer=user, state__in=[S.DRAFT, S.RETURNED]),
        "in_progress": mine.filter(proposer=user).exclude(state__in=[S.DRAFT, S.RETURNED, S.CLOSED]),
    }


# ---------------------------------------------------------------------------- reads for the web pages


def handling_units(conference_id: int) -> QuerySet[HandlingUnit]:
    """Active handling units that serve the conference."""
    return HandlingUnit.objects.filter(conferences__id=conference_id, is_active=True).order_by("name")


def sessions(conference_id: int) -> QuerySet[Session]:
    """The conference's sessions, newest first."""
    return Session.objects.filter(conference_id=conference_id).select_related("term")


def get_session(conference_id: int, session_id: int) -> Session:
    """One session of the conference, or 404."""
    session = sessions(conference_id).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def my_proposals(user: Any, conference_id: int) -> QuerySet[Proposal]:
    """The member's own proposals in a conference, newest first."""
    return (
        Proposal.objects.filter(conference_id=conference_id, proposer=user)
        .select_related("category", "session")
        .order_by("-updated_at", "-id")
    )


def merge_targets(user: Any, proposal: Proposal) -> QuerySet[Proposal]:
    """Proposals of the same conference that `proposal` may be merged into."""
    return (
        visible_proposals(user, proposal.conference_id)
        .filter(state__in=[S.UNDER_REVIEW, S.ACCEPTED, S.ASSIGNED])
        .exclude(pk=proposal.pk)
        .order_by("number", "-id")
    )


def reassignment_window_open(assignment: Assignment) -> bool:
    """Whether the unit may still ask to be replaced (first round, active, within the window)."""
    from django.utils import timezone

    if assignment.state != Assignment.State.ACTIVE or assignment.round > 1:
        return False
    days = (today() - timezone.localdate(assignment.assigned_at)).days
    return days <= assignment.conference.reassign_window_days


def proposal_assignments(proposal: Proposal) -> list[Assignment]:
    """A proposal's assignments with their requests, consultations and reminders loaded."""
    return list(
        proposal.assignments.select_related("unit", "conference").prefetch_related(
            "reassignment_requests__suggested_unit",
            "extension_requests",
            "consultations",
        )
    )


def replies_for(user: Any, proposal: Proposal) -> list[Reply]:
    """The replies the user may read: letters for everyone who sees the proposal; co-handling opinions
    for the office, leaders, the unit that wrote them and the proposal's lead units."""
    from .rules import actor_roles

    replies = list(
        proposal.replies.select_related("assignment__unit", "evaluation").order_by("submitted_at", "id")
    )
    roles = actor_roles(user, proposal)
    if roles & {"staff", "leader"}:
        return replies
    mine = unit_ids(user, proposal.conference_id)
    leads = {
        a.unit_id
        for a in proposal.assignments.all()
        if a.role == "lead" and a.state != Assignment.State.WITHDRAWN
    }
    return [
        r for r in replies if r.kind == Reply.Kind.LETTER or r.assignment.unit_id in mine or (mine & leads)
    ]


def get_attachment(user: Any, attachment_id: int) -> Attachment:
    """An attachment of a proposal the user may see, or 404."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or not visible_proposals(user).filter(pk=attachment.proposal_id).exists():
        raise Http404
    return attachment


def get_reassignment_request(user: Any, request_id: int) -> ReassignmentRequest:
    """A reassignment request on a proposal the user may see, or 404."""
    req = (
        ReassignmentRequest.objects.select_related("assignment__proposal", "assignment__unit")
        .filter(pk=request_id)
        .first()
    )
    if req is None or not visible_proposals(user).filter(pk=req.assignment.proposal_id).exists():
        raise Http404
    return req


def get_extension_request(user: Any, request_id: int) -> ExtensionRequest:
    """An extension request on a proposal the user may see, or 404."""
    req = (
        ExtensionRequest.objects.select_related("assignment__proposal", "assignment__unit")
        .filter(pk=request_id)
        .first()
    )
    if req is None or not visible_proposals(user).filter(pk=req.assignment.proposal_id).exists():
        raise Http404
    return req


SORTS = {
    "number": ("number", "id"),
    "-number": ("-number", "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "state": ("state", "id"),
    "-state": ("-state", "-id"),
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}


def filter_proposals(
    qs: QuerySet[Proposal],
    *,
    q: str = "",
    category_id: int | None = None,
    state: str = "",
    unit_id: int | None = None,
    key: str = "",
    year: int | None = None,
    sort: str = "",
) -> QuerySet[Proposal]:
    """Narrow a list of proposals by the work-list filters and order it."""
    if q:
        qs = qs.filter(_text_match(q))
    if category_id:
        qs = qs.filter(category_id=category_id)
    if state:
        qs = qs.filter(state=state)
    if unit_id:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(unit_id=unit_id)
            .exclude(state=Assignment.State.WITHDRAWN)
            .values("proposal_id")
        )
    if key in {"0", "1"}:
        qs = qs.filter(is_key=key == "1")
    if year:
        qs = qs.filter(session__year=year)
    return qs.order_by(*SORTS.get(sort, ("-updated_at", "-id")))


def _text_match(q: str) -> Q:
    """Title, number (123, 0123 or 第0123号) or proposer name contains the words."""
    condition = Q()
    for word in q.split()[:5]:
        part = (
            Q(title__icontains=word)
            | Q(proposer__display_name__icontains=word)
            | Q(proposer__username__iexact=word)
        )
        digits = word.removeprefix("第").removesuffix("号")
        if digits.isdigit():
            part |= Q(number=int(digits))
        condition &= part
    return condition


def search_proposals(user: Any, conference_id: int, q: str) -> QuerySet[Proposal]:
    """Proposals the user may see in the conference whose title, number or proposer matches."""
    if not q.strip():
        return Proposal.objects.none()
    return visible_proposals(user, conference_id).filter(_text_match(q)).order_by("state", "-updated_at")


def get_published_proposal(proposal_id: int) -> Proposal:
    """A proposal published on the portal, or 404."""
    proposal = published_proposals().filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    return proposal


def published_letters(proposal: Proposal) -> QuerySet[Reply]:
    """The reply letters of a published proposal (never the co-handling opinions)."""
    return proposal.replies.filter(kind=Reply.Kind.LETTER).select_related("assignment__unit")


def cosigner_candidates(user: Any, conference_id: int, proposal: Proposal | None = None) -> QuerySet[Any]:
    """Fellow members of the conference the user may invite (not self, not invited yet)."""
    from xieshang.people.selectors import members_of

    qs = members_of(conference_id).exclude(pk=user.pk)
    if proposal is not None:
        qs = qs.exclude(pk__in=proposal.cosigners.values("user_id"))
    return qs.order_by("display_name", "username")


def session_proposals(user: Any, session: Session) -> QuerySet[Proposal]:
    """The accepted proposals of a session (for its compilation), by number."""
    return (
        visible_proposals(user, session.conference_id)
        .filter(session=session, number__isnull=False)
        .exclude(state=S.MERGED)
        .order_by("number")
    )

"""Proposals: list, read, write a draft, and the review and supervision actions of the office."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from xieshang.api.pagination import Pages
from xieshang.audit.selectors import timeline
from xieshang.people.models import User
from xieshang.proposals import selectors, services
from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.rules import can_see_handling_requests, can_view_timeline
from xieshang.proposals.services import ProposalInput, UnitPlan

from . import access
from .auth import actor
from .errors import ErrorOut
from .schemas import (
    AcceptIn,
    ActionOut,
    AssignIn,
    AwardIn,
    CloseIn,
    CosignersIn,
    CosignIn,
    Id,
    KeyIn,
    MergeIn,
    ProposalCreateIn,
    ProposalDetailOut,
    ProposalItemOut,
    ProposalPatchIn,
    PublishIn,
    ReasonIn,
    Text,
    VersionIn,
)

router = Router(tags=["proposals"])

ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}


class ProposalFilter(Schema):
    conference_id: Id | None = None
    state: Text | None = None
    category: Id | None = None
    key: bool | None = None
    q: Text | None = None


def action_out(proposal: Proposal, created_id: int | None = None) -> dict[str, Any]:
    """The proposal's state after an action."""
    proposal.refresh_from_db(fields=["state", "version", "number"])
    return {
        "id": proposal.pk,
        "state": proposal.state,
        "state_label": str(proposal.get_state_display()),
        "version": proposal.version,
        "number_label": proposal.number_label,
        "created_id": created_id,
    }


def _reply(reply: Reply) -> dict[str, Any]:
    evaluation = getattr(reply, "evaluation", None)
    return {
        "id": reply.pk,
        "assignment_id": reply.assignment_id,
        "unit": str(reply.assignment.unit),
        "kind": reply.kind,
        "kind_label": str(reply.get_kind_display()),
        "round": reply.round,
        "body": reply.body,
        "outcome": reply.outcome,
        "outcome_label": str(reply.get_outcome_display()) if reply.outcome else "",
        "signed_by": reply.signed_by,
        "contact_person": reply.contact_person,
        "contact_phone": reply.contact_phone,
        "has_letter": bool(reply.letter_file),
        "submitted_at": reply.submitted_at,
        "on_time": reply.on_time,
        "evaluation": _evaluation(evaluation) if evaluation else None,
    }


def _evaluation(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "reply_id": e.reply_id,
        "verdict": e.verdict,
        "verdict_label": str(e.get_verdict_display()),
        "comment": e.comment,
        "evaluated_at": e.evaluated_at,
    }


def _requests(assignment: Any) -> list[dict[str, Any]]:
    rows = []
    for r in assignment.reassignment_requests.all():
        rows.append(
            {
                "id": r.pk,
                "kind": "reassignment",
                "state": r.state,
                "state_label": str(r.get_state_display()),
                "reason": r.reason,
                "requested_at": r.requested_at,
                "suggested_unit_id": r.suggested_unit_id,
                "decision_note": r.decision_note,
            }
        )
    for e in assignment.extension_requests.all():
        rows.append(
            {
                "id": e.pk,
                "kind": "extension",
                "state": e.state,
                "state_label": str(e.get_state_display()),
                "reason": e.reason,
                "requested_at": e.requested_at,
                "requested_due_on": e.requested_due_on,
                "decision_note": e.decision_note,
            }
        )
    return rows


def proposal_detail(user: User, proposal: Proposal) -> dict[str, Any]:
    """Everything the user may read about one proposal."""
    internal = can_see_handling_requests(user, proposal)
    assignments = []
    for a in proposal.assignments.select_related("unit").prefetch_related(
        "consultations", "reassignment_requests", "extension_requests"
    ):
        assignments.append(
            {
                "id": a.pk,
                "unit_id": a.unit_id,
                "unit": str(a.unit),
                "role": a.role,
                "role_label": str(a.get_role_display()),
                "state": a.state,
                "state_label": str(a.get_state_display()),
                "round": a.round,
                "assigned_at": a.assigned_at,
                "due_on": a.due_on,
                "answered_at": a.answered_at,
                "consultations": [
                    {
                        "id": c.pk,
                        "round": c.round,
                        "held_on": c.held_on,
                        "form": c.form,
                        "form_label": str(c.get_form_display()),
                        "agreed": c.agreed,
                    }
                    for c in a.consultations.all()
                ],
                "requests": _requests(a) if internal else [],
            }
        )
    replies = selectors.replies_for(user, proposal)
    events = timeline("proposal", proposal.pk) if can_view_timeline(user, proposal) else []
    return {
        **ProposalItemOut.model_validate(proposal).model_dump(),
        "analysis": proposal.analysis,
        "recommendations": proposal.recommendations,
        "collective_name": proposal.collective_name,
        "kind_label": str(proposal.get_kind_display()),
        "review_note": proposal.review_note,
        "merged_into_id": proposal.merged_into_id,
        "key_leader_id": proposal.key_leader_id,
        "accepted_at": proposal.accepted_at,
        "closed_at": proposal.closed_at,
        "cosigners": [
            {
                "user_id": c.user_id,
                "name": str(c.user),
                "state": c.state,
                "state_label": str(c.get_state_display()),
                "responded_at": c.responded_at,
            }
            for c in proposal.cosigners.select_related("user")
        ],
        "attachments": [
            {"id": f.pk, "name": f.original_name, "size": f.size, "uploaded_at": f.uploaded_at}
            for f in proposal.attachments.all()
        ],
        "assignments": assignments,
        "replies": [_reply(r) for r in replies],
        "evaluations": [_evaluation(e) for e in proposal.evaluations.all()],
        "available_actions": selectors.available_actions(user, proposal),
        "timeline": [
            {
                "at": e.created_at,
                "actor": str(e.actor) if e.actor else "系统",
                "verb": e.verb,
                "summary": e.summary,
                "from_state": e.from_state,
                "to_state": e.to_state,
            }
            for e in events
        ],
    }


# ---------------------------------------------------------------------------- reading


@router.get("", response=list[ProposalItemOut])
@paginate(Pages, page_size=20, max_page_size=100)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilter]) -> QuerySet[Proposal]:
    """Proposals the caller may see, newest first; `conference_id` must be one of the caller's."""
    user = actor(request)
    if filters.conference_id is not None:
        access.conference(user, filters.conference_id)
    qs = selectors.visible_proposals(user, filters.conference_id)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.key is not None:
        qs = qs.filter(is_key=filters.key)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q.strip())
    return qs


@router.get("/{proposal_id}", response={200: ProposalDetailOut, **ERRORS})
def get_proposal(request: HttpRequest, proposal_id: Id) -> dict[str, Any]:
    """One proposal with its co-signers, assignments, replies, evaluations, actions and timeline."""
    user = actor(request)
    return proposal_detail(user, selectors.get_proposal(user, proposal_id))


# ---------------------------------------------------------------------------- drafting


@router.post("", response={201: ProposalDetailOut, **ERRORS})
def create_proposal(request: HttpRequest, payload: ProposalCreateIn) -> Status[dict[str, Any]]:
    """A member starts a draft in the conference's current session."""
    user = actor(request)
    conference = access.conference(user, payload.conference_id)
    data = ProposalInput(**payload.model_dump(exclude={"conference_id"}))
    proposal = services.create_proposal(user, conference, data)
    return Status(201, proposal_detail(user, selectors.get_proposal(user, proposal.pk)))


@router.patch("/{proposal_id}", response={200: ProposalDetailOut, **ERRORS})
def update_proposal(request: HttpRequest, proposal_id: Id, payload: ProposalPatchIn) -> dict[str, Any]:
    """The proposer edits a draft or returned proposal; fields left out keep their value."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    current: dict[str, Any] = {
        "title": proposal.title,
        "analysis": proposal.analysis,
        "recommendations": proposal.recommendations,
        "category_id": proposal.category_id,
        "kind": proposal.kind,
        "collective_name": proposal.collective_name,
    }
    current.update(payload.model_dump(exclude_unset=True, exclude={"version"}))
    services.update_proposal(user, proposal, ProposalInput(**current), version=payload.version)
    return proposal_detail(user, selectors.get_proposal(user, proposal_id))


@router.post("/{proposal_id}/attachments", response={201: ActionOut, **ERRORS})
def add_attachment(request: HttpRequest, proposal_id: Id, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Attach a file (multipart/form-data, field `file`; PDF, Word, Excel, image or text)."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    attachment = services.add_attachment(user, proposal, file)
    return Status(201, action_out(proposal, attachment.pk))


@router.delete("/{proposal_id}/attachments/{attachment_id}", response={200: ActionOut, **ERRORS})
def remove_attachment(request: HttpRequest, proposal_id: Id, attachment_id: Id) -> dict[str, Any]:
    """Remove an attachment from a draft."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    attachment = proposal.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    services.remove_attachment(user, attachment)
    return action_out(proposal)


@router.post("/{proposal_id}/cosigners", response={200: ActionOut, **ERRORS})
def invite_cosigners(request: HttpRequest, proposal_id: Id, payload: CosignersIn) -> dict[str, Any]:
    """The proposer invites fellow members to co-sign."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    services.invite_cosigners(user, proposal, payload.user_ids, version=payload.version)
    return action_out(proposal)


@router.post("/{proposal_id}/submit", response={200: ActionOut, **ERRORS})
def submit_proposal(request: HttpRequest, proposal_id: Id, payload: VersionIn) -> dict[str, Any]:
    """The proposer submits: to the co-signers first, or straight to review."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    return action_out(services.submit_proposal(user, proposal, version=payload.version))


@router.post("/{proposal_id}/cosign", response={200: ActionOut, **ERRORS})
def respond_to_cosign(request: HttpRequest, proposal_id: Id, payload: CosignIn) -> dict[str, Any]:
    """An invited co-signer confirms (`accept: true`) or declines."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    return action_out(services.respond_to_cosign(user, proposal, accept=payload.accept))


# ---------------------------------------------------------------------------- review


@router.post("/{proposal_id}/accept", response={200: ActionOut, **ERRORS})
def accept_proposal(request: HttpRequest, proposal_id: Id, payload: AcceptIn) -> dict[str, Any]:
    """Staff accept (立案); the proposal gets its session number."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    accepted = services.accept_proposal(
        user, proposal, version=payload.version, category_id=payload.category_id, note=payload.note
    )
    return action_out(accepted)


@router.post("/{proposal_id}/reject", response={200: ActionOut, **ERRORS})
def reject_proposal(request: HttpRequest, proposal_id: Id, payload: ReasonIn) -> dict[str, Any]:
    """Staff decline to accept, with a reason."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    return action_out(services.reject_proposal(user, proposal, note=payload.note, version=payload.version))


@router.post("/{proposal_id}/return", response={200: ActionOut, **ERRORS})
def return_proposal(request: HttpRequest, proposal_id: Id, payload: ReasonIn) -> dict[str, Any]:
    """Staff return the proposal to its author for revision, with a reason."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    return action_out(services.return_proposal(user, proposal, note=payload.note, version=payload.version))


@router.post("/{proposal_id}/convert", response={200: ActionOut, **ERRORS})
def convert_proposal(request: HttpRequest, proposal_id: Id, payload: ReasonIn) -> dict[str, Any]:
    """Staff handle the text as a public-opinion report instead."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    return action_out(services.convert_proposal(user, proposal, note=payload.note, version=payload.version))


@router.post("/{proposal_id}/merge", response={200: ActionOut, **ERRORS})
def merge_proposals(request: HttpRequest, proposal_id: Id, payload: MergeIn) -> dict[str, Any]:
    """Staff merge the `source_ids` proposals into this one (并案)."""
    user = actor(request)
    target = selectors.get_proposal(user, proposal_id)
    sources = [selectors.get_proposal(user, pk) for pk in dict.fromkeys(payload.source_ids)]
    return action_out(services.merge_proposals(user, target, sources, note=payload.note))


@router.post("/{proposal_id}/assign", response={200: ActionOut, **ERRORS})
def assign_proposal(request: HttpRequest, proposal_id: Id, payload: AssignIn) -> dict[str, Any]:
    """Staff assign an accepted proposal to a lead unit and co-handling units, or to separate units."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    plan = [UnitPlan(u.unit_id, u.role, u.due_on) for u in payload.units]
    services.assign_proposal(user, proposal, plan, version=payload.version)
    return action_out(proposal)


# ---------------------------------------------------------------------------- supervision and closing


@router.post("/{proposal_id}/key", response={200: ActionOut, **ERRORS})
def mark_key(request: HttpRequest, proposal_id: Id, payload: KeyIn) -> dict[str, Any]:
    """Staff mark (or unmark) a key proposal with its supervising leader."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    marked = services.mark_key(
        user, proposal, is_key=payload.is_key, leader_id=payload.leader_id, version=payload.version
    )
    return action_out(marked)


@router.post("/{proposal_id}/award", response={200: ActionOut, **ERRORS})
def award(request: HttpRequest, proposal_id: Id, payload: AwardIn) -> dict[str, Any]:
    """Staff award the proposal as outstanding (优秀提案), or withdraw the award with an empty name."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    return action_out(services.award_proposal(user, proposal, award=payload.award, version=payload.version))


@router.post("/{proposal_id}/publish", response={200: ActionOut, **ERRORS})
def set_published(request: HttpRequest, proposal_id: Id, payload: PublishIn) -> dict[str, Any]:
    """Staff publish (or withdraw) the proposal and its replies on the public portal."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    return action_out(services.set_published(user, proposal, published=payload.published))


@router.post("/{proposal_id}/close", response={200: ActionOut, **ERRORS})
def close_proposal(request: HttpRequest, proposal_id: Id, payload: CloseIn) -> dict[str, Any]:
    """Staff close a replied or evaluated proposal (办结)."""
    user = actor(request)
    proposal = selectors.get_proposal(user, proposal_id)
    return action_out(services.close_proposal(user, proposal, version=payload.version, note=payload.note))

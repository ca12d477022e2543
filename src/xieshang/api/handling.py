"""Handling: the unit inbox, requests and their decisions, consultations, replies, evaluations."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate

from xieshang.api.pagination import Pages
from xieshang.proposals import selectors, services
from xieshang.proposals.models import Assignment
from xieshang.proposals.services import ReplyInput

from . import access
from .auth import actor
from .proposals import ERRORS, action_out
from .schemas import (
    ActionOut,
    ConsultationIn,
    CoOpinionIn,
    DecisionIn,
    EvaluationIn,
    ExtensionRequestIn,
    Id,
    InboxItemOut,
    NoteIn,
    ReassignmentDecisionIn,
    ReassignmentRequestIn,
    ReplyIn,
)

router = Router(tags=["handling"])


@router.get("/units/inbox", response=list[InboxItemOut])
@paginate(Pages, page_size=50, max_page_size=100)
def unit_inbox(request: HttpRequest, conference_id: Id) -> QuerySet[Assignment]:
    """The live assignments of the caller's handling units in the conference, by state and due date."""
    user = actor(request)
    access.conference(user, conference_id)
    return selectors.unit_assignments(user, conference_id)


@router.post("/assignments/{assignment_id}/reassignment-requests", response={201: ActionOut, **ERRORS})
def request_reassignment(
    request: HttpRequest, assignment_id: Id, payload: ReassignmentRequestIn
) -> Status[dict[str, Any]]:
    """The unit asks, within the window after assignment, to be replaced."""
    user = actor(request)
    assignment = selectors.get_assignment(user, assignment_id)
    req = services.request_reassignment(
        user, assignment, reason=payload.reason, suggested_unit_id=payload.suggested_unit_id
    )
    return Status(201, action_out(assignment.proposal, req.pk))


@router.post("/reassignment-requests/{request_id}/decision", response={200: ActionOut, **ERRORS})
def decide_reassignment(
    request: HttpRequest, request_id: Id, payload: ReassignmentDecisionIn
) -> dict[str, Any]:
    """Staff approve (with the new unit) or refuse a reassignment request."""
    user = actor(request)
    req = access.reassignment_request(user, request_id)
    services.decide_reassignment(
        user, req, approve=payload.approve, new_unit_id=payload.new_unit_id, note=payload.note
    )
    return action_out(req.assignment.proposal, req.pk)


@router.post("/assignments/{assignment_id}/extension-requests", response={201: ActionOut, **ERRORS})
def request_extension(
    request: HttpRequest, assignment_id: Id, payload: ExtensionRequestIn
) -> Status[dict[str, Any]]:
    """The unit asks for a later due date."""
    user = actor(request)
    assignment = selectors.get_assignment(user, assignment_id)
    req = services.request_extension(
        user, assignment, requested_due_on=payload.requested_due_on, reason=payload.reason
    )
    return Status(201, action_out(assignment.proposal, req.pk))


@router.post("/extension-requests/{request_id}/decision", response={200: ActionOut, **ERRORS})
def decide_extension(request: HttpRequest, request_id: Id, payload: DecisionIn) -> dict[str, Any]:
    """Staff approve (moving the due date) or refuse an extension request."""
    user = actor(request)
    req = access.extension_request(user, request_id)
    services.decide_extension(user, req, approve=payload.approve, note=payload.note)
    return action_out(req.assignment.proposal, req.pk)


@router.post("/assignments/{assignment_id}/consultations", response={201: ActionOut, **ERRORS})
def record_consultation(
    request: HttpRequest, assignment_id: Id, payload: ConsultationIn
) -> Status[dict[str, Any]]:
    """The unit records its consultation with the proposer before answering (办前面商)."""
    user = actor(request)
    assignment = selectors.get_assignment(user, assignment_id)
    c = services.record_consultation(
        user, assignment, held_on=payload.held_on, form=payload.form, agreed=payload.agreed
    )
    return Status(201, action_out(assignment.proposal, c.pk))


@router.post("/assignments/{assignment_id}/co-opinion", response={201: ActionOut, **ERRORS})
def submit_co_opinion(
    request: HttpRequest, assignment_id: Id, payload: CoOpinionIn
) -> Status[dict[str, Any]]:
    """A co-handling unit sends its opinion to the lead unit."""
    user = actor(request)
    assignment = selectors.get_assignment(user, assignment_id)
    reply = services.submit_co_opinion(user, assignment, body=payload.body)
    return Status(201, action_out(assignment.proposal, reply.pk))


@router.post("/assignments/{assignment_id}/reply", response={201: ActionOut, **ERRORS})
def submit_reply(request: HttpRequest, assignment_id: Id, payload: ReplyIn) -> Status[dict[str, Any]]:
    """The lead (or a separate) unit submits its reply letter (JSON, without the signed file)."""
    user = actor(request)
    assignment = selectors.get_assignment(user, assignment_id)
    reply = services.submit_reply(user, assignment, ReplyInput(**payload.model_dump()))
    return Status(201, action_out(assignment.proposal, reply.pk))


@router.post("/assignments/{assignment_id}/reply-with-letter", response={201: ActionOut, **ERRORS})
def submit_reply_with_letter(
    request: HttpRequest,
    assignment_id: Id,
    payload: Form[ReplyIn],
    letter: File[UploadedFile],
) -> Status[dict[str, Any]]:
    """The same as /reply, as multipart/form-data with the signed letter (PDF, JPG or PNG) in `letter`."""
    user = actor(request)
    assignment = selectors.get_assignment(user, assignment_id)
    reply = services.submit_reply(user, assignment, ReplyInput(**payload.model_dump()), letter)
    return Status(201, action_out(assignment.proposal, reply.pk))


@router.post("/replies/{reply_id}/evaluation", response={201: ActionOut, **ERRORS})
def evaluate_reply(request: HttpRequest, reply_id: Id, payload: EvaluationIn) -> Status[dict[str, Any]]:
    """The proposer evaluates a reply letter; `unsatisfied` (with a comment) opens a new round."""
    user = actor(request)
    reply = selectors.get_reply(user, reply_id)
    evaluation = services.evaluate_reply(user, reply, verdict=payload.verdict, comment=payload.comment)
    return Status(201, action_out(reply.proposal, evaluation.pk))


@router.post("/assignments/{assignment_id}/remind", response={201: ActionOut, **ERRORS})
def send_reminder(request: HttpRequest, assignment_id: Id, payload: NoteIn) -> Status[dict[str, Any]]:
    """Staff remind a unit of an assignment it has not answered (催办)."""
    user = actor(request)
    assignment = selectors.get_assignment(user, assignment_id)
    reminder = services.send_reminder(user, assignment, note=payload.note)
    return Status(201, action_out(assignment.proposal, reminder.pk))

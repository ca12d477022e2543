"""Public messages over the REST API: the public's captcha, submission and tracking (no sign-in, rate
limited), and staff's board and triage actions. Errors go through the API's AppError handler."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from xieshang.api import access
from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.pagination import Pages
from xieshang.api.schemas import Id, Text
from xieshang.core.errors import AppError, ErrorCode

from . import captcha, selectors, services, throttle
from .masking import mask_personal
from .models import PublicMessage

router = Router(tags=["voice"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}
WRONG_CAPTCHA = "验证码不正确，请重新获取验证码。"


class CaptchaOut(Schema):
    svg: str


class MessageSubmitIn(Schema):
    subject: Text
    detail: Text
    place: Text = ""
    category: Text = ""
    contact_name: Text = ""
    contact_phone: Text = ""
    contact_email: Text = ""
    captcha: Text = Field(
        description="The answer to the question of GET /voice/public/captcha (same session)."
    )


class MessageSubmittedOut(Schema):
    tracking_code: str


class TrackIn(Schema):
    code: Text


class PublicMessageOut(Schema):
    subject: str
    detail: str
    place: str
    category: str
    state: str
    state_label: str
    submitted_at: dt.datetime
    reply: str
    replied_at: dt.datetime | None
    reply_unit: str
    adopted_into_proposal: bool
    proposal_number: str


class MessageOut(Schema):
    id: int
    conference_id: int
    subject: str
    detail: str
    place: str
    category: str
    state: str
    state_label: str
    tracking_code: str
    submitted_at: dt.datetime
    support_count: int
    public_reply: str
    published: bool
    version: int

    @staticmethod
    def resolve_state_label(obj: PublicMessage) -> str:
        return str(obj.get_state_display())


class BoardFilter(Schema):
    conference_id: Id
    state: Text | None = None
    category: Text | None = None
    q: Text | None = None
    overdue: bool = False
    sort: Text | None = None


class MessageVersionIn(Schema):
    version: Id | None = Field(None, description="When given, a stale version is refused (409).")


class MessageForwardIn(MessageVersionIn):
    unit_id: Id
    due_on: dt.date
    note: Text = ""


class MessageAnswerIn(MessageVersionIn):
    reply: Text
    publish: bool = True


class UnitAnswerIn(MessageVersionIn):
    answer: Text


class MessageMergeIn(MessageVersionIn):
    target_id: Id


class LeadIn(MessageVersionIn):
    committee_id: Id | None = None
    member_id: Id | None = None
    note: Text = ""


class TriageIn(MessageVersionIn):
    category: Text
    place: Text = ""


class MessageReasonIn(MessageVersionIn):
    reason: Text = ""


class MessageStatusOut(Schema):
    id: int
    state: str
    version: int
    created_id: int | None = None


def _public(message: PublicMessage) -> dict[str, Any]:
    source = selectors.public_reply_of(message)
    shown = source.state in ("answered", "closed") and bool(source.public_reply)
    adoption = selectors.public_adoption(message)
    return {
        "subject": mask_personal(message.subject),
        "detail": mask_personal(message.detail),
        "place": mask_personal(message.place),
        "category": message.category,
        "state": message.state,
        "state_label": message.public_state_label,
        "submitted_at": message.submitted_at,
        "reply": mask_personal(source.public_reply) if shown else "",
        "replied_at": source.replied_at if shown else None,
        "reply_unit": str(source.reply_unit.name) if shown and source.reply_unit else "",
        "adopted_into_proposal": adoption is not None,
        "proposal_number": adoption["number_label"] if adoption else "",
    }


def _status(message: PublicMessage, created_id: int | None = None) -> dict[str, Any]:
    message.refresh_from_db(fields=["state", "version"])
    return {"id": message.pk, "state": message.state, "version": message.version, "created_id": created_id}


# ---------------------------------------------------------------------------- the public


@router.get("/public/captcha", response=CaptchaOut, auth=None)
def get_captcha(request: HttpRequest) -> dict[str, str]:
    """A new captcha question as SVG; its answer is kept in the caller's session (cookie)."""
    return {"svg": str(captcha.new_challenge(request.session))}


@router.post("/public/{code}/messages", response={201: MessageSubmittedOut, **ERRORS}, auth=None)
def submit(request: HttpRequest, code: str, payload: MessageSubmitIn) -> Status[dict[str, str]]:
    """Anyone leaves a message for the conference; answers with the tracking code."""
    conference = selectors.public_conference(code)
    if not captcha.check(request.session, payload.captcha):
        raise AppError(ErrorCode.INVALID_INPUT, WRONG_CAPTCHA, fields={"captcha": WRONG_CAPTCHA})
    data = services.MessageInput(**payload.dict(exclude={"captcha"}))
    message = services.submit_message(conference, data, client=throttle.client_hash(request))
    return Status(201, {"tracking_code": message.tracking_code})


@router.post("/public/track", response={200: PublicMessageOut, **ERRORS}, auth=None)
def track(request: HttpRequest, payload: TrackIn) -> dict[str, Any]:
    """A message's public fields by its tracking code (404 for any wrong code; rate limited)."""
    client = throttle.client_hash(request)
    if throttle.exceeded("track", client, throttle.track_limit()):
        raise AppError(ErrorCode.INVALID_INPUT, "查询过于频繁，请一小时后再试。")
    throttle.count("track", client)
    message = selectors.track(payload.code)
    if message is None:
        raise AppError(ErrorCode.NOT_FOUND, "查询码不正确或不存在。")
    return _public(message)


# ---------------------------------------------------------------------------- staff


@router.get("/messages", response=list[MessageOut])
@paginate(Pages, page_size=25, max_page_size=100)
def list_messages(request: HttpRequest, filters: Query[BoardFilter]) -> QuerySet[PublicMessage]:
    """The triage board of a conference (staff and leaders)."""
    user = actor(request)
    access.conference(user, filters.conference_id, "staff", "leader")
    return selectors.filter_messages(
        selectors.visible_messages(user, filters.conference_id),
        q=(filters.q or "").strip(),
        state=filters.state or "",
        category=filters.category or "",
        overdue=filters.overdue,
        sort=filters.sort or "",
    )


@router.get("/messages/{message_id}", response={200: MessageOut, **ERRORS})
def get_message(request: HttpRequest, message_id: Id) -> PublicMessage:
    """One message the caller may see."""
    return selectors.get_message(actor(request), message_id)


@router.post("/messages/{message_id}/triage", response={200: MessageStatusOut, **ERRORS})
def triage(request: HttpRequest, message_id: Id, payload: TriageIn) -> dict[str, Any]:
    """Staff set the category and place."""
    user = actor(request)
    message = selectors.get_message(user, message_id)
    services.triage_message(
        user, message, category=payload.category, place=payload.place, version=payload.version
    )
    return _status(message)


@router.post("/messages/{message_id}/forward", response={200: MessageStatusOut, **ERRORS})
def forward(request: HttpRequest, message_id: Id, payload: MessageForwardIn) -> dict[str, Any]:
    """Staff forward to a handling unit with a due date."""
    user = actor(request)
    message = selectors.get_message(user, message_id)
    f = services.forward_message(
        user,
        message,
        unit_id=payload.unit_id,
        due_on=payload.due_on,
        note=payload.note,
        version=payload.version,
    )
    return _status(message, f.pk)


@router.post("/messages/{message_id}/answer", response={200: MessageStatusOut, **ERRORS})
def answer(request: HttpRequest, message_id: Id, payload: MessageAnswerIn) -> dict[str, Any]:
    """Staff answer publicly."""
    user = actor(request)
    message = selectors.get_message(user, message_id)
    services.answer_message(
        user, message, reply=payload.reply, publish=payload.publish, version=payload.version
    )
    return _status(message)


@router.post("/messages/{message_id}/unit-answer", response={200: MessageStatusOut, **ERRORS})
def unit_answer(request: HttpRequest, message_id: Id, payload: UnitAnswerIn) -> dict[str, Any]:
    """The forwarded unit's contact answers."""
    user = actor(request)
    message = selectors.get_message(user, message_id)
    services.unit_answer(user, message, answer=payload.answer, version=payload.version)
    return _status(message)


@router.post("/messages/{message_id}/merge", response={200: MessageStatusOut, **ERRORS})
def merge(request: HttpRequest, message_id: Id, payload: MessageMergeIn) -> dict[str, Any]:
    """Staff merge a duplicate into another message."""
    user = actor(request)
    message = selectors.get_message(user, message_id)
    services.merge_message(user, message, payload.target_id, version=payload.version)
    return _status(message)


@router.post("/messages/{message_id}/lead", response={200: MessageStatusOut, **ERRORS})
def lead(request: HttpRequest, message_id: Id, payload: LeadIn) -> dict[str, Any]:
    """Staff mark a message as a proposal lead for a committee or member."""
    user = actor(request)
    message = selectors.get_message(user, message_id)
    created = services.mark_lead(
        user,
        message,
        committee_id=payload.committee_id,
        member_id=payload.member_id,
        note=payload.note,
        version=payload.version,
    )
    return _status(message, created.pk)


@router.post("/messages/{message_id}/close", response={200: MessageStatusOut, **ERRORS})
def close(request: HttpRequest, message_id: Id, payload: MessageReasonIn) -> dict[str, Any]:
    """Staff close a message."""
    user = actor(request)
    message = selectors.get_message(user, message_id)
    services.close_message(user, message, reason=payload.reason, version=payload.version)
    return _status(message)


@router.post("/leads/{lead_id}/adopt", response={201: MessageStatusOut, **ERRORS})
def adopt(request: HttpRequest, lead_id: Id) -> Status[dict[str, Any]]:
    """A member adopts a lead into a proposal draft (created_id is the proposal's id)."""
    user = actor(request)
    found = selectors.get_lead(user, lead_id)
    proposal = services.adopt_lead(user, found)
    return Status(201, _status(found.message, proposal.pk))


# Online deliberation (网络议政), in its own module.
from .deliberation_api import router as deliberation_router  # noqa: E402

router.add_router("/deliberations", deliberation_router)


# Questionnaires (问卷调查), in their own module.
from .survey_api import public_router as survey_public_router  # noqa: E402
from .survey_api import router as survey_router  # noqa: E402

router.add_router("/surveys", survey_router)
router.add_router("/public", survey_public_router)

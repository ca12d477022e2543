"""Activities over the REST API: what the caller may see, registration, leave, check-in by code, and
the office's create / publish / close and attendance list. Errors go through the API's AppError handler."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from xieshang.api import access
from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.pagination import Pages
from xieshang.api.schemas import Id, Text

from . import rules as activity_rules
from . import selectors, services
from .models import Activity, Attendance, Invitation, LeaveRequest

router = Router(tags=["activities"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}


class ActivityItemOut(Schema):
    id: int
    conference_id: int
    kind: str
    kind_label: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    state: str
    state_label: str
    version: int

    @staticmethod
    def resolve_kind_label(obj: Activity) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj: Activity) -> str:
        return str(obj.get_state_display())


class MyStatusOut(Schema):
    invitation: str | None = None
    leave: str | None = None
    attendance: str | None = None
    checked_in_at: dt.datetime | None = None


class ActivityDetailOut(ActivityItemOut):
    agenda: str
    half_days: int
    checkin_opens_at: dt.datetime
    checkin_closes_at: dt.datetime
    late_after: dt.datetime
    participant_ids: list[int]
    checkin_code: str | None = Field(None, description="Only for the organising office.")
    me: MyStatusOut

    @staticmethod
    def resolve_checkin_code(obj: Activity) -> str | None:
        return obj.checkin_code if getattr(obj, "office_view", False) else None


class ActivityFilter(Schema):
    conference_id: Id | None = None
    state: Text | None = None
    kind: Text | None = None
    q: Text | None = None


class ActivityIn(Schema):
    conference_id: Id
    kind: Text
    title: Text
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: Text = ""
    agenda: Text = ""
    committee_id: Id | None = None
    sector_id: Id | None = None
    half_days: int = Field(1, ge=1, le=100)
    checkin_opens_at: dt.datetime | None = None
    checkin_closes_at: dt.datetime | None = None
    late_after: dt.datetime | None = None
    participant_ids: list[Id] = Field([], max_length=200)
    invite_user_ids: list[Id] = Field([], max_length=2000)


class ActivityVersionIn(Schema):
    version: Id | None = None


class RespondIn(Schema):
    attend: bool = Field(description="true registers (报名), false declines.")


class LeaveIn(Schema):
    reason: Text


class ActivityDecisionIn(Schema):
    approve: bool
    note: Text = ""


class CodeIn(Schema):
    code: Text = Field(description="The short code shown at the venue.")


class ActivityStatusOut(Schema):
    id: int
    state: str
    state_label: str


class AttendanceOut(Schema):
    user_id: int
    name: str
    conference_id: int
    invitation: str | None
    leave: str | None
    status: str | None
    status_label: str | None
    checked_in_at: dt.datetime | None
    method: str | None


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _detail(user: Any, activity: Activity) -> Activity:
    """The activity with the caller's own standing attached (read by ActivityDetailOut)."""
    mine = selectors.my_standing(user, activity)
    activity.office_view = activity_rules.can_read_roster(user, activity)  # type: ignore[attr-defined]
    activity.participant_ids = [c.pk for c in activity.participants.all()]  # type: ignore[attr-defined]
    activity.me = {  # type: ignore[attr-defined]
        "invitation": mine.invitation.state if mine.invitation else None,
        "leave": mine.leave.state if mine.leave else None,
        "attendance": mine.attendance.status if mine.attendance else None,
        "checked_in_at": mine.attendance.checked_in_at if mine.attendance else None,
    }
    return activity


def _status(activity: Activity) -> dict[str, Any]:
    activity.refresh_from_db(fields=["state", "version"])
    return {"id": activity.pk, "state": activity.state, "state_label": str(activity.get_state_display())}


@router.get("", response=list[ActivityItemOut])
@paginate(Pages, page_size=20, max_page_size=100)
def list_activities(request: HttpRequest, filters: Query[ActivityFilter]) -> QuerySet[Activity]:
    """Activities the caller may see, latest first; `conference_id` must be one of the caller's."""
    user = actor(request)
    if filters.conference_id is not None:
        access.conference(user, filters.conference_id)
    qs = selectors.visible_activities(user, filters.conference_id)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q.strip())
    return qs.order_by("-starts_at", "-id")


@router.post("/checkin", response={200: ActivityStatusOut, **ERRORS})
def check_in(request: HttpRequest, payload: CodeIn) -> dict[str, Any]:
    """Check in by the short code; `state` is present or late."""
    user = actor(request)
    attendance: Attendance = services.check_in_by_code(user, payload.code)
    return {
        "id": attendance.activity_id,
        "state": attendance.status,
        "state_label": str(attendance.get_status_display()),
    }


@router.get("/{activity_id}", response={200: ActivityDetailOut, **ERRORS})
def get_activity(request: HttpRequest, activity_id: Id) -> Activity:
    """One activity with the caller's own standing (and the check-in code for the organising office)."""
    user = actor(request)
    return _detail(user, selectors.get_activity(user, activity_id))


@router.post("", response={201: ActivityDetailOut, **ERRORS})
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status[Activity]:
    """Staff create a draft activity, optionally inviting members at once."""
    user = actor(request)
    conference = access.conference(user, payload.conference_id)
    data = services.ActivityInput(
        kind=payload.kind,
        title=payload.title,
        starts_at=_aware(payload.starts_at),  # type: ignore[arg-type]
        ends_at=_aware(payload.ends_at),  # type: ignore[arg-type]
        place=payload.place,
        agenda=payload.agenda,
        committee_id=payload.committee_id,
        sector_id=payload.sector_id,
        half_days=payload.half_days,
        checkin_opens_at=_aware(payload.checkin_opens_at),
        checkin_closes_at=_aware(payload.checkin_closes_at),
        late_after=_aware(payload.late_after),
        participant_ids=payload.participant_ids,
    )
    activity = services.create_activity(user, conference, data)
    if payload.invite_user_ids:
        services.invite_members(user, activity, payload.invite_user_ids)
    return Status(201, _detail(user, selectors.get_activity(user, activity.pk)))


@router.post("/{activity_id}/publish", response={200: ActivityStatusOut, **ERRORS})
def publish_activity(request: HttpRequest, activity_id: Id, payload: ActivityVersionIn) -> dict[str, Any]:
    """Staff publish a draft; it gets its check-in code and the invited are told."""
    user = actor(request)
    activity = selectors.get_managed_activity(user, activity_id)
    return _status(services.publish_activity(user, activity, version=payload.version))


@router.post("/{activity_id}/close", response={200: ActivityStatusOut, **ERRORS})
def close_activity(request: HttpRequest, activity_id: Id, payload: ActivityVersionIn) -> dict[str, Any]:
    """Staff close a begun activity; the absent without leave are marked."""
    user = actor(request)
    activity = selectors.get_managed_activity(user, activity_id)
    return _status(services.close_activity(user, activity, version=payload.version))


@router.post("/{activity_id}/respond", response={200: ActivityStatusOut, **ERRORS})
def respond(request: HttpRequest, activity_id: Id, payload: RespondIn) -> dict[str, Any]:
    """The invited member registers (`attend: true`) or declines."""
    user = actor(request)
    activity = selectors.get_activity(user, activity_id)
    invitation: Invitation = services.respond_to_invitation(user, activity, register=payload.attend)
    return {
        "id": invitation.pk,
        "state": invitation.state,
        "state_label": str(invitation.get_state_display()),
    }


@router.post("/{activity_id}/leave", response={201: ActivityStatusOut, **ERRORS})
def request_leave(request: HttpRequest, activity_id: Id, payload: LeaveIn) -> Status[dict[str, Any]]:
    """An expected member asks for leave with a reason."""
    user = actor(request)
    activity = selectors.get_activity(user, activity_id)
    leave: LeaveRequest = services.request_leave(user, activity, reason=payload.reason)
    return Status(201, {"id": leave.pk, "state": leave.state, "state_label": str(leave.get_state_display())})


@router.post("/leave/{leave_id}/decide", response={200: ActivityStatusOut, **ERRORS})
def decide_leave(request: HttpRequest, leave_id: Id, payload: ActivityDecisionIn) -> dict[str, Any]:
    """The approver the rules name grants or refuses a leave request."""
    user = actor(request)
    leave = selectors.get_leave(user, leave_id)
    decided = services.decide_leave(user, leave, approve=payload.approve, note=payload.note)
    return {"id": decided.pk, "state": decided.state, "state_label": str(decided.get_state_display())}


@router.get("/{activity_id}/attendance", response={200: list[AttendanceOut], **ERRORS})
def attendance(request: HttpRequest, activity_id: Id) -> list[dict[str, Any]]:
    """Everyone expected with their answer, leave and attendance (organising staff and leaders)."""
    user = actor(request)
    activity = selectors.get_roster_activity(user, activity_id)
    return [
        {
            "user_id": r.user.pk,
            "name": str(r.user),
            "conference_id": r.conference_id,
            "invitation": r.invitation.state if r.invitation else None,
            "leave": r.leave.state if r.leave else None,
            "status": r.attendance.status if r.attendance else None,
            "status_label": str(r.attendance.get_status_display()) if r.attendance else None,
            "checked_in_at": r.attendance.checked_in_at if r.attendance else None,
            "method": r.attendance.method if r.attendance else None,
        }
        for r in selectors.roster(activity)
    ]

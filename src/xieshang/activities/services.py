"""Every write to activities: check the rule, then change state in one transaction, audit, notify,
and write the duty point events of what happened (attended, absent without leave, speech, outreach).

Duty events go to the member's own conference (a county member at a city joint activity earns them in
the county) and are keyed by (kind, source_type, source_id, role), so writing one twice is harmless.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Committee, Conference, Sector
from xieshang.core import statemachine as sm
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.core.uploads import DOCUMENT_TYPES, check_upload
from xieshang.duty import services as duty
from xieshang.notify.services import notify_on_commit
from xieshang.people.models import Member, RoleKind, User
from xieshang.people.selectors import has_role
from xieshang.proposals import services as proposals
from xieshang.proposals.models import Proposal

from . import rules as activity_rules
from .models import (
    Activity,
    ActivityDocument,
    ActivityKind,
    ActivityState,
    Attendance,
    Invitation,
    LeaveRequest,
    Outcome,
    Outreach,
    Speech,
)

K = ActivityKind
S = ActivityState

TITLE_MAX = 200
TEXT_MAX = 20000
REASON_MAX = 500
MAX_DOCUMENTS = 20
MAX_HALF_DAYS = 20
MAX_INVITE = 2000

# Default check-in window: from an hour before the start to half an hour after; late after 15 minutes.
OPENS_BEFORE = dt.timedelta(hours=1)
CLOSES_AFTER = dt.timedelta(minutes=30)
LATE_AFTER = dt.timedelta(minutes=15)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: the code is read off a screen
CODE_LENGTH = 6

# Which duty kinds an activity gives: meetings (the conference's own sittings and consultations),
# study, and every other activity. Plenaries count per half-day sitting.
MEETING_KINDS = frozenset(
    {
        K.STANDING_COMMITTEE,
        K.CHAIRS_MEETING,
        K.THEMATIC_CONSULTATION,
        K.COUNTERPART_CONSULTATION,
        K.SECTOR_CONSULTATION,
        K.PROPOSAL_CONSULTATION,
    }
)
SOURCE_ACTIVITY = "activity"


def half_day_key(n: int) -> tuple[str, str]:
    """(source_type, role) of the n-th half-day sitting of a plenary: each sitting is its own event.

    The duty app accepts only its own roles ("", lead, participant), so sittings are told apart by
    the source type ("activity:half1", "activity:half2" …) with the activity's id as source id."""
    return f"{SOURCE_ACTIVITY}:half{n}", ""


SOURCE_SPEECH = "speech"
SOURCE_OUTREACH = "outreach"


def attended_kind(activity: Activity, status: str = Attendance.Status.PRESENT) -> str:
    """The duty kind of attending this activity; arriving late to a study session counts as partial."""
    if activity.kind == K.PLENARY:
        return "plenary_attended"
    if activity.kind in MEETING_KINDS:
        return "meeting_attended"
    if activity.kind == K.STUDY_SESSION:
        return "study_partial" if status == Attendance.Status.LATE else "study_attended"
    return "activity_attended"


def absent_kind(activity: Activity) -> str:
    """The duty kind of missing this activity without leave."""
    if activity.kind == K.PLENARY:
        return "plenary_absent_unexcused"
    if activity.kind in MEETING_KINDS:
        return "meeting_absent_unexcused"
    return "activity_absent_unexcused"


# ---------------------------------------------------------------------------- helpers


def _url(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


def _office_url(activity: Activity) -> str:
    return reverse("activities:manage", args=[activity.pk])


def _lock(activity: Activity, version: int | None) -> Activity:
    """Re-read the activity under a row lock and refuse a stale version."""
    return sm.lock(activity, version, "conference")


def _touch(
    actor: Any, activity: Activity, verb: str, summary: str, fields: Sequence[str] = (), **data: Any
) -> None:
    """Save changed fields, bump the version and audit (state unchanged)."""
    sm.touch(actor, activity, verb, label=summary, fields=fields, data=data)


def _move(
    actor: Any, activity: Activity, verb: str, to_state: str, summary: str, fields: Sequence[str] = ()
) -> None:
    """Change the state, bump the version, save and audit."""
    from_state = activity.state
    activity.state = to_state
    activity.version += 1
    activity.save(update_fields=[*fields, "state", "version", "updated_at"])
    record(actor, verb, activity, from_state=from_state, to_state=to_state, summary=summary)


_text = sm.clean_text


def _require_staff(actor: Any, activity: Activity) -> None:
    if not activity_rules.can_manage_activity(actor, activity):
        raise denied(_("只有主办政协的机关工作人员可以办理本活动。"))


def _require_state(activity: Activity, *states: str, action: str) -> None:
    if activity.state not in states:
        raise AppError(
            ErrorCode.INVALID_STATE,
            _("活动当前为“%(state)s”，不能%(action)s。")
            % {"state": activity.get_state_display(), "action": action},
        )


def _occurred_on(activity: Activity) -> dt.date:
    return timezone.localdate(activity.starts_at)


def _member_conference(activity: Activity, user_id: int) -> int:
    """The conference a participant belongs to: the invitation's, or their membership among the
    organiser and the joint participants (the organiser first)."""
    invitation = Invitation.objects.filter(activity=activity, user_id=user_id).only("conference_id").first()
    if invitation is not None:
        return invitation.conference_id
    confs = activity_rules.conference_ids_of(activity)
    held = set(
        Member.objects.filter(user_id=user_id, conference_id__in=confs).values_list(
            "conference_id", flat=True
        )
    )
    if activity.conference_id in held:
        return activity.conference_id
    return min(held) if held else activity.conference_id


def _invitees(activity: Activity) -> list[User]:
    return [i.user for i in Invitation.objects.filter(activity=activity).select_related("user")]


def _record_attended(activity: Activity, user_id: int, conference_id: int, status: str) -> None:
    """Duty events of attending: one per half-day sitting for a plenary, one otherwise."""
    common: dict[str, Any] = {
        "conference_id": conference_id,
        "user_id": user_id,
        "kind": attended_kind(activity, status),
        "occurred_on": _occurred_on(activity),
        "source_id": activity.pk,
        "title": activity.title,
    }
    if activity.kind == K.PLENARY:
        for n in range(1, activity.half_days + 1):
            source_type, role = half_day_key(n)
            duty.record_event(**common, source_type=source_type, role=role, data={"half_day": n})
    else:
        duty.record_event(**common, source_type=SOURCE_ACTIVITY)


def _retract_attended(activity: Activity, user_id: int, conference_id: int) -> None:
    keys = (
        [half_day_key(n) for n in range(1, activity.half_days + 1)]
        if activity.kind == K.PLENARY
        else [(SOURCE_ACTIVITY, "")]
    )
    kinds = {attended_kind(activity, st) for st in (Attendance.Status.PRESENT, Attendance.Status.LATE)}
    for source_type, role in keys:
        for kind in kinds:
            duty.retract_event(
                conference_id=conference_id,
                user_id=user_id,
                kind=kind,
                source_type=source_type,
                source_id=activity.pk,
                role=role,
            )


def _record_absent(activity: Activity, user_id: int, conference_id: int) -> None:
    duty.record_event(
        conference_id=conference_id,
        user_id=user_id,
        kind=absent_kind(activity),
        occurred_on=_occurred_on(activity),
        source_type=SOURCE_ACTIVITY,
        source_id=activity.pk,
        title=activity.title,
    )


def _retract_absent(activity: Activity, user_id: int, conference_id: int) -> None:
    duty.retract_event(
        conference_id=conference_id,
        user_id=user_id,
        kind=absent_kind(activity),
        source_type=SOURCE_ACTIVITY,
        source_id=activity.pk,
    )


# ---------------------------------------------------------------------------- creating and editing


@dataclass
class ActivityInput:
    """What staff enter for an activity; window times default from the start time."""

    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = ""
    agenda: str = ""
    committee_id: int | None = None
    sector_id: int | None = None
    half_days: int = 1
    checkin_opens_at: dt.datetime | None = None
    checkin_closes_at: dt.datetime | None = None
    late_after: dt.datetime | None = None
    participant_ids: Sequence[int] = field(default_factory=tuple)


def _clean(data: ActivityInput, conference: Conference) -> tuple[dict[str, Any], list[Conference]]:
    errors: dict[str, str] = {}
    if data.kind not in K.values:
        errors["kind"] = _("请选择活动类型。")
    if not data.starts_at:
        errors["starts_at"] = _("请填写开始时间。")
    if not data.ends_at:
        errors["ends_at"] = _("请填写结束时间。")
    elif data.starts_at and data.ends_at < data.starts_at:
        errors["ends_at"] = _("结束时间不能早于开始时间。")
    half_days = data.half_days if data.kind == K.PLENARY else 1
    if not 1 <= (half_days or 0) <= MAX_HALF_DAYS:
        errors["half_days"] = _("半天会期数须在 1 到 %(n)s 之间。") % {"n": MAX_HALF_DAYS}
    if errors:
        raise invalid(errors)
    opens = data.checkin_opens_at or data.starts_at - OPENS_BEFORE
    closes = data.checkin_closes_at or data.starts_at + CLOSES_AFTER
    late = data.late_after or data.starts_at + LATE_AFTER
    if closes <= opens:
        errors["checkin_closes_at"] = _("签到截止时间须晚于签到开始时间。")
    if not opens <= late:
        errors["late_after"] = _("迟到时间点不能早于签到开始时间。")
    committee = sector = None
    if data.committee_id:
        committee = Committee.objects.filter(pk=data.committee_id, conference=conference).first()
        if committee is None:
            errors["committee"] = _("专委会不属于本级政协。")
    if data.sector_id:
        sector = Sector.objects.filter(pk=data.sector_id, conference=conference).first()
        if sector is None:
            errors["sector"] = _("界别不属于本级政协。")
    wanted = {int(i) for i in data.participant_ids} - {conference.pk}
    # A forum gathers the conferences of a city cluster; other joint activities only the guided ones.
    joinable = (
        Conference.objects.all()
        if data.kind == ActivityKind.FORUM
        else Conference.objects.filter(parent=conference)
    )
    participants = list(joinable.filter(pk__in=wanted))
    if len(participants) != len(wanted):
        errors["participants"] = _("联合活动只能邀请本级政协指导的下级政协参加；政协论坛可邀请其他城市政协。")
    if errors:
        raise invalid(errors)
    fields = {
        "kind": data.kind,
        "title": _text(data.title, "title", _("活动名称"), required=True, limit=TITLE_MAX),
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "place": _text(data.place, "place", _("地点"), required=False, limit=200),
        "agenda": _text(data.agenda, "agenda", _("议程"), required=False, limit=TEXT_MAX),
        "committee": committee,
        "sector": sector,
        "half_days": half_days,
        "checkin_opens_at": opens,
        "checkin_closes_at": closes,
        "late_after": late,
    }
    return fields, participants


def _attach(
    actor: User, activity: Activity, uploads: Sequence[UploadedFile], purpose: str
) -> list[ActivityDocument]:
    names = [check_upload(u, DOCUMENT_TYPES) for u in uploads]
    if activity.documents.count() + len(names) > MAX_DOCUMENTS:
        raise invalid({"documents": _("每项活动最多 %(n)s 个文件。") % {"n": MAX_DOCUMENTS}})
    return [
        ActivityDocument.objects.create(
            activity=activity, purpose=purpose, file=u, original_name=n, size=u.size or 0, uploaded_by=actor
        )
        for u, n in zip(uploads, names, strict=True)
    ]


@transaction.atomic(durable=True)
def create_activity(
    actor: User, conference: Conference, data: ActivityInput, *, uploads: Sequence[UploadedFile] = ()
) -> Activity:
    """Staff create a draft activity of their conference, with its joint participants and documents."""
    if not has_role(actor, conference.pk, RoleKind.STAFF):
        raise denied(_("只有本级政协机关工作人员可以创建活动。"))
    fields, participants = _clean(data, conference)
    for upload in uploads:
        check_upload(upload, DOCUMENT_TYPES)
    activity = Activity.objects.create(conference=conference, created_by=actor, **fields)
    activity.participants.set(participants)
    record(actor, "create", activity, to_state=activity.state, summary=_("创建活动"))
    _attach(actor, activity, uploads, ActivityDocument.Purpose.MATERIAL)
    return activity


@transaction.atomic(durable=True)
def update_activity(
    actor: User,
    activity: Activity,
    data: ActivityInput,
    *,
    version: int | None,
    uploads: Sequence[UploadedFile] = (),
) -> Activity:
    """Staff edit a draft or published activity (time, place, agenda, window, participants, documents)."""
    activity = _lock(activity, version)
    _require_staff(actor, activity)
    _require_state(activity, S.DRAFT, S.PUBLISHED, action=_("修改"))
    fields, participants = _clean(data, activity.conference)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.participants.set(participants)
    _touch(actor, activity, "edit", _("修改活动"), fields=list(fields))
    _attach(actor, activity, uploads, ActivityDocument.Purpose.MATERIAL)
    if activity.state == S.PUBLISHED:
        notify_on_commit(
            _invitees(activity),
            verb="activity_changed",
            title=_("活动安排有变：%(t)s") % {"t": activity.title},
            url=_url(activity),
            conference_id=activity.conference_id,
        )
    return activity


def _new_code() -> str:
    for _attempt in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Activity.objects.filter(state=S.PUBLISHED, checkin_code=code).exists():
            return code
    raise AppError(ErrorCode.DUPLICATE, _("暂时无法生成签到码，请重试。"))


@transaction.atomic(durable=True)
def publish_activity(actor: User, activity: Activity, *, version: int | None = None) -> Activity:
    """Staff publish a draft: it gets its check-in code and the invited members are told."""
    activity = _lock(activity, version)
    _require_staff(actor, activity)
    _require_state(activity, S.DRAFT, action=_("发布"))
    activity.checkin_code = _new_code()
    _move(actor, activity, "publish", S.PUBLISHED, _("发布活动"), fields=["checkin_code"])
    notify_on_commit(
        _invitees(activity),
        verb="activity_invited",
        title=_("活动通知：%(t)s") % {"t": activity.title},
        body=_("请在“活动”中报名或请假。"),
        url=_url(activity),
        conference_id=activity.conference_id,
    )
    return activity


@transaction.atomic(durable=True)
def regenerate_code(actor: User, activity: Activity) -> Activity:
    """Staff replace a published activity's check-in code (e.g. after it leaked)."""
    activity = _lock(activity, None)
    _require_staff(actor, activity)
    _require_state(activity, S.PUBLISHED, action=_("更换签到码"))
    activity.checkin_code = _new_code()
    _touch(actor, activity, "regenerate_code", _("更换签到码"), fields=["checkin_code"])
    return activity


@transaction.atomic(durable=True)
def cancel_activity(
    actor: User, activity: Activity, *, reason: str = "", version: int | None = None
) -> Activity:
    """Staff cancel a draft or published activity; the invited members are told."""
    activity = _lock(activity, version)
    _require_staff(actor, activity)
    _require_state(activity, S.DRAFT, S.PUBLISHED, action=_("取消"))
    note = _text(reason, "reason", _("取消原因"), required=False, limit=REASON_MAX)
    was_published = activity.state == S.PUBLISHED
    activity.checkin_code = ""
    _move(actor, activity, "cancel", S.CANCELLED, note or _("取消活动"), fields=["checkin_code"])
    if was_published:
        notify_on_commit(
            _invitees(activity),
            verb="activity_cancelled",
            title=_("活动取消：%(t)s") % {"t": activity.title},
            body=note,
            url=_url(activity),
            conference_id=activity.conference_id,
        )
    return activity


@transaction.atomic(durable=True)
def close_activity(actor: User, activity: Activity, *, version: int | None = None) -> Activity:
    """Staff close a published activity once it has begun: everyone expected who neither came nor
    holds an approved leave is marked absent without leave, with the duty event that goes with it.

    Declining an invitation is not leave: a member who cannot come asks for leave."""
    activity = _lock(activity, version)
    _require_staff(actor, activity)
    _require_state(activity, S.PUBLISHED, action=_("结束"))
    now = timezone.now()
    if now < activity.starts_at:
        raise AppError(ErrorCode.INVALID_STATE, _("活动尚未开始，不能结束并统计缺席。"))
    expected: dict[int, int] = dict(
        Invitation.objects.filter(activity=activity).values_list("user_id", "conference_id")
    )
    if activity.kind == K.PLENARY:
        for user_id, conference_id in Member.objects.filter(
            conference_id__in=activity_rules.conference_ids_of(activity)
        ).values_list("user_id", "conference_id"):
            expected.setdefault(user_id, conference_id)
    recorded = set(Attendance.objects.filter(activity=activity).values_list("user_id", flat=True))
    excused = set(
        LeaveRequest.objects.filter(activity=activity, state=LeaveRequest.State.APPROVED).values_list(
            "user_id", flat=True
        )
    )
    absent = [(u, c) for u, c in expected.items() if u not in recorded and u not in excused]
    Attendance.objects.bulk_create(
        [
            Attendance(
                activity=activity, user_id=u, conference_id=c, status=Attendance.Status.ABSENT_UNEXCUSED
            )
            for u, c in absent
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                activity=activity, user_id=u, conference_id=expected[u], status=Attendance.Status.EXCUSED
            )
            for u in excused
            if u not in recorded and u in expected
        ]
    )
    for user_id, conference_id in absent:
        _record_absent(activity, user_id, conference_id)
    activity.closed_at = now
    activity.checkin_code = ""
    _move(
        actor,
        activity,
        "close",
        S.CLOSED,
        _("结束活动，%(n)s 人缺席未请假") % {"n": len(absent)},
        fields=["closed_at", "checkin_code"],
    )
    return activity


# ---------------------------------------------------------------------------- invitations


@transaction.atomic(durable=True)
def invite_members(actor: User, activity: Activity, user_ids: Iterable[int]) -> list[Invitation]:
    """Staff invite members of the organising or joint conferences; already invited ones are skipped.
    Once the activity is published the new invitees are told at once."""
    activity = _lock(activity, None)
    _require_staff(actor, activity)
    _require_state(activity, S.DRAFT, S.PUBLISHED, action=_("邀请委员"))
    wanted = {int(i) for i in user_ids}
    if not wanted:
        raise invalid({"members": _("请选择要邀请的委员。")})
    if len(wanted) > MAX_INVITE:
        raise invalid({"members": _("一次最多邀请 %(n)s 位委员。") % {"n": MAX_INVITE}})
    confs = activity_rules.conference_ids_of(activity)
    membership: dict[int, int] = {}
    for user_id, conference_id in Member.objects.filter(
        user_id__in=wanted, conference_id__in=confs
    ).values_list("user_id", "conference_id"):
        if membership.get(user_id) != activity.conference_id:
            membership[user_id] = conference_id
    if set(membership) != wanted:
        raise invalid({"members": _("只能邀请本级政协或联合参加政协的委员。")})
    existing = set(Invitation.objects.filter(activity=activity).values_list("user_id", flat=True))
    created = Invitation.objects.bulk_create(
        [
            Invitation(activity=activity, user_id=u, conference_id=c, invited_by=actor)
            for u, c in membership.items()
            if u not in existing
        ]
    )
    _touch(actor, activity, "invite", _("邀请委员 %(n)s 人") % {"n": len(created)}, invited=len(created))
    if activity.state == S.PUBLISHED and created:
        notify_on_commit(
            User.objects.filter(pk__in=[i.user_id for i in created]),
            verb="activity_invited",
            title=_("活动通知：%(t)s") % {"t": activity.title},
            body=_("请在“活动”中报名或请假。"),
            url=_url(activity),
            conference_id=activity.conference_id,
        )
    return created


@transaction.atomic(durable=True)
def respond_to_invitation(actor: User, activity: Activity, *, register: bool) -> Invitation:
    """The invited member registers (报名) or declines before the activity ends."""
    activity = _lock(activity, None)
    invitation = Invitation.objects.select_for_update().filter(activity=activity, user_id=actor.pk).first()
    if invitation is None:
        raise denied(_("您不在本次活动的邀请名单中。"))
    _require_state(activity, S.PUBLISHED, action=_("报名"))
    if timezone.now() > activity.ends_at:
        raise AppError(ErrorCode.WINDOW_CLOSED, _("活动已结束，不能再报名或谢绝。"))
    invitation.state = Invitation.State.REGISTERED if register else Invitation.State.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["state", "responded_at"])
    record(
        actor,
        "register" if register else "decline",
        activity,
        from_state=activity.state,
        to_state=activity.state,
        summary=_("%(u)s 报名参加") % {"u": actor} if register else _("%(u)s 不参加") % {"u": actor},
    )
    return invitation


# ---------------------------------------------------------------------------- leave


@transaction.atomic(durable=True)
def request_leave(actor: User, activity: Activity, *, reason: str) -> LeaveRequest:
    """An expected member asks to be excused, with a reason; the approver is told."""
    activity = _lock(activity, None)
    if not activity_rules.can_check_in(actor, activity):
        raise denied(_("您不在本次活动的参加名单中，无需请假。"))
    _require_state(activity, S.PUBLISHED, action=_("请假"))
    text = _text(reason, "reason", _("请假事由"), required=True, limit=REASON_MAX)
    attendance = Attendance.objects.filter(activity=activity, user_id=actor.pk).first()
    if attendance is not None and attendance.status in (Attendance.Status.PRESENT, Attendance.Status.LATE):
        raise AppError(ErrorCode.INVALID_STATE, _("您已签到，不能再请假。"))
    live = (
        LeaveRequest.objects.filter(activity=activity, user_id=actor.pk)
        .exclude(state=LeaveRequest.State.REFUSED)
        .first()
    )
    if live is not None:
        raise AppError(
            ErrorCode.DUPLICATE,
            _("您已提交过请假申请（%(s)s），无需重复提交。") % {"s": live.get_state_display()},
        )
    leave = LeaveRequest.objects.create(
        activity=activity, user=actor, conference_id=_member_conference(activity, actor.pk), reason=text
    )
    record(
        actor,
        "request_leave",
        activity,
        from_state=activity.state,
        to_state=activity.state,
        summary=_("%(u)s 请假：%(r)s") % {"u": actor, "r": text},
        data={"leave": leave.pk},
    )
    notify_on_commit(
        activity_rules.leave_approvers(activity),
        verb="leave_requested",
        title=_("请假待审批：%(u)s · %(t)s") % {"u": actor, "t": activity.title},
        body=text,
        url=_office_url(activity),
        conference_id=activity.conference_id,
    )
    return leave


@transaction.atomic(durable=True)
def decide_leave(actor: User, leave: LeaveRequest, *, approve: bool, note: str = "") -> LeaveRequest:
    """The approver the rules name grants or refuses a pending leave request; granting it after the
    activity closed turns the member's absence without leave into an excused one."""
    activity = _lock(leave.activity, None)
    if not activity_rules.can_decide_leave(actor, activity):
        if activity.kind in activity_rules.LEADER_APPROVED_KINDS:
            raise denied(_("%(k)s的请假须由主席（领导）审批。") % {"k": activity.get_kind_display()})
        raise denied(_("本活动的请假须由主办政协机关工作人员审批。"))
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    if leave.state != LeaveRequest.State.PENDING:
        raise AppError(ErrorCode.INVALID_STATE, _("该请假申请已经审批过了。"))
    _require_state(activity, S.PUBLISHED, S.CLOSED, action=_("审批请假"))
    leave.state = LeaveRequest.State.APPROVED if approve else LeaveRequest.State.REFUSED
    leave.decided_by = actor
    leave.decided_at = timezone.now()
    leave.decision_note = _text(note, "note", _("审批意见"), required=False, limit=REASON_MAX)
    leave.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        attendance = (
            Attendance.objects.select_for_update().filter(activity=activity, user_id=leave.user_id).first()
        )
        if attendance is not None and attendance.status == Attendance.Status.ABSENT_UNEXCUSED:
            attendance.status = Attendance.Status.EXCUSED
            attendance.save(update_fields=["status", "updated_at"])
            _retract_absent(activity, leave.user_id, attendance.conference_id)
        elif attendance is None and activity.state == S.CLOSED:
            Attendance.objects.create(
                activity=activity,
                user_id=leave.user_id,
                conference_id=leave.conference_id,
                status=Attendance.Status.EXCUSED,
            )
    verdict = _("准假") if approve else _("不准假")
    record(
        actor,
        "decide_leave",
        activity,
        from_state=activity.state,
        to_state=activity.state,
        summary=_("%(v)s：%(u)s") % {"v": verdict, "u": leave.user},
        data={"leave": leave.pk, "approve": approve},
    )
    notify_on_commit(
        [leave.user],
        verb="leave_decided",
        title=_("请假%(v)s：%(t)s") % {"v": leave.get_state_display(), "t": activity.title},
        body=leave.decision_note,
        url=_url(activity),
        conference_id=leave.conference_id,
    )
    return leave


# ---------------------------------------------------------------------------- check-in


def normalise_code(code: str) -> str:
    """What the member typed, as stored: no spaces, upper case."""
    return "".join((code or "").split()).upper()[:16]


WRONG_CODE = "签到码不正确，请核对会场公布的签到码后重新输入。"


@transaction.atomic(durable=True)
def check_in_by_code(actor: User, code: str) -> Attendance:
    """A member checks in by typing the short code shown at the venue."""
    typed = normalise_code(code)
    activity = Activity.objects.filter(state=S.PUBLISHED, checkin_code=typed).first() if typed else None
    if activity is None:
        raise AppError(ErrorCode.INVALID_INPUT, _(WRONG_CODE), fields={"code": _(WRONG_CODE)})
    return _check_in(actor, activity, typed, Attendance.Method.CODE)


@transaction.atomic(durable=True)
def check_in(actor: User, activity: Activity, code: str, *, method: str = Attendance.Method.QR) -> Attendance:
    """A member checks in to one activity with its code (the QR code carries it in its URL)."""
    return _check_in(actor, activity, normalise_code(code), method)


def _check_in(actor: User, activity: Activity, code: str, method: str) -> Attendance:
    """Valid only while the window is open, once per member, for expected members; late after the
    late mark. Nothing is written when any check fails."""
    activity = _lock(activity, None)
    if activity.state != S.PUBLISHED or not activity.checkin_code or code != activity.checkin_code:
        if activity.state in (S.CLOSED, S.CANCELLED):
            raise AppError(
                ErrorCode.INVALID_STATE, _("活动%(s)s，不能签到。") % {"s": activity.get_state_display()}
            )
        raise AppError(ErrorCode.INVALID_INPUT, _(WRONG_CODE), fields={"code": _(WRONG_CODE)})
    if not activity_rules.can_check_in(actor, activity):
        raise denied(_("您不在本次活动的参加名单中，不能签到。如有疑问请联系会务人员。"))
    now = timezone.now()
    if not activity.checkin_opens_at <= now <= activity.checkin_closes_at:
        local = timezone.localtime
        raise AppError(
            ErrorCode.WINDOW_CLOSED,
            _("不在签到时间内：签到时间为 %(a)s 至 %(b)s。")
            % {
                "a": local(activity.checkin_opens_at).strftime("%m-%d %H:%M"),
                "b": local(activity.checkin_closes_at).strftime("%H:%M"),
            },
        )
    attendance = Attendance.objects.select_for_update().filter(activity=activity, user_id=actor.pk).first()
    if attendance is not None and attendance.status in (Attendance.Status.PRESENT, Attendance.Status.LATE):
        when = (
            timezone.localtime(attendance.checked_in_at).strftime("%H:%M") if attendance.checked_in_at else ""
        )
        raise AppError(ErrorCode.DUPLICATE, _("您已于 %(t)s 签到，无需重复签到。") % {"t": when})
    status = Attendance.Status.LATE if now > activity.late_after else Attendance.Status.PRESENT
    conference_id = _member_conference(activity, actor.pk)
    if attendance is None:
        attendance = Attendance.objects.create(
            activity=activity,
            user=actor,
            conference_id=conference_id,
            status=status,
            checked_in_at=now,
            method=method,
        )
    else:  # excused beforehand, but came after all
        attendance.status, attendance.checked_in_at, attendance.method = status, now, method
        attendance.save(update_fields=["status", "checked_in_at", "method", "updated_at"])
    _record_attended(activity, actor.pk, conference_id, status)
    record(
        actor,
        "check_in",
        activity,
        from_state=activity.state,
        to_state=activity.state,
        summary=_("%(u)s 签到（%(s)s）") % {"u": actor, "s": attendance.get_status_display()},
        data={"method": method, "status": status},
    )
    return attendance


@transaction.atomic(durable=True)
def mark_attendance(actor: User, activity: Activity, user_id: int, *, status: str) -> Attendance:
    """Staff record attendance by hand (a member without a phone, a correction after closing),
    keeping the duty events in step with the new status."""
    activity = _lock(activity, None)
    _require_staff(actor, activity)
    _require_state(activity, S.PUBLISHED, S.CLOSED, action=_("登记出席"))
    if status not in Attendance.Status.values:
        raise invalid({"status": _("出席情况无效。")})
    confs = activity_rules.conference_ids_of(activity)
    if not Member.objects.filter(user_id=user_id, conference_id__in=confs).exists():
        raise invalid({"user": _("只能登记本级政协或联合参加政协的委员。")})
    conference_id = _member_conference(activity, user_id)
    attendance = Attendance.objects.select_for_update().filter(activity=activity, user_id=user_id).first()
    before = attendance.status if attendance else ""
    came = {Attendance.Status.PRESENT, Attendance.Status.LATE}
    if attendance is None:
        attendance = Attendance(activity=activity, user_id=user_id, conference_id=conference_id)
    attendance.status = status
    attendance.method = Attendance.Method.MANUAL
    attendance.recorded_by = actor
    if status in came and attendance.checked_in_at is None:
        attendance.checked_in_at = timezone.now()
    attendance.save()
    if before in came and status != before:
        _retract_attended(activity, user_id, conference_id)
    if before == Attendance.Status.ABSENT_UNEXCUSED and status != before:
        _retract_absent(activity, user_id, conference_id)
    if status in came and status != before:
        _record_attended(activity, user_id, conference_id, status)
    if status == Attendance.Status.ABSENT_UNEXCUSED and before != status:
        _record_absent(activity, user_id, conference_id)
    record(
        actor,
        "mark_attendance",
        activity,
        from_state=activity.state,
        to_state=activity.state,
        summary=_("登记出席：%(s)s") % {"s": attendance.get_status_display()},
        data={"user": user_id, "from": before, "to": status},
    )
    return attendance


# ---------------------------------------------------------------------------- after: speeches, outcomes


@transaction.atomic(durable=True)
def record_speech(
    actor: User, activity: Activity, user_id: int, *, kind: str, title: str, text: str = ""
) -> Speech:
    """Staff record a speech or written speech against a member; it earns a duty event."""
    activity = _lock(activity, None)
    _require_staff(actor, activity)
    _require_state(activity, S.PUBLISHED, S.CLOSED, action=_("记录发言"))
    if kind not in Speech.Kind.values:
        raise invalid({"kind": _("请选择发言类型。")})
    confs = activity_rules.conference_ids_of(activity)
    if not Member.objects.filter(user_id=user_id, conference_id__in=confs).exists():
        raise invalid({"user": _("发言人须是本级政协或联合参加政协的委员。")})
    speech = Speech.objects.create(
        activity=activity,
        user_id=user_id,
        conference_id=_member_conference(activity, user_id),
        kind=kind,
        title=_text(title, "title", _("发言题目"), required=True, limit=TITLE_MAX),
        text=_text(text, "text", _("发言内容"), required=False, limit=TEXT_MAX),
        recorded_by=actor,
    )
    duty.record_event(
        conference_id=speech.conference_id,
        user_id=user_id,
        kind="speech_given" if kind == Speech.Kind.SPOKEN else "written_speech",
        occurred_on=_occurred_on(activity),
        source_type=SOURCE_SPEECH,
        source_id=speech.pk,
        title=speech.title,
        data={"activity": activity.pk},
    )
    _touch(
        actor,
        activity,
        "record_speech",
        _("记录%(k)s：%(t)s") % {"k": speech.get_kind_display(), "t": speech.title},
    )
    return speech


@transaction.atomic(durable=True)
def save_outcome(
    actor: User,
    activity: Activity,
    *,
    minutes: str,
    suggestions: str,
    uploads: Sequence[UploadedFile] = (),
) -> Outcome:
    """Staff attach the outcome of a published or closed activity: minutes, suggestions, files."""
    activity = _lock(activity, None)
    _require_staff(actor, activity)
    _require_state(activity, S.PUBLISHED, S.CLOSED, action=_("填写成果"))
    outcome, _created = Outcome.objects.get_or_create(activity=activity, defaults={"recorded_by": actor})
    outcome.minutes = _text(minutes, "minutes", _("会议纪要"), required=False, limit=TEXT_MAX * 5)
    outcome.suggestions = _text(suggestions, "suggestions", _("意见建议"), required=False, limit=TEXT_MAX)
    outcome.recorded_by = actor
    outcome.save()
    _attach(actor, activity, uploads, ActivityDocument.Purpose.OUTCOME)
    _touch(
        actor,
        activity,
        "save_outcome",
        _("填写活动成果（%(n)s 条建议）") % {"n": len(outcome.suggestion_list)},
    )
    return outcome


@transaction.atomic(durable=True)
def add_documents(actor: User, activity: Activity, uploads: Sequence[UploadedFile]) -> list[ActivityDocument]:
    """Staff add material files to an activity."""
    activity = _lock(activity, None)
    _require_staff(actor, activity)
    _require_state(activity, S.DRAFT, S.PUBLISHED, S.CLOSED, action=_("上传文件"))
    docs = _attach(actor, activity, uploads, ActivityDocument.Purpose.MATERIAL)
    _touch(actor, activity, "attach", _("上传文件 %(n)s 个") % {"n": len(docs)})
    return docs


# ---------------------------------------------------------------------------- outreach log


@dataclass
class OutreachInput:
    """One contact as the member logs it."""

    contact: str
    contacted_on: dt.date
    channel: str
    topic: str
    contact_kind: str = Outreach.ContactKind.PERSON
    notes: str = ""
    follow_up: str = ""


@transaction.atomic(durable=True)
def log_outreach(actor: User, conference: Conference, data: OutreachInput) -> Outreach:
    """A member logs a contact with constituents; it earns a duty event."""
    if not has_role(actor, conference.pk, RoleKind.MEMBER):
        raise denied(_("只有本级政协委员可以记录联系群众情况。"))
    errors: dict[str, str] = {}
    if data.channel not in Outreach.Channel.values:
        errors["channel"] = _("请选择联系方式。")
    if data.contact_kind not in Outreach.ContactKind.values:
        errors["contact_kind"] = _("请选择联系对象类型。")
    if not data.contacted_on:
        errors["contacted_on"] = _("请填写联系日期。")
    elif data.contacted_on > timezone.localdate():
        errors["contacted_on"] = _("联系日期不能晚于今天。")
    if errors:
        raise invalid(errors)
    outreach = Outreach.objects.create(
        conference=conference,
        member=actor,
        contact_kind=data.contact_kind,
        contact=_text(data.contact, "contact", _("联系对象"), required=True, limit=100),
        contacted_on=data.contacted_on,
        channel=data.channel,
        topic=_text(data.topic, "topic", _("反映的问题"), required=True, limit=TITLE_MAX),
        notes=_text(data.notes, "notes", _("情况记录"), required=False, limit=TEXT_MAX),
        follow_up=_text(data.follow_up, "follow_up", _("后续跟进"), required=False, limit=TEXT_MAX),
    )
    duty.record_event(
        conference_id=conference.pk,
        user_id=actor.pk,
        kind="outreach_logged",
        occurred_on=outreach.contacted_on,
        source_type=SOURCE_OUTREACH,
        source_id=outreach.pk,
        title=outreach.topic,
        data={"channel": outreach.channel},
    )
    record(
        actor,
        "log_outreach",
        outreach,
        summary=_("联系群众：%(c)s · %(t)s") % {"c": outreach.contact, "t": outreach.topic},
    )
    return outreach


def turn_outreach_into_proposal(actor: User, outreach: Outreach) -> Proposal:
    """One click: the contact's topic becomes the title of a proposal draft, its notes the analysis.

    `create_proposal` is itself a durable transaction, so the draft is written first and the link
    second; a second click finds the link and is refused."""
    if outreach.member_id != actor.pk:
        raise denied(_("只能将自己的联系记录转为提案。"))
    if outreach.proposal_id:
        raise AppError(ErrorCode.DUPLICATE, _("该联系记录已转为提案草稿。"))
    analysis = "\n\n".join(
        part
        for part in [
            _("联系对象：%(c)s（%(k)s，%(d)s，%(w)s）")
            % {
                "c": outreach.contact,
                "k": outreach.get_contact_kind_display(),
                "d": outreach.contacted_on.isoformat(),
                "w": outreach.get_channel_display(),
            },
            outreach.notes,
        ]
        if part
    )
    proposal = proposals.create_proposal(
        actor, outreach.conference, proposals.ProposalInput(title=outreach.topic, analysis=analysis)
    )
    _link_proposal(actor, outreach, proposal)
    return proposal


@transaction.atomic(durable=True)
def _link_proposal(actor: User, outreach: Outreach, proposal: Proposal) -> None:
    Outreach.objects.filter(pk=outreach.pk).update(proposal=proposal)
    outreach.proposal = proposal
    record(actor, "to_proposal", outreach, summary=_("转为提案草稿"), data={"proposal": proposal.pk})

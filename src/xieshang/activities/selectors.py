"""Reads of activities, limited to what the actor may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from xieshang.conferences.models import Committee, Conference, Party, Sector
from xieshang.people.models import Member, RoleKind, User
from xieshang.people.selectors import conference_ids

from . import rules as activity_rules
from .models import (
    Activity,
    ActivityDocument,
    ActivityKind,
    ActivityState,
    Attendance,
    Invitation,
    LeaveRequest,
    Outreach,
    Speech,
)

S = ActivityState


def _expected_condition(user: Any) -> Q:
    """Activities (not drafts) a member is expected at: invited ones, and plenaries of their conferences."""
    member_confs = conference_ids(user, RoleKind.MEMBER)
    condition = Q(invitations__user=user)
    if member_confs:
        condition |= Q(kind=ActivityKind.PLENARY) & (
            Q(conference_id__in=member_confs) | Q(participants__in=member_confs)
        )
    return condition & ~Q(state=S.DRAFT)


def _in_conference(qs: QuerySet[Activity], conference_id: int | None) -> QuerySet[Activity]:
    if conference_id is None:
        return qs
    # The joint activities' ids first: an OR over a join would scan every conference's activities.
    joint = Activity.participants.through.objects.filter(conference_id=conference_id).values_list(
        "activity_id", flat=True
    )
    return qs.filter(Q(conference_id=conference_id) | Q(pk__in=list(joint)))


def _distinct(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return Activity.objects.filter(pk__in=qs.values("pk")).select_related("conference", "committee", "sector")


def visible_activities(user: Any, conference_id: int | None = None) -> QuerySet[Activity]:
    """Activities the user may see: the office (staff, leaders) sees its conference's, and the published
    joint activities its conference takes part in; a member the ones they are expected at."""
    if not user.is_authenticated:
        return Activity.objects.none()
    condition = _expected_condition(user)
    office = conference_ids(user, RoleKind.STAFF, RoleKind.LEADER)
    if office:
        condition |= Q(conference_id__in=office) | (Q(participants__in=office) & ~Q(state=S.DRAFT))
    return _distinct(_in_conference(Activity.objects.filter(condition), conference_id))


def get_activity(user: Any, activity_id: int) -> Activity:
    """One activity the user may see, or 404 (never telling whether it exists)."""
    activity = visible_activities(user).filter(pk=activity_id).first()
    if activity is None:
        raise Http404
    return activity


def get_managed_activity(user: Any, activity_id: int) -> Activity:
    """An activity the user may see and runs as organising staff: 404 when unseen, 403 when not staff."""
    activity = get_activity(user, activity_id)
    if not activity_rules.can_manage_activity(user, activity):
        raise PermissionDenied
    return activity


def get_roster_activity(user: Any, activity_id: int) -> Activity:
    """An activity whose roster the user may read (organising staff or leaders), else 404/403."""
    activity = get_activity(user, activity_id)
    if not activity_rules.can_read_roster(user, activity):
        raise PermissionDenied
    return activity


# ---------------------------------------------------------------------------- the member's view


@dataclass
class MyActivity:
    """One activity with the member's own standing in it."""

    activity: Activity
    invitation: Invitation | None = None
    leave: LeaveRequest | None = None
    attendance: Attendance | None = None

    @property
    def status_code(self) -> str:
        """The member's status as a code: attendance first, then leave, then the invitation."""
        if self.attendance is not None:
            return self.attendance.status
        if self.leave is not None:
            return f"leave_{self.leave.state}"
        if self.invitation is not None:
            return self.invitation.state
        return "expected"

    @property
    def status_label(self) -> str:
        """The member's status in words."""
        if self.attendance is not None:
            return str(self.attendance.get_status_display())
        if self.leave is not None:
            return f"请假{self.leave.get_state_display()}"
        if self.invitation is not None:
            return str(self.invitation.get_state_display())
        return "应出席"


def _standing(user: Any, activities: list[Activity]) -> list[MyActivity]:
    """Attach the member's invitation, latest leave request and attendance to each activity."""
    ids = [a.pk for a in activities]
    invitations = {i.activity_id: i for i in Invitation.objects.filter(activity_id__in=ids, user_id=user.pk)}
    leaves: dict[int, LeaveRequest] = {}
    for leave in LeaveRequest.objects.filter(activity_id__in=ids, user_id=user.pk).order_by(
        "requested_at", "id"
    ):
        leaves[leave.activity_id] = leave
    attendances = {a.activity_id: a for a in Attendance.objects.filter(activity_id__in=ids, user_id=user.pk)}
    return [MyActivity(a, invitations.get(a.pk), leaves.get(a.pk), attendances.get(a.pk)) for a in activities]


def expected_activities(user: Any, conference_id: int | None = None) -> QuerySet[Activity]:
    """Activities the member is expected at (invited, or plenaries), drafts excluded."""
    if not user.is_authenticated:
        return Activity.objects.none()
    return _distinct(_in_conference(Activity.objects.filter(_expected_condition(user)), conference_id))


def my_standing(user: Any, activity: Activity) -> MyActivity:
    """The member's own standing in one activity."""
    return _standing(user, [activity])[0]


@dataclass
class Calendar:
    upcoming: list[MyActivity] = field(default_factory=list)
    past: list[MyActivity] = field(default_factory=list)


PAST_LIMIT = 50


def my_calendar(user: Any, conference_id: int, now: dt.datetime | None = None) -> Calendar:
    """The member's calendar: upcoming activities (soonest first) and past ones (latest first)."""
    moment = now or timezone.now()
    base = expected_activities(user, conference_id)
    upcoming = list(base.filter(ends_at__gte=moment).exclude(state=S.CANCELLED).order_by("starts_at", "id"))
    past = list(
        base.filter(Q(ends_at__lt=moment) | Q(state=S.CANCELLED)).order_by("-starts_at", "-id")[:PAST_LIMIT]
    )
    return Calendar(upcoming=_standing(user, upcoming), past=_standing(user, past))


HOME_LIMIT = 5


def upcoming_invitations(user: Any, conference_id: int) -> list[MyActivity]:
    """For the member's home: published activities ahead that still ask something of them."""
    rows = my_calendar(user, conference_id).upcoming
    return [r for r in rows if r.activity.state == S.PUBLISHED and r.attendance is None][:HOME_LIMIT]


# ---------------------------------------------------------------------------- the office's view

SORTS = {
    "starts": ("starts_at", "id"),
    "-starts": ("-starts_at", "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "state": ("state", "-starts_at"),
    "-state": ("-state", "-starts_at"),
}


def office_activities(
    user: Any, conference_id: int, *, q: str = "", kind: str = "", state: str = "", sort: str = ""
) -> QuerySet[Activity]:
    """The office's list: the conference's activities and joint ones, filtered, searched and sorted,
    each counted (invited, registered, present)."""
    qs = visible_activities(user, conference_id)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q) | Q(agenda__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    qs = qs.annotate(
        n_invited=Count("invitations", distinct=True),
        n_registered=Count("invitations", filter=Q(invitations__state="registered"), distinct=True),
        n_came=Count("attendances", filter=Q(attendances__status__in=["present", "late"]), distinct=True),
    )
    return qs.order_by(*SORTS.get(sort, SORTS["-starts"]))


@dataclass
class RosterRow:
    """One expected person: their invitation answer, leave request and attendance."""

    user: User
    conference_id: int
    invitation: Invitation | None = None
    leave: LeaveRequest | None = None
    attendance: Attendance | None = None


def roster(activity: Activity) -> list[RosterRow]:
    """Everyone expected at the activity with their standing, in a fixed number of queries."""
    rows: dict[int, RosterRow] = {}
    for inv in Invitation.objects.filter(activity=activity).select_related("user").order_by("id"):
        rows[inv.user_id] = RosterRow(inv.user, inv.conference_id, invitation=inv)
    if activity.kind == ActivityKind.PLENARY:
        confs = activity_rules.conference_ids_of(activity)
        for m in (
            Member.objects.filter(conference_id__in=confs)
            .select_related("user")
            .order_by("conference_id", "id")
        ):
            rows.setdefault(m.user_id, RosterRow(m.user, m.conference_id))
    for leave in LeaveRequest.objects.filter(activity=activity).order_by("requested_at", "id"):
        if leave.user_id in rows:
            rows[leave.user_id].leave = leave
    for att in Attendance.objects.filter(activity=activity).select_related("user"):
        row = rows.get(att.user_id)
        if row is None:  # recorded by hand for someone off the list
            row = rows[att.user_id] = RosterRow(att.user, att.conference_id)
        row.attendance = att
    return sorted(
        rows.values(),
        key=lambda r: (r.conference_id != activity.conference_id, r.user.display_name or r.user.username),
    )


def roster_counts(rows: list[RosterRow]) -> dict[str, int]:
    """Figures over the roster: expected, registered, on leave, present, late, absent."""
    status = [r.attendance.status if r.attendance else "" for r in rows]
    return {
        "expected": len(rows),
        "registered": sum(1 for r in rows if r.invitation and r.invitation.state == "registered"),
        "declined": sum(1 for r in rows if r.invitation and r.invitation.state == "declined"),
        "leave_pending": sum(1 for r in rows if r.leave and r.leave.state == "pending"),
        "present": status.count(Attendance.Status.PRESENT),
        "late": status.count(Attendance.Status.LATE),
        "excused": status.count(Attendance.Status.EXCUSED),
        "absent": status.count(Attendance.Status.ABSENT_UNEXCUSED),
    }


def pending_leaves(activity: Activity) -> QuerySet[LeaveRequest]:
    """The activity's leave requests awaiting a decision."""
    return LeaveRequest.objects.filter(activity=activity, state=LeaveRequest.State.PENDING).select_related(
        "user"
    )


def get_leave(user: Any, leave_id: int) -> LeaveRequest:
    """A leave request on an activity whose roster the user may read, or the user's own; else 404."""
    leave = LeaveRequest.objects.select_related("activity", "user").filter(pk=leave_id).first()
    if leave is None:
        raise Http404
    visible = visible_activities(user).filter(pk=leave.activity_id).exists()
    if not visible or not (leave.user_id == user.pk or activity_rules.can_read_roster(user, leave.activity)):
        raise Http404
    return leave


def speeches(activity: Activity) -> QuerySet[Speech]:
    """The activity's speeches, oldest first."""
    return Speech.objects.filter(activity=activity).select_related("user")


def attendance_list(activity: Activity) -> QuerySet[Attendance]:
    """The activity's attendance rows."""
    return (
        Attendance.objects.filter(activity=activity)
        .select_related("user", "conference")
        .order_by("status", "checked_in_at", "id")
    )


# ---------------------------------------------------------------------------- inviting: who to ask


def invitable_conferences(activity: Activity) -> list[Conference]:
    """Conferences whose members may be invited: the organiser and the joint participants."""
    ids = activity_rules.conference_ids_of(activity)
    return list(Conference.objects.filter(pk__in=ids).order_by("id"))


def committees(conference_ids: set[int] | list[int]) -> QuerySet[Committee]:
    """Committees of the given conferences."""
    return Committee.objects.filter(conference_id__in=list(conference_ids)).select_related("conference")


def sectors(conference_ids: set[int] | list[int]) -> QuerySet[Sector]:
    """Sectors of the given conferences."""
    return Sector.objects.filter(conference_id__in=list(conference_ids)).select_related("conference")


def parties(conference_ids: set[int] | list[int]) -> QuerySet[Party]:
    """Parties and groups of the given conferences."""
    return Party.objects.filter(conference_id__in=list(conference_ids)).select_related("conference")


def child_conferences(conference_id: int) -> QuerySet[Conference]:
    """The county conferences a city conference guides (who may join its activities)."""
    return Conference.objects.filter(parent_id=conference_id).order_by("id")


def joinable_conferences(conference_id: int) -> QuerySet[Conference]:
    """Who may join an activity: the guided conferences, and for a forum any other conference
    (a forum of a city cluster's conferences); the guided ones come first."""
    return (
        Conference.objects.exclude(pk=conference_id)
        # Case, not a boolean comparison: "parent = x" is NULL for top-level conferences, and
        # PostgreSQL sorts NULL first in descending order where SQLite sorts it last.
        .annotate(rank=Case(When(parent_id=conference_id, then=Value(0)), default=Value(1)))
        .order_by("rank", "level", "id")
    )


# ---------------------------------------------------------------------------- outreach log


def my_outreach(user: Any, conference_id: int) -> QuerySet[Outreach]:
    """The member's own outreach contacts in a conference, newest first."""
    return Outreach.objects.filter(member_id=user.pk, conference_id=conference_id)


def get_outreach(user: Any, outreach_id: int) -> Outreach:
    """One of the member's own outreach contacts, or 404."""
    outreach = Outreach.objects.filter(pk=outreach_id, member_id=user.pk).first()
    if outreach is None:
        raise Http404
    return outreach


def get_document(user: Any, document_id: int) -> ActivityDocument:
    """A material or outcome file of an activity the user may see, or 404."""
    doc = ActivityDocument.objects.filter(pk=document_id).first()
    if doc is None:
        raise Http404
    get_activity(user, doc.activity_id)
    return doc


def possible_speakers(activity: Activity) -> QuerySet[User]:
    """Members of the activity's conferences, who may have a speech recorded."""
    return (
        User.objects.filter(memberships__conference_id__in=activity_rules.conference_ids_of(activity))
        .distinct()
        .order_by("display_name")
    )


@dataclass
class Participation:
    """How members took part in one kind of activity over a year."""

    kind: str
    label: str
    activities: int
    expected: int
    present: int
    late: int
    excused: int
    absent: int

    @property
    def rate(self) -> float:
        """Attended (present or late) over everyone expected, 0 when nobody was expected."""
        return round((self.present + self.late) / self.expected, 4) if self.expected else 0.0


def participation_by_kind(conference_id: int, year: int) -> list[Participation]:
    """Per activity kind, the closed activities of the year and their attendance, in two grouped queries."""
    closed = Activity.objects.filter(conference_id=conference_id, state=S.CLOSED, starts_at__year=year)
    counts = {row["kind"]: row["n"] for row in closed.values("kind").annotate(n=Count("pk")).order_by()}
    rows = (
        Attendance.objects.filter(activity__in=closed)
        .values("activity__kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally: dict[str, dict[str, int]] = {}
    for row in rows:
        tally.setdefault(row["activity__kind"], {})[row["status"]] = row["n"]
    result = []
    for kind, label in ActivityKind.choices:
        if kind not in counts:
            continue
        t = tally.get(kind, {})
        present, late = t.get(Attendance.Status.PRESENT, 0), t.get(Attendance.Status.LATE, 0)
        excused, absent = t.get(Attendance.Status.EXCUSED, 0), t.get(Attendance.Status.ABSENT_UNEXCUSED, 0)
        result.append(
            Participation(
                kind,
                str(label),
                counts[kind],
                present + late + excused + absent,
                present,
                late,
                excused,
                absent,
            )
        )
    return result

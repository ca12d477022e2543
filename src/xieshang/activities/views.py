"""Activity pages: thin adapters over services and selectors (parse, call, render).

Members (phone): calendar, an activity with its buttons (register, decline, leave, check in), the
check-in page (typed code, or the QR link), the outreach log. Office (desktop): the activity list,
the form, the management page (invitations, leave, attendance, speeches, outcomes), exports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.dates import today
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error, status_of
from xieshang.people.models import RoleKind
from xieshang.people.selectors import has_role, talent_pool

from . import exports, forms, selectors, services
from . import rules as activity_rules
from .models import Activity, ActivityDocument, ActivityState, Attendance

PAGE_SIZE = 25
POOL_PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------------------- helpers


def _conference(request: HttpRequest) -> Any:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return conference


def _office(request: HttpRequest) -> Any:
    """The current conference, for its staff and leaders only."""
    conference = _conference(request)
    if not has_role(request.user, conference.pk, RoleKind.STAFF, RoleKind.LEADER):  # type: ignore[arg-type]
        raise PermissionDenied
    return conference


def _office_menu(conference_id: int) -> list[tuple[str, str, int]]:
    """The proposal work lists of the left menu, with their counts (the office's desk stays one place)."""
    from xieshang.proposals import selectors as proposal_selectors
    from xieshang.proposals.views import work_menu

    return work_menu(proposal_selectors.work_lists(conference_id))


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _act(request: HttpRequest, back: str, run: Callable[[], str]) -> HttpResponse:
    """Run a button's service call; show its result or refusal as a message after the redirect."""
    try:
        done = run()
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(back)


# ---------------------------------------------------------------------------- member: calendar, one activity


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The 活动 tab: upcoming activities with what they ask of the member, then past ones with the status."""
    conference = _conference(request)
    calendar = selectors.my_calendar(request.user, conference.pk)
    is_member = has_role(request.user, conference.pk, RoleKind.MEMBER)  # type: ignore[arg-type]
    context = {
        "calendar": calendar,
        "tab": "activities",
        "is_member": is_member,
        "code_form": forms.CodeForm(),
    }
    return render(request, "activities/mine.html", context)


def _detail_context(request: HttpRequest, activity: Activity, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    standing = selectors.my_standing(user, activity)
    now = timezone.now()
    expected = activity_rules.can_check_in(user, activity)
    is_open = activity.state == ActivityState.PUBLISHED
    came = standing.attendance is not None and standing.attendance.status in ("present", "late")
    live_leave = standing.leave is not None and standing.leave.state != "refused"
    return {
        "activity": activity,
        "me": standing,
        "expected": expected,
        "can_respond": is_open and standing.invitation is not None and now <= activity.ends_at and not came,
        "can_leave": is_open and expected and not came and not live_leave,
        "window_open": is_open and activity.checkin_opens_at <= now <= activity.checkin_closes_at,
        "can_check_in": is_open and expected and not came,
        "came": came,
        "documents": activity.documents.filter(purpose=ActivityDocument.Purpose.MATERIAL),
        "outcome": getattr(activity, "outcome", None),
        "is_office": activity_rules.can_read_roster(user, activity),
        "leave_form": extra.pop("leave_form", None) or forms.LeaveForm(),
        "code_form": extra.pop("code_form", None) or forms.CodeForm(),
        "tab": "activities",
        **extra,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity as a member sees it: time, place, agenda, materials, my status and my buttons."""
    activity = selectors.get_activity(request.user, pk)
    return render(request, "activities/detail.html", _detail_context(request, activity))


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited member registers or declines."""
    activity = selectors.get_activity(request.user, pk)
    form = forms.RespondForm(request.POST)
    register = form.is_valid() and form.cleaned_data["decision"] == "register"

    def run() -> str:
        services.respond_to_invitation(request.user, activity, register=register)  # type: ignore[arg-type]
        return _("已报名，请按时参加。") if register else _("已回复不参加。如因故不能参加，请提交请假。")

    return _act(request, reverse("activities:detail", args=[pk]), run)


@login_required
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    """The member asks for leave with a reason."""
    activity = selectors.get_activity(request.user, pk)
    form = forms.LeaveForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.request_leave(request.user, activity, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except AppError as error:
            status = apply_error(form, error, default_field="reason")
        else:
            messages.success(request, _("请假申请已提交，等待审批。"))
            return redirect("activities:detail", pk)
    elif request.method == "POST":
        status = 400
    context = _detail_context(request, activity, leave_form=form, leave_failed=status != 200)
    return render(request, "activities/detail.html", context, status=status)


# ---------------------------------------------------------------------------- member: check-in


@login_required
def checkin(request: HttpRequest) -> HttpResponse:
    """Check in by typing the short code shown at the venue."""
    form = forms.CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            attendance = services.check_in_by_code(request.user, form.cleaned_data["code"])  # type: ignore[arg-type]
        except AppError as error:
            status = apply_error(form, error, default_field="code")
        else:
            return _checked_in(request, attendance)
    elif request.method == "POST":
        status = 400
    return render(request, "activities/checkin.html", {"form": form, "tab": "activities"}, status=status)


@login_required
def checkin_qr(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The QR code's link: a confirm button (a GET never writes); the POST checks in."""
    activity = selectors.get_activity(request.user, pk)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            attendance = services.check_in(request.user, activity, code, method=Attendance.Method.QR)  # type: ignore[arg-type]
        except AppError as refused:
            error, status = refused.message, status_of(refused)
        else:
            return _checked_in(request, attendance)
    context = {"activity": activity, "code": code, "error": error, "tab": "activities"}
    return render(request, "activities/checkin_qr.html", context, status=status)


def _checked_in(request: HttpRequest, attendance: Attendance) -> HttpResponse:
    when = timezone.localtime(attendance.checked_in_at).strftime("%H:%M") if attendance.checked_in_at else ""
    if attendance.status == Attendance.Status.LATE:
        messages.warning(request, _("签到成功（%(t)s），已记为迟到。") % {"t": when})
    else:
        messages.success(request, _("签到成功（%(t)s）。") % {"t": when})
    return redirect("activities:detail", attendance.activity_id)


# ---------------------------------------------------------------------------- member: outreach log


@login_required
def outreach(request: HttpRequest) -> HttpResponse:
    """The member's outreach log and the form to add a contact."""
    conference = _conference(request)
    if not has_role(request.user, conference.pk, RoleKind.MEMBER):  # type: ignore[arg-type]
        raise PermissionDenied
    form = forms.OutreachForm(request.POST or None, initial={"contacted_on": today()})
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.log_outreach(
                request.user,  # type: ignore[arg-type]
                conference,
                services.OutreachInput(
                    contact=cd["contact"],
                    contact_kind=cd["contact_kind"],
                    contacted_on=cd["contacted_on"],
                    channel=cd["channel"],
                    topic=cd["topic"],
                    notes=cd["notes"],
                    follow_up=cd["follow_up"],
                ),
            )
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, _("联系群众情况已记录。"))
            return redirect("activities:outreach")
    elif request.method == "POST":
        status = 400
    page = Paginator(selectors.my_outreach(request.user, conference.pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "tab": "activities", "failed": status != 200}
    return render(request, "activities/outreach.html", context, status=status)


@login_required
@require_POST
def outreach_to_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: the contact becomes a proposal draft, opened for editing."""
    item = selectors.get_outreach(request.user, pk)
    try:
        proposal = services.turn_outreach_into_proposal(request.user, item)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
        return redirect("activities:outreach")
    messages.success(request, _("已生成提案草稿，请补充具体建议后提交。"))
    return redirect("proposals:edit", proposal.pk)


# ---------------------------------------------------------------------------- files


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A material or outcome file, for whoever may see its activity."""
    doc = selectors.get_document(request.user, pk)
    try:
        handle = doc.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    inline = doc.original_name.lower().endswith((".pdf", ".jpg", ".jpeg", ".png"))
    return FileResponse(handle, as_attachment=not inline, filename=doc.original_name)


# ---------------------------------------------------------------------------- office: list and form


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    """The office's activities: filter, search, sort, page."""
    conference = _office(request)
    form = forms.ListFilterForm(request.GET)
    cd = form.cleaned_data if form.is_valid() else {}
    qs = selectors.office_activities(
        request.user,
        conference.pk,
        q=(cd.get("q") or "").strip(),
        kind=cd.get("kind") or "",
        state=cd.get("state") or "",
        sort=cd.get("sort") or "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "sort": cd.get("sort") or "",
        "menu": _office_menu(conference.pk),
        "name": "activities",
        "is_staff": has_role(request.user, conference.pk, RoleKind.STAFF),  # type: ignore[arg-type]
    }
    return render(request, "activities/office_list.html", context)


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    """Staff and leaders: the participation rate of each activity kind in a year."""
    conference = _office(request)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    context = {
        "rows": selectors.participation_by_kind(conference.pk, year),
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        "menu": _office_menu(conference.pk),
        "name": "participation",
    }
    return render(request, "activities/participation.html", context)


def _activity_form(request: HttpRequest, conference_id: int, activity: Activity | None) -> forms.ActivityForm:
    kwargs: dict[str, Any] = {
        "committees": selectors.committees([conference_id]),
        "sectors": selectors.sectors([conference_id]),
        "conferences": selectors.joinable_conferences(conference_id),
    }
    if activity is not None:
        local = timezone.localtime
        kwargs["initial"] = {
            "kind": activity.kind,
            "title": activity.title,
            "starts_at": local(activity.starts_at),
            "ends_at": local(activity.ends_at),
            "place": activity.place,
            "agenda": activity.agenda,
            "committee": activity.committee_id,
            "sector": activity.sector_id,
            "half_days": activity.half_days,
            "checkin_opens_at": local(activity.checkin_opens_at),
            "checkin_closes_at": local(activity.checkin_closes_at),
            "late_after": local(activity.late_after),
            "participants": [c.pk for c in activity.participants.all()],
            "version": activity.version,
        }
    if request.method == "POST":
        return forms.ActivityForm(request.POST, request.FILES, **kwargs)
    return forms.ActivityForm(**kwargs)


def _input(cd: dict[str, Any]) -> services.ActivityInput:
    return services.ActivityInput(
        kind=cd["kind"],
        title=cd["title"],
        starts_at=cd["starts_at"],
        ends_at=cd["ends_at"],
        place=cd["place"],
        agenda=cd["agenda"],
        committee_id=cd["committee"].pk if cd.get("committee") else None,
        sector_id=cd["sector"].pk if cd.get("sector") else None,
        half_days=cd.get("half_days") or 1,
        checkin_opens_at=cd.get("checkin_opens_at"),
        checkin_closes_at=cd.get("checkin_closes_at"),
        late_after=cd.get("late_after"),
        participant_ids=[c.pk for c in cd.get("participants") or []],
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Staff create an activity (saved as a draft)."""
    conference = _conference(request)
    if not has_role(request.user, conference.pk, RoleKind.STAFF):  # type: ignore[arg-type]
        raise PermissionDenied
    form = _activity_form(request, conference.pk, None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(
                request.user,  # type: ignore[arg-type]
                conference,
                _input(form.cleaned_data),
                uploads=form.cleaned_data.get("documents") or [],
            )
        except AppError as error:
            status = apply_error(form, error, default_field="documents")
        else:
            messages.success(request, _("活动已保存为草稿。邀请委员后点击“发布”。"))
            return redirect("activities:manage", activity.pk)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "menu": _office_menu(conference.pk), "name": "activities"}
    return render(request, "activities/form.html", context, status=status)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff edit a draft or published activity."""
    activity = selectors.get_managed_activity(request.user, pk)
    form = _activity_form(request, activity.conference_id, activity)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(
                request.user,  # type: ignore[arg-type]
                activity,
                _input(form.cleaned_data),
                version=form.cleaned_data.get("version"),
                uploads=form.cleaned_data.get("documents") or [],
            )
        except AppError as error:
            status = apply_error(form, error, default_field="documents")
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:manage", pk)
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "activity": activity,
        "menu": _office_menu(activity.conference_id),
        "name": "activities",
    }
    return render(request, "activities/form.html", context, status=status)


# ---------------------------------------------------------------------------- office: one activity


def _manage_context(request: HttpRequest, activity: Activity, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    rows = selectors.roster(activity)
    return {
        "activity": activity,
        "rows": rows,
        "counts": selectors.roster_counts(rows),
        "pending": selectors.pending_leaves(activity),
        "is_staff": activity_rules.can_manage_activity(user, activity),
        "is_approver": activity_rules.can_decide_leave(user, activity),
        "approver_label": _("主席（领导）")
        if activity.kind in activity_rules.LEADER_APPROVED_KINDS
        else (_("专委会主任") if activity.committee and activity.committee.head_id else _("机关工作人员")),
        "speeches": selectors.speeches(activity),
        "outcome": getattr(activity, "outcome", None),
        "documents": activity.documents.all(),
        "participants": activity.participants.all(),
        "speech_form": extra.pop("speech_form", None)
        or forms.SpeechForm(people=selectors.possible_speakers(activity)),
        "outcome_form": extra.pop("outcome_form", None) or _outcome_form(activity),
        "cancel_form": forms.CancelForm(initial={"version": activity.version}),
        "statuses": Attendance.Status.choices,
        "events": timeline("activity", activity.pk),
        "menu": _office_menu(activity.conference_id),
        "name": "activities",
        **extra,
    }


def _outcome_form(activity: Activity, data: Any = None, files: Any = None) -> forms.OutcomeForm:
    outcome = getattr(activity, "outcome", None)
    initial = {"minutes": outcome.minutes, "suggestions": outcome.suggestions} if outcome else {}
    return forms.OutcomeForm(data, files, initial=initial)


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's page of one activity: who registered, asked for leave, came; actions by state."""
    activity = selectors.get_roster_activity(request.user, pk)
    return render(request, "activities/manage.html", _manage_context(request, activity))


OFFICE_ACTIONS = {"publish", "cancel", "close", "regenerate_code"}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish, cancel, close, or renew the check-in code."""
    if action not in OFFICE_ACTIONS:
        raise Http404
    user: Any = request.user
    activity = selectors.get_managed_activity(user, pk)
    raw_version = request.POST.get("version", "")
    version = int(raw_version) if raw_version.isdigit() else None

    def run() -> str:
        if action == "publish":
            done = services.publish_activity(user, activity, version=version)
            return _("活动已发布，签到码 %(c)s。") % {"c": done.checkin_code}
        if action == "cancel":
            services.cancel_activity(user, activity, reason=request.POST.get("reason", ""), version=version)
            return _("活动已取消。")
        if action == "close":
            services.close_activity(user, activity, version=version)
            return _("活动已结束，出席情况已统计。")
        done = services.regenerate_code(user, activity)
        return _("签到码已更换为 %(c)s。") % {"c": done.checkin_code}

    return _act(request, reverse("activities:manage", args=[pk]), run)


@login_required
@require_POST
def decide_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """The named approver grants or refuses a leave request."""
    user: Any = request.user
    leave_request = selectors.get_leave(user, pk)
    form = forms.DecisionForm(request.POST)
    approve = form.is_valid() and form.cleaned_data["decision"] == "approve"
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""

    def run() -> str:
        services.decide_leave(user, leave_request, approve=approve, note=note)
        return _("已准假。") if approve else _("已不准假。")

    return _act(request, reverse("activities:manage", args=[leave_request.activity_id]), run)


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record a member's attendance by hand."""
    user: Any = request.user
    activity = selectors.get_managed_activity(user, pk)
    form = forms.MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("提交的内容有误，请检查后重试。"))
        return redirect("activities:manage", pk)

    def run() -> str:
        a = services.mark_attendance(
            user, activity, form.cleaned_data["user"], status=form.cleaned_data["status"]
        )
        return _("已登记：%(u)s %(s)s。") % {"u": a.user, "s": a.get_status_display()}

    return _act(request, reverse("activities:manage", args=[pk]), run)


@login_required
@require_POST
def speech(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record a speech or written speech."""
    user: Any = request.user
    activity = selectors.get_managed_activity(user, pk)
    form = forms.SpeechForm(request.POST, people=selectors.possible_speakers(activity))
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.record_speech(
                user, activity, cd["user"].pk, kind=cd["kind"], title=cd["title"], text=cd["text"]
            )
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, _("发言已记录。"))
            return redirect("activities:manage", pk)
    context = _manage_context(request, activity, speech_form=form, failed="speech")
    return render(request, "activities/manage.html", context, status=status)


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff attach the minutes, the suggestion list and outcome files."""
    user: Any = request.user
    activity = selectors.get_managed_activity(user, pk)
    form = _outcome_form(activity, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.save_outcome(
                user,
                activity,
                minutes=cd["minutes"],
                suggestions=cd["suggestions"],
                uploads=cd.get("attachments") or [],
            )
        except AppError as error:
            status = apply_error(form, error, default_field="attachments")
        else:
            messages.success(request, _("活动成果已保存。"))
            return redirect("activities:manage", pk)
    context = _manage_context(request, activity, outcome_form=form, failed="outcome")
    return render(request, "activities/manage.html", context, status=status)


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite by committee, sector, party or standing members, or pick from a talent-pool search."""
    user: Any = request.user
    activity = selectors.get_managed_activity(user, pk)
    confs = activity_rules.conference_ids_of(activity)
    group_form = forms.GroupInviteForm(
        request.POST if request.POST.get("mode") == "group" else None,
        committees=selectors.committees(confs),
        sectors=selectors.sectors(confs),
        parties=selectors.parties(confs),
    )
    if request.method == "POST":
        ids: list[int] = []
        if request.POST.get("mode") == "group":
            if group_form.is_valid():
                cd = group_form.cleaned_data
                chosen = [cd.get("committee"), cd.get("sector"), cd.get("party")]
                if any(chosen) or cd.get("standing"):
                    qs = talent_pool(
                        confs,
                        committee_id=cd["committee"].pk if cd.get("committee") else None,
                        sector_id=cd["sector"].pk if cd.get("sector") else None,
                        party_id=cd["party"].pk if cd.get("party") else None,
                        standing=True if cd.get("standing") else None,
                    )
                    ids = list(qs.values_list("user_id", flat=True))
        else:
            ids = [int(v) for v in request.POST.getlist("members") if v.isdigit()]

        def run() -> str:
            created = services.invite_members(user, activity, ids)
            return _("已邀请 %(n)s 位委员。") % {"n": len(created)}

        return _act(request, reverse("activities:invite", args=[pk]), run)
    search = forms.PoolSearchForm(request.GET)
    cd = search.cleaned_data if search.is_valid() else {}
    pool = talent_pool(
        confs,
        q=(cd.get("q") or "").strip(),
        committee_id=cd.get("committee"),
        sector_id=cd.get("sector"),
        party_id=cd.get("party"),
    )
    page = Paginator(pool, POOL_PAGE_SIZE).get_page(request.GET.get("page"))
    invited = set(activity.invitations.values_list("user_id", flat=True))
    context = {
        "activity": activity,
        "group_form": group_form,
        "search": search,
        "page": page,
        "invited": invited,
        "committees": selectors.committees(confs),
        "sectors": selectors.sectors(confs),
        "parties": selectors.parties(confs),
        "menu": _office_menu(activity.conference_id),
        "name": "activities",
    }
    return render(request, "activities/invite.html", context)


@login_required
def qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The page staff project at the venue: the code in large type and its QR code."""
    activity = selectors.get_roster_activity(request.user, pk)
    if activity.state != ActivityState.PUBLISHED or not activity.checkin_code:
        raise Http404
    url = request.build_absolute_uri(
        reverse("activities:checkin_qr", args=[activity.pk, activity.checkin_code])
    )
    context = {"activity": activity, "url": url, "svg": exports.qr_svg(url)}
    return render(request, "activities/qr.html", context)


@login_required
def attendance_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet as Excel."""
    activity = selectors.get_roster_activity(request.user, pk)
    content = exports.attendance_xlsx(activity, selectors.roster(activity))
    return _download(content, f"出席情况-{activity.title}.xlsx", XLSX)


@login_required
def signin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable sign-in sheet as PDF."""
    activity = selectors.get_roster_activity(request.user, pk)
    content = exports.signin_pdf(activity, selectors.roster(activity))
    return _download(content, f"签到表-{activity.title}.pdf", "application/pdf")

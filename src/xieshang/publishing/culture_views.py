"""Pages of culture work: the office's projects, awards and friends; nominating (members and staff);
the jury's scoring page; a friend's own page; and the portal's culture page with published results.
Thin adapters over culture.py and friends.py: parse, call, render; a refused write re-renders the form
with the message beside it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.audit.selectors import timeline
from xieshang.core.dates import today
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error

from . import archive, culture, friends, selectors
from .models import ArticleKind, Award, AwardState, CultureProject, CultureProjectKind, WinnerRule

PAGE_SIZE = 25
QUERY_MAX = 100

# ---------------------------------------------------------------------------- forms


def _text(label: Any, *, rows: int = 0, maxlength: int = 200, required: bool = False) -> forms.CharField:
    attrs = {"class": "form-control", "maxlength": str(maxlength)}
    if rows:
        attrs["rows"] = str(rows)
        widget: forms.Widget = forms.Textarea(attrs=attrs)
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, strip=True, widget=widget)


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=gettext_lazy("年度"),
        min_value=1950,
        max_value=2099,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class ProjectForm(forms.Form):
    """A culture project: what, when, where, who takes part, and the activity that runs it."""

    title = _text(gettext_lazy("项目名称"), required=True)
    kind = forms.ChoiceField(
        label=gettext_lazy("类别"),
        choices=CultureProjectKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    year = _year_field()
    starts_on = forms.DateField(
        label=gettext_lazy("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )
    place = _text(gettext_lazy("地点"), maxlength=100)
    description = _text(gettext_lazy("项目简介"), rows=4, maxlength=5000)
    activity = forms.ModelChoiceField(
        label=gettext_lazy("对应活动（可选）"),
        queryset=CultureProject.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    participants = forms.ModelMultipleChoiceField(
        label=gettext_lazy("参与的委员和政协之友"),
        queryset=CultureProject.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": "8"}),
    )

    def __init__(self, *args: Any, conference_id: int, **kwargs: Any) -> None:
        from xieshang.activities.models import Activity

        super().__init__(*args, **kwargs)
        activity: Any = self.fields["activity"]
        activity.queryset = Activity.objects.filter(conference_id=conference_id).order_by("-starts_at")[:200]
        people: Any = self.fields["participants"]
        people.queryset = culture.eligible_people(conference_id)


class AwardForm(forms.Form):
    """An award's name, year, description and winner rule."""

    name = _text(gettext_lazy("奖项名称"), maxlength=100, required=True)
    year = _year_field()
    description = _text(gettext_lazy("评选说明"), rows=3, maxlength=5000)
    rule = forms.ChoiceField(
        label=gettext_lazy("获奖规则"),
        choices=WinnerRule.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    top_n = forms.IntegerField(
        label=gettext_lazy("获奖名额（按名次时）"),
        min_value=1,
        max_value=100,
        initial=3,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    min_score = forms.DecimalField(
        label=gettext_lazy("分数线（按分数线时）"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=85,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class JurorsForm(forms.Form):
    jurors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("评委"),
        queryset=Award.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": "8"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class NominationForm(forms.Form):
    """A project or a person, and why."""

    project = forms.ModelChoiceField(
        label=gettext_lazy("文化项目"),
        queryset=CultureProject.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    person = forms.ModelChoiceField(
        label=gettext_lazy("或：被提名人（委员、政协之友）"),
        queryset=CultureProject.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = _text(gettext_lazy("提名理由"), rows=4, maxlength=5000, required=True)

    def __init__(self, *args: Any, award: Award, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project: Any = self.fields["project"]
        project.queryset = CultureProject.objects.filter(conference_id=award.conference_id).order_by(
            "-year", "title"
        )
        person: Any = self.fields["person"]
        person.queryset = culture.eligible_people(award.conference_id)


class ScoreForm(forms.Form):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.IntegerField(
        label=gettext_lazy("分数"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "numeric", "placeholder": "0–100"}
        ),
    )
    comment = _text(gettext_lazy("评语"), maxlength=300)


class FriendForm(forms.Form):
    name = _text(gettext_lazy("姓名"), maxlength=50, required=True)
    phone = _text(gettext_lazy("手机（登录账号）"), maxlength=20, required=True)
    expertise = _text(gettext_lazy("专长"))
    notes = _text(gettext_lazy("备注"), rows=2, maxlength=2000)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=QUERY_MAX)
    year = forms.IntegerField(required=False, min_value=1950, max_value=2099)


# ---------------------------------------------------------------------------- helpers


def _conference_id(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return int(conference.pk)


def _office(request: HttpRequest) -> int:
    """The current conference, for its staff and leaders only."""
    conference_id = _conference_id(request)
    if not culture.can_view_office(request.user, conference_id):
        raise PermissionDenied
    return conference_id


def _staff(request: HttpRequest) -> int:
    """The current conference, for its staff only."""
    conference_id = _conference_id(request)
    if not culture.is_culture_staff(request.user, conference_id):
        raise PermissionDenied
    return conference_id


def _context(request: HttpRequest, conference_id: int, sub: str) -> dict[str, Any]:
    return {
        "menu": [],
        "name": "culture",
        "sub": sub,
        "can_manage": culture.is_culture_staff(request.user, conference_id),
    }


def _chart(counts: culture.ProjectCounts) -> dict[str, Any]:
    return {
        "years": [str(y) for y, _n in counts.by_year],
        "counts": [n for _y, n in counts.by_year],
        "kinds": [[label, n] for label, n in counts.by_kind],
    }


def _project_input(cd: dict[str, Any]) -> culture.ProjectInput:
    activity = cd.get("activity")
    return culture.ProjectInput(
        title=cd["title"],
        kind=cd["kind"],
        year=cd["year"],
        description=cd.get("description") or "",
        place=cd.get("place") or "",
        starts_on=cd.get("starts_on"),
        activity_id=activity.pk if activity else None,
    )


def _award_input(cd: dict[str, Any]) -> culture.AwardInput:
    return culture.AwardInput(
        name=cd["name"],
        year=cd["year"],
        description=cd.get("description") or "",
        rule=cd["rule"],
        top_n=cd["top_n"],
        min_score=cd["min_score"],
    )


# ---------------------------------------------------------------------------- projects (office)


@login_required
def culture_home(request: HttpRequest) -> HttpResponse:
    """The conference's culture projects: the count since the first year, per year, and the list."""
    conference_id = _office(request)
    form = SearchForm(request.GET)
    cd = form.cleaned_data if form.is_valid() else {}
    qs = culture.office_projects(
        request.user, conference_id, year=cd.get("year"), q=(cd.get("q") or "").strip()
    )
    counts = culture.project_counts(conference_id)
    context = {
        "form": form,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "counts": counts,
        "chart": _chart(counts),
        **_context(request, conference_id, "projects"),
    }
    return render(request, "publishing/culture/projects.html", context)


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    """Staff plan a project."""
    conference_id = _staff(request)
    form = ProjectForm(request.POST or None, initial={"year": today().year}, conference_id=conference_id)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                project = culture.create_project(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    _project_input(form.cleaned_data),
                    form.cleaned_data["participants"],
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("文化项目已保存。"))
                return redirect("publishing:culture_project", project.pk)
    context = {"form": form, "project": None, **_context(request, conference_id, "projects")}
    return render(request, "publishing/culture/project_form.html", context, status=status)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One project: what, who, the activity that runs it, its nominations; staff edit it here."""
    project = culture.get_project(request.user, pk)
    context = {
        "project": project,
        "participants": project.participants.order_by("display_name", "username"),
        "nominations": project.nominations.select_related("award"),
        "events": timeline("cultureproject", project.pk),
        **_context(request, project.conference_id, "projects"),
    }
    return render(request, "publishing/culture/project.html", context)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change a project and its participants."""
    project = culture.get_project(request.user, pk)
    if not culture.is_culture_staff(request.user, project.conference_id):
        raise PermissionDenied
    initial = {
        "title": project.title,
        "kind": project.kind,
        "year": project.year,
        "starts_on": project.starts_on,
        "place": project.place,
        "description": project.description,
        "activity": project.activity_id,
        "participants": list(project.participants.values_list("pk", flat=True)),
    }
    form = ProjectForm(request.POST or None, initial=initial, conference_id=project.conference_id)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                culture.update_project(
                    request.user,  # type: ignore[arg-type]
                    project,
                    _project_input(form.cleaned_data),
                    form.cleaned_data["participants"],
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("publishing:culture_project", project.pk)
    context = {"form": form, "project": project, **_context(request, project.conference_id, "projects")}
    return render(request, "publishing/culture/project_form.html", context, status=status)


@login_required
@require_POST
def project_public(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff show a project on the portal or take it off."""
    project = culture.get_project(request.user, pk)
    try:
        culture.set_project_public(
            request.user,  # type: ignore[arg-type]
            project,
            public=request.POST.get("public") == "1",
        )
    except AppError as error:
        messages.error(request, error.message)
    return redirect("publishing:culture_project", project.pk)


# ---------------------------------------------------------------------------- awards (office)


@login_required
def award_list(request: HttpRequest) -> HttpResponse:
    """The conference's awards; staff set up a new one here."""
    conference_id = _office(request)
    form = AwardForm(
        request.POST or None,
        initial={"year": today().year, "name": _("文化公益奖"), "rule": WinnerRule.TOP},
    )
    status = 200
    if request.method == "POST":
        if not culture.is_culture_staff(request.user, conference_id):
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                award = culture.create_award(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    _award_input(form.cleaned_data),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("奖项已设立，开始提名。"))
                return redirect("publishing:award", award.pk)
    context = {
        "awards": culture.office_awards(request.user, conference_id),
        "form": form,
        **_context(request, conference_id, "awards"),
    }
    return render(request, "publishing/culture/awards.html", context, status=status)


def _award_context(request: HttpRequest, award: Award, **forms_: Any) -> dict[str, Any]:
    staff = culture.is_culture_staff(request.user, award.conference_id)
    settings_form = forms_.get("settings") or AwardForm(
        initial={
            "name": award.name,
            "year": award.year,
            "description": award.description,
            "rule": award.rule,
            "top_n": award.top_n,
            "min_score": award.min_score,
            "version": award.version,
        }
    )
    jurors_form = forms_.get("jurors") or JurorsForm(
        initial={"jurors": list(award.jurors.values_list("pk", flat=True)), "version": award.version}
    )
    field: Any = jurors_form.fields["jurors"]
    field.queryset = culture.eligible_jurors(award.conference_id)
    jurors = list(award.jurors.order_by("display_name", "username"))
    rows: list[dict[str, Any]] = []
    missing = 0
    for nomination in culture.nominations(award):
        by_juror = {s.juror_id: s for s in nomination.scores.all()}
        scores = [by_juror.get(j.pk) for j in jurors]
        missing += scores.count(None)
        rows.append({"nomination": nomination, "scores": scores})
    return {
        "award": award,
        "jurors": jurors,
        "rows": rows,
        "missing": missing,
        "actions": [
            (a, culture.TRANSITIONS[a].label) for a in culture.available_actions(request.user, award)
        ],
        "can_edit_settings": staff and award.state in {AwardState.NOMINATING, AwardState.SCORING},
        "can_edit_jurors": staff and award.state == AwardState.NOMINATING,
        "can_nominate": staff and award.state == AwardState.NOMINATING,
        "settings_form": settings_form,
        "jurors_form": jurors_form,
        "nomination_form": forms_.get("nomination") or NominationForm(award=award),
        "events": timeline("award", award.pk),
        **_context(request, award.conference_id, "awards"),
    }


@login_required
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One award: settings, jury, nominations with every juror's score, results and actions."""
    award = culture.get_award(request.user, pk)
    return render(request, "publishing/culture/award.html", _award_context(request, award))


@login_required
@require_POST
def award_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change the award's name, description and winner rule."""
    award = culture.get_award(request.user, pk)
    form = AwardForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            culture.update_award(
                request.user,  # type: ignore[arg-type]
                award,
                _award_input(form.cleaned_data),
                version=form.cleaned_data.get("version"),
            )
        except AppError as error:
            status = apply_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("publishing:award", award.pk)
    context = _award_context(request, award, settings=form)
    return render(request, "publishing/culture/award.html", context, status=status)


@login_required
@require_POST
def award_jurors(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff name the jury."""
    award = culture.get_award(request.user, pk)
    form = JurorsForm(request.POST)
    field: Any = form.fields["jurors"]
    field.queryset = culture.eligible_jurors(award.conference_id)
    status = 400
    if form.is_valid():
        try:
            culture.set_jurors(
                request.user,  # type: ignore[arg-type]
                award,
                form.cleaned_data["jurors"],
                version=form.cleaned_data.get("version"),
            )
        except AppError as error:
            status = apply_error(form, error, "jurors")
        else:
            messages.success(request, _("评委已确定。"))
            return redirect("publishing:award", award.pk)
    context = _award_context(request, award, jurors=form)
    return render(request, "publishing/culture/award.html", context, status=status)


@login_required
@require_POST
def award_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Open scoring, decide, reopen, publish or take down the results."""
    award = culture.get_award(request.user, pk)
    service = culture.ACTIONS.get(action)
    if service is None:
        raise Http404
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() else None
    try:
        service(request.user, award, version=version)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已%(label)s。") % {"label": culture.TRANSITIONS[action].label})
    return redirect("publishing:award", award.pk)


# ---------------------------------------------------------------------------- nominating and scoring


def _nominate(request: HttpRequest, award: Award) -> tuple[NominationForm, int] | None:
    """Handle a posted nomination; None when it was saved."""
    form = NominationForm(request.POST, award=award)
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            culture.nominate(
                request.user,  # type: ignore[arg-type]
                award,
                reason=cd["reason"],
                project=cd.get("project"),
                person=cd.get("person"),
            )
        except AppError as error:
            status = apply_error(form, error, "project")
        else:
            messages.success(request, _("提名已提交。"))
            return None
    return form, status


@login_required
@require_POST
def award_nominate_office(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff nominate from the award's page."""
    award = culture.get_award(request.user, pk)
    failed = _nominate(request, award)
    if failed is None:
        return redirect("publishing:award", award.pk)
    form, status = failed
    context = _award_context(request, award, nomination=form)
    return render(request, "publishing/culture/award.html", context, status=status)


@login_required
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """A member (or staff) nominates a project or a person for an award taking nominations."""
    award = culture.get_nominating_award(request.user, pk)
    form = NominationForm(award=award)
    status = 200
    if request.method == "POST":
        failed = _nominate(request, award)
        if failed is None:
            return redirect("publishing:culture_mine")
        form, status = failed
    mine = award.nominations.filter(nominated_by_id=request.user.pk).select_related("project", "person")
    context = {"award": award, "form": form, "mine": mine, "is_open": award.state == AwardState.NOMINATING}
    return render(request, "publishing/culture/nominate.html", context, status=status)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, nomination_id: int) -> HttpResponse:
    """Staff or the nominator withdraw a nomination while nominations are open."""
    award = culture.get_nominating_award(request.user, pk)
    nomination = culture.get_nomination(award, nomination_id)
    try:
        culture.withdraw_nomination(request.user, nomination)  # type: ignore[arg-type]
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("提名已撤回。"))
    if culture.is_culture_staff(request.user, award.conference_id):
        return redirect("publishing:award", award.pk)
    return redirect("publishing:culture_nominate", award.pk)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """评审与提名: awards the user judges and awards open for the user's nominations."""
    conference_id = _conference_id(request)
    context = {
        "jury": culture.jury_awards(request.user),
        "open": culture.open_awards(request.user, conference_id),
    }
    return render(request, "publishing/culture/mine.html", context)


@login_required
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """A juror's page: every nomination with their own score, editable until the jury closes."""
    award = culture.get_jury_award(request.user, pk)
    status = 200
    failed: dict[int, ScoreForm] = {}
    if request.method == "POST":
        nomination_id = request.POST.get("nomination", "")
        key = int(nomination_id) if nomination_id.isdigit() else 0
        form = ScoreForm(request.POST, auto_id=f"id_{key}_%s")
        status = 400
        if form.is_valid():
            nomination = culture.get_nomination(award, form.cleaned_data["nomination"])
            try:
                culture.score_nomination(
                    request.user,  # type: ignore[arg-type]
                    nomination,
                    form.cleaned_data["value"],
                    form.cleaned_data["comment"],
                )
            except AppError as error:
                status = apply_error(form, error, "value")
            else:
                messages.success(request, _("已为“%(label)s”打分。") % {"label": nomination.label})
                return redirect("publishing:award_score", award.pk)
        failed[key] = form
    scores = culture.my_scores(request.user, award)
    rows = []
    for nomination in culture.nominations(award):
        own = scores.get(nomination.pk)
        form = failed.get(nomination.pk) or ScoreForm(
            initial={
                "nomination": nomination.pk,
                "value": own.value if own else None,
                "comment": own.comment if own else "",
            },
            auto_id=f"id_{nomination.pk}_%s",
        )
        rows.append({"nomination": nomination, "score": own, "form": form})
    context = {
        "award": award,
        "rows": rows,
        "is_open": award.state == AwardState.SCORING,
        "done": sum(1 for r in rows if r["score"]),
    }
    return render(request, "publishing/culture/score.html", context, status=status)


# ---------------------------------------------------------------------------- friends (office)


@login_required
def friend_list(request: HttpRequest) -> HttpResponse:
    """The conference's friends; staff add one here and see the first password once."""
    conference_id = _office(request)
    form = FriendForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not culture.is_culture_staff(request.user, conference_id):
            raise PermissionDenied
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                friend, password = friends.create_friend(
                    request.user,  # type: ignore[arg-type]
                    request.conference,  # type: ignore[attr-defined]
                    friends.FriendInput(cd["name"], cd["phone"], cd["expertise"], cd["notes"]),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "已添加政协之友%(name)s。登录账号：%(username)s，初始密码：%(password)s（仅显示这一次）"
                    )
                    % {"name": friend.name, "username": friend.user.username, "password": password},
                )
                return redirect("publishing:friend", friend.pk)
    q = request.GET.get("q", "").strip()[:QUERY_MAX]
    qs = friends.office_friends(request.user, conference_id, q)
    context = {
        "form": form,
        "q": q,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        **_context(request, conference_id, "friends"),
    }
    return render(request, "publishing/culture/friends.html", context, status=status)


@login_required
def friend_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One friend: the record (staff correct it), their projects and contributions, account actions."""
    friend = friends.get_friend(request.user, pk)
    form = FriendForm(
        request.POST or None,
        initial={
            "name": friend.name,
            "phone": friend.phone,
            "expertise": friend.expertise,
            "notes": friend.notes,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                friends.update_friend(
                    request.user,  # type: ignore[arg-type]
                    friend,
                    friends.FriendInput(cd["name"], cd["phone"], cd["expertise"], cd["notes"]),
                )
            except AppError as error:
                status = apply_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("publishing:friend", friend.pk)
    context = {
        "friend": friend,
        "form": form,
        "projects": friends.my_projects(friend.user, friend.conference_id),
        "items": friends.my_items(friend.user, friend.conference_id)[:20],
        "events": timeline("friend", friend.pk),
        **_context(request, friend.conference_id, "friends"),
    }
    return render(request, "publishing/culture/friend.html", context, status=status)


@login_required
@require_POST
def friend_account(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Staff stop or restore a friend's access, or reset the password (shown once)."""
    friend = friends.get_friend(request.user, pk)
    user: Any = request.user
    try:
        if action == "deactivate":
            friends.set_friend_active(user, friend, active=False)
            messages.success(request, _("账号已停用。"))
        elif action == "activate":
            friends.set_friend_active(user, friend, active=True)
            messages.success(request, _("账号已恢复。"))
        elif action == "reset":
            password = friends.reset_password(user, friend)
            messages.success(request, _("新密码：%(password)s（仅显示这一次）") % {"password": password})
        else:
            raise Http404
    except AppError as error:
        messages.error(request, error.message)
    return redirect("publishing:friend", friend.pk)


# ---------------------------------------------------------------------------- a friend's own page


@login_required
def friend_home(request: HttpRequest) -> HttpResponse:
    """A friend's page: their culture projects, open solicitations to contribute to, their
    contributions and their awards."""
    conference_id = _conference_id(request)
    if not friends.is_friend(request.user, conference_id):
        raise PermissionDenied
    context = {
        "projects": friends.my_projects(request.user, conference_id),
        "solicitations": archive.open_solicitations(conference_id),
        "items": friends.my_items(request.user, conference_id)[:50],
        "awards": friends.my_awards(request.user, conference_id),
        "jury": culture.jury_awards(request.user).filter(conference_id=conference_id),
    }
    return render(request, "publishing/culture/friend_home.html", context)


# ---------------------------------------------------------------------------- the public portal


def _portal(code: str) -> tuple[int, dict[str, Any]]:
    conference = selectors.get_portal_conference(code)
    return int(conference.pk), {"portal": conference, "kinds": ArticleKind.choices, "section": "culture"}


def public_culture(request: HttpRequest, code: str) -> HttpResponse:
    """The portal's culture page: projects counted per year, the published projects and award results."""
    conference_id, context = _portal(code)
    counts = culture.project_counts(conference_id, public_only=True)
    context |= {
        "counts": counts,
        "chart": _chart(counts),
        "awards": culture.public_awards(conference_id)[:10],
        "page": Paginator(culture.public_projects(conference_id), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
    }
    return render(request, "publishing/culture/public.html", context)


def public_award(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A published award's results (404 until staff publish them)."""
    conference_id, context = _portal(code)
    award = culture.get_public_award(conference_id, pk)
    context |= {"award": award, "results": culture.public_results(award)}
    return render(request, "publishing/culture/public_award.html", context)

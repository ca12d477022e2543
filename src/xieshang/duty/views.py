"""Duty pages: thin adapters over services and selectors (parse, call, render)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.conferences.models import Conference
from xieshang.core.dates import today
from xieshang.core.errors import AppError
from xieshang.core.formerrors import apply_error, status_of

from . import exports, selectors, services
from .forms import AdjustmentForm, RuleSetForm
from .models import EventKind
from .rulesets import BUILTIN, active_rules, load_builtin

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _conference(request: HttpRequest) -> Conference:
    conference = getattr(request, "conference", None)
    if conference is None:
        raise PermissionDenied
    return conference  # type: ignore[no-any-return]


def _year(raw: Any) -> int:
    text = str(raw or "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else today().year


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def _refuse(error: AppError) -> PermissionDenied:
    return PermissionDenied(error.message)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# ---------------------------------------------------------------------------- member


@login_required
def record(request: HttpRequest) -> HttpResponse:
    """The member's duty record (履职档案): this year's points by category, each event, warnings."""
    conference = _conference(request)
    try:
        card = selectors.my_card(request.user, conference, _year(request.GET.get("year")))
    except AppError as error:
        raise _refuse(error) from error
    return render(request, "duty/record.html", {"card": card, "tab": "me"})


def _card_for(request: HttpRequest, year: int, user_id: int | None) -> selectors.Card:
    conference = _conference(request)
    try:
        if user_id is None:
            return selectors.my_card(request.user, conference, year)
        return selectors.member_card(request.user, conference, user_id, year)
    except AppError as error:
        raise _refuse(error) from error


@login_required
def card(request: HttpRequest, year: int, user_id: int | None = None) -> HttpResponse:
    """The annual report card (履职成绩单), printable; staff and leaders may open any member's."""
    c = _card_for(request, year, user_id)
    return render(request, "duty/card.html", {"card": c, "tab": "me", "office": user_id is not None})


@login_required
def card_docx(request: HttpRequest, year: int, user_id: int | None = None) -> HttpResponse:
    """The report card as .docx."""
    c = _card_for(request, year, user_id)
    return _download(exports.card_docx(c), f"履职成绩单-{c.user}-{year}.docx", DOCX)


@login_required
def card_pdf(request: HttpRequest, year: int, user_id: int | None = None) -> HttpResponse:
    """The report card as .pdf with the Chinese font embedded."""
    c = _card_for(request, year, user_id)
    return _download(exports.card_pdf(c), f"履职成绩单-{c.user}-{year}.pdf", "application/pdf")


# ---------------------------------------------------------------------------- office


def _office(request: HttpRequest) -> Conference:
    conference = _conference(request)
    try:
        selectors.require_office(request.user, conference.pk)
    except AppError as error:
        raise _refuse(error) from error
    return conference


def _ranking_args(request: HttpRequest) -> dict[str, Any]:
    return {
        "q": request.GET.get("q", "").strip()[:50],
        "committee_id": _int(request.GET.get("committee")),
        "sector_id": _int(request.GET.get("sector")),
        "sort": request.GET.get("sort", "-total"),
    }


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """Members ranked by the year's score, by conference, committee or sector; search, sort, pages."""
    conference = _office(request)
    year = _year(request.GET.get("year"))
    args = _ranking_args(request)
    qs = selectors.ranking(request.user, conference.pk, year, **args)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    group = request.GET.get("group", "")
    context = {
        "page": page,
        "offset": (page.number - 1) * PAGE_SIZE,
        "year": year,
        "args": args,
        "group": group,
        "groups": selectors.group_averages(request.user, conference.pk, year, group) if group else [],
        "name": "duty_ranking",
        **selectors.filter_choices(conference.pk),
    }
    return render(request, "duty/ranking.html", context)


@login_required
def ranking_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered ranking as .xlsx."""
    conference = _office(request)
    year = _year(request.GET.get("year"))
    qs = selectors.ranking(request.user, conference.pk, year, **_ranking_args(request))
    return _download(exports.ranking_xlsx(qs), f"履职排名-{conference.short_name}-{year}.xlsx", XLSX)


@login_required
def index_list(request: HttpRequest) -> HttpResponse:
    """The three indices (亲密、能力、绩效) of every member for a year, sortable by each."""
    conference = _office(request)
    year = _year(request.GET.get("year"))
    sort, q = request.GET.get("sort", ""), request.GET.get("q", "").strip()[:50]
    rows = selectors.index_table(request.user, conference.pk, year, sort=sort, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = [(v.code, v.label) for v in rows[0].indices] if rows else []
    context = {"page": page, "year": year, "sort": sort, "q": q, "labels": labels, "name": "duty_indices"}
    return render(request, "duty/indices.html", context)


@login_required
def warnings(request: HttpRequest) -> HttpResponse:
    """Members with a warning this year (批评提醒, 审议委员资格, 不再续聘提名…)."""
    conference = _office(request)
    year = _year(request.GET.get("year"))
    qs = selectors.ranking(request.user, conference.pk, year, sort="-warnings", warnings_only=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "duty/warnings.html", {"page": page, "year": year, "name": "duty_warnings"})


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """Rule-set versions and the editor: saving adds a version and recomputes the year."""
    conference = _office(request)
    year = _year(request.POST.get("year") or request.GET.get("year"))
    status = 200
    if request.method == "POST":
        form = RuleSetForm(request.POST)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                rule_set = services.save_rule_set(
                    request.user,  # type: ignore[arg-type]
                    conference,
                    year=cd["year"],
                    name=cd["name"],
                    rules=cd["rules"],
                    note=cd["note"],
                )
            except AppError as error:
                status = _rule_errors(form, error)
            else:
                messages.success(
                    request,
                    _("已保存第 %(v)s 版积分细则，正在重新计算 %(y)s 年度积分。")
                    % {"v": rule_set.version, "y": rule_set.year},
                )
                return redirect(f"{request.path}?year={rule_set.year}")
        else:
            status = 400
    else:
        base = request.GET.get("base", "")
        current, current_rules = active_rules(conference.pk, year)
        start = load_builtin(base) if base in BUILTIN else current_rules
        form = RuleSetForm(
            initial={
                "year": year,
                "name": start.get("name", "") if base or current is None else current.name,
                "rules": json.dumps(start, ensure_ascii=False, indent=2),
            }
        )
    try:
        versions = selectors.rule_sets(request.user, conference.pk)
    except AppError as error:
        raise _refuse(error) from error
    context = {
        "form": form,
        "year": year,
        "versions": versions,
        "builtin": BUILTIN,
        "kinds": EventKind.choices,
        "name": "duty_rules",
        "can_edit": _is_staff(request, conference),
    }
    return render(request, "duty/rules.html", context, status=status)


def _rule_errors(form: RuleSetForm, error: AppError) -> int:
    """Every bad key of the JSON beside the editor, one line each."""
    for key, message in error.fields.items():
        if key.startswith("rules") or key not in form.fields:
            form.add_error("rules", f"{key}：{message}")
        else:
            form.add_error(key, message)
    if not error.fields:
        form.add_error(None, error.message)
    return status_of(error)


def _is_staff(request: HttpRequest, conference: Conference) -> bool:
    try:
        selectors.require_staff(request.user, conference.pk)
    except AppError:
        return False
    return True


@login_required
def adjust(request: HttpRequest) -> HttpResponse:
    """Staff add or deduct points for a member, with a reason (audited)."""
    conference = _conference(request)
    try:
        selectors.require_staff(request.user, conference.pk)
    except AppError as error:
        raise _refuse(error) from error
    members = selectors.members(conference.pk)
    form = AdjustmentForm(request.POST or None, members=members)
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            event = services.adjust_points(
                request.user,  # type: ignore[arg-type]
                conference,
                user_id=cd["user"].pk,
                points=cd["points"],
                reason=cd["reason"],
                occurred_on=cd.get("occurred_on"),
            )
        except AppError as error:
            status = apply_error(form, error, default_field="reason")
        else:
            messages.success(request, _("已为 %(u)s 调整积分。") % {"u": cd["user"]})
            return redirect(f"{request.path}?year={event.year}")
    elif request.method == "POST":
        status = 400
    return render(request, "duty/adjust.html", {"form": form, "name": "duty_adjust"}, status=status)


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    """Staff recompute the year now."""
    conference = _conference(request)
    year = _year(request.POST.get("year"))
    try:
        count = services.recompute_year(request.user, conference, year)  # type: ignore[arg-type]
    except AppError as error:
        raise _refuse(error) from error
    messages.success(request, _("已重新计算 %(n)s 位委员的 %(y)s 年度积分。") % {"n": count, "y": year})
    return redirect(f"{reverse('duty:ranking')}?year={year}")

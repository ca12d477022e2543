"""Shared pages: home by role, conference switcher, search, 我的, the leader's dashboard, error pages."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.activities import selectors as activity_selectors
from xieshang.core.dates import today
from xieshang.core.dbdown import database_unavailable, is_database_error
from xieshang.people.models import RoleKind
from xieshang.people.selectors import conferences_of, has_role, role_kinds, roles_of
from xieshang.proposals import exports
from xieshang.proposals import selectors as proposal_selectors
from xieshang.proposals import stats as proposal_stats
from xieshang.proposals.models import ProposalState

from .middleware import SESSION_KEY

SEARCH_LIMIT = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs the user now: a member's inbox, or the desk of the user's main role."""
    user: Any = request.user
    conference = getattr(request, "conference", None)
    if conference is None:
        return render(request, "web/no_role.html")
    kinds = role_kinds(user, conference.pk)
    if RoleKind.MEMBER in kinds:
        inbox = proposal_selectors.member_inbox(user, conference.pk)
        activities = activity_selectors.upcoming_invitations(user, conference.pk)
        context = {"inbox": inbox, "activities": activities, "tab": "home"}
        return render(request, "web/member_home.html", context)
    if RoleKind.STAFF in kinds:
        return redirect("proposals:work")
    if RoleKind.UNIT in kinds:
        return redirect("proposals:unit_inbox")
    if RoleKind.LEADER in kinds:
        return redirect("dashboard")
    if RoleKind.FRIEND in kinds:
        return redirect("publishing:friend_home")
    return render(request, "web/no_role.html")


@login_required
@require_POST
def switch_conference(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's conferences."""
    wanted = request.POST.get("conference", "")
    mine = {c.pk for c in conferences_of(request.user)}  # type: ignore[arg-type]
    if wanted.isdigit() and int(wanted) in mine:
        request.session[SESSION_KEY] = int(wanted)
    else:
        messages.error(request, _("您不属于该政协。"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return redirect(back or "home")


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """One search box over what the user may see, results grouped by kind (and by state)."""
    q = request.GET.get("q", "").strip()[:100]
    conference = getattr(request, "conference", None)
    groups: list[dict[str, Any]] = []
    total = 0
    if q and conference is not None:
        found = list(proposal_selectors.search_proposals(request.user, conference.pk, q)[:SEARCH_LIMIT])
        total = len(found)
        by_state: dict[str, list[Any]] = defaultdict(list)
        for p in found:
            by_state[p.get_state_display()].append(p)
        if found:
            groups.append({"kind": _("提案"), "count": total, "by_state": sorted(by_state.items())})
    context = {"q": q, "groups": groups, "total": total, "limit": SEARCH_LIMIT}
    return render(request, "web/search.html", context)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """我的: the user's profile, roles and own proposal count."""
    user: Any = request.user
    conference = getattr(request, "conference", None)
    count = proposal_selectors.my_proposals(user, conference.pk).count() if conference else 0
    context = {"roles": roles_of(user), "proposal_count": count, "tab": "me"}
    return render(request, "web/me.html", context)


@login_required
def coming_soon(request: HttpRequest, tab: str) -> HttpResponse:
    """A place of the bottom bar whose module is not built yet."""
    titles = {"opinions": _("社情民意"), "activities": _("活动")}
    return render(request, "web/coming_soon.html", {"tab": tab, "title": titles.get(tab, "")})


def _leader_conference(request: HttpRequest) -> int:
    conference = getattr(request, "conference", None)
    if conference is None or not has_role(
        request.user,  # type: ignore[arg-type]
        conference.pk,
        RoleKind.LEADER,
        RoleKind.STAFF,
    ):
        raise PermissionDenied
    return int(conference.pk)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1949 < int(raw) < 2100 else today().year


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The leader's figures and charts for one year."""
    conference_id = _leader_conference(request)
    year = _year(request)
    stats: dict[str, Any] | None = proposal_stats.dashboard(conference_id, year)
    charts: dict[str, Any] = {}
    if stats:
        charts = {
            "by_state": [[str(label), count] for label, count in stats.get("by_state", [])],
            "by_category": [[str(label), count] for label, count in stats.get("by_category", [])],
            "by_unit": [
                {
                    "unit": str(row.get("unit", "")),
                    "assigned": row.get("assigned", 0),
                    "overdue": row.get("overdue", 0),
                }
                for row in stats.get("by_unit", [])
            ],
            "outcomes": {k: v for k, v in (stats.get("outcome_shares") or {}).items()},
        }
    codes = {str(label): value for value, label in ProposalState.choices}
    state_rows = [
        (label, count, codes.get(str(label), "")) for label, count in (stats or {}).get("by_state", [])
    ]
    years = list(range(today().year, today().year - 6, -1))
    context = {"stats": stats, "charts": charts, "year": year, "years": years, "state_rows": state_rows}
    return render(request, "web/dashboard.html", context)


@login_required
def annual_report_xlsx(request: HttpRequest) -> HttpResponse:
    """The year's figures for the annual proposal work report, as Excel."""
    conference_id = _leader_conference(request)
    year = _year(request)
    response = HttpResponse(
        exports.annual_report_xlsx(conference_id, year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"提案工作年度报告数据-{year}.xlsx")
    return response


# ---------------------------------------------------------------------------- error pages


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Not found, or not yours to see (we never tell which)."""
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Not allowed."""
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    """A server error: a plain page that needs no database (503 when the database itself is down)."""
    if is_database_error(sys.exc_info()[1]):
        return database_unavailable()
    return HttpResponse(loader.get_template("500.html").render({}), status=500)

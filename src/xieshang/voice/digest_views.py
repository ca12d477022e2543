"""The weekly digest pages: the digest of a week (leaders and staff), its .docx, and the leaders'
subscription toggle. Thin adapters over digest.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.errors import AppError

from . import digest, selectors
from .rules import can_read_board

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _conference(request: HttpRequest) -> Any:
    conference = getattr(request, "conference", None)
    if conference is None or not can_read_board(request.user, conference.pk):
        raise PermissionDenied
    return conference


def _week(request: HttpRequest) -> dt.date:
    raw = request.GET.get("week", "")
    try:
        day = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return digest.week_of(min(day, timezone.localdate()))


@login_required
def digest_page(request: HttpRequest) -> HttpResponse:
    """The digest of a week (default: this week's, covering the last seven days before Monday)."""
    conference = _conference(request)
    week = _week(request)
    start, end = digest.period(week)
    this_week = digest.week_of(timezone.localdate())
    context = {
        "topics": digest.topics(conference.pk, week),
        "week": week,
        "start": timezone.localtime(start),
        "last_day": timezone.localtime(end) - dt.timedelta(days=1),
        "previous": week - dt.timedelta(days=7),
        "next": week + dt.timedelta(days=7) if week < this_week else None,
        "can_subscribe": digest.can_subscribe(request.user, conference.pk),
        "subscribed": digest.is_subscribed(request.user, conference.pk),
        "menu": [],
        "name": "voice",
        "tab_name": "topics",
        "counts": selectors.state_counts(conference.pk),
    }
    return render(request, "voice/digest.html", context)


@login_required
def digest_docx(request: HttpRequest) -> HttpResponse:
    """The week's digest as a .docx."""
    conference = _conference(request)
    week = _week(request)
    content = digest.digest_docx(conference, week, digest.topics(conference.pk, week))
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="digest-{week.isoformat()}.docx"'
    return response


@login_required
@require_POST
def digest_subscribe(request: HttpRequest) -> HttpResponse:
    """A leader subscribes to the weekly digest or leaves it."""
    conference = _conference(request)
    on = request.POST.get("on") == "1"
    try:
        digest.set_subscription(request.user, conference, on=on)  # type: ignore[arg-type]
    except AppError as error:
        raise PermissionDenied(error.message) from error
    messages.success(
        request, _("已订阅热点周报，每周一将收到站内通知。") if on else _("已取消订阅热点周报。")
    )
    return redirect("voice:digest")

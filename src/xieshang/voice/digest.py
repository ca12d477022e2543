"""The weekly digest of hot topics (热点民意周报) for the leaders who subscribe: the hot topics of the
past seven days over public messages, proposals and opinion reports (the leader hot-topics page's
computation, intel.leader_topics), as a page, a .docx, and one in-app notification per subscribed
leader per week from an idempotent job the worker schedules.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core.errors import denied
from xieshang.notify.services import notify_atomically
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import has_role

from . import intel
from .masking import mask_personal
from .models import DigestSent, DigestSubscription

DAYS = 7
TOP = 8


def week_of(day: dt.date) -> dt.date:
    """The Monday of the day's week: a digest's key."""
    return day - dt.timedelta(days=day.weekday())


def period(week: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The seven days a digest covers: those before the start (Monday 00:00, local time) of `week`.
    The current week's digest therefore covers last week, complete."""
    end = timezone.make_aware(dt.datetime.combine(week, dt.time.min))
    return end - dt.timedelta(days=DAYS), end


def topics(conference_id: int, week: dt.date) -> list[intel.LeaderTopic]:
    """The hot topics of the digest of `week`."""
    _start, end = period(week)
    return intel.leader_topics(conference_id, days=DAYS, k=TOP, until=end)


def digest_url(week: dt.date) -> str:
    return f"{reverse('voice:digest')}?week={week.isoformat()}"


# ---------------------------------------------------------------------------- subscriptions


def can_subscribe(user: Any, conference_id: int) -> bool:
    """Leaders of the conference may subscribe."""
    return bool(user.is_authenticated and has_role(user, conference_id, RoleKind.LEADER))


def is_subscribed(user: Any, conference_id: int) -> bool:
    return bool(
        user.is_authenticated
        and DigestSubscription.objects.filter(user=user, conference_id=conference_id).exists()
    )


@transaction.atomic(durable=True)
def set_subscription(actor: User, conference: Conference, *, on: bool) -> bool:
    """A leader subscribes to (or leaves) the conference's weekly digest; returns whether it changed."""
    if not can_subscribe(actor, conference.pk):
        raise denied(_("只有本级政协领导可以订阅热点周报。"))
    row = DigestSubscription.objects.select_for_update().filter(user=actor, conference=conference).first()
    if on and row is None:
        row = DigestSubscription.objects.create(user=actor, conference=conference)
        record(actor, "digest_subscribe", row, summary=_("订阅热点周报"))
        return True
    if not on and row is not None:
        record(actor, "digest_unsubscribe", row, summary=_("取消订阅热点周报"))
        row.delete()
        return True
    return False


# ---------------------------------------------------------------------------- the weekly job


def _title(week: dt.date) -> str:
    start, end = period(week)
    last = timezone.localtime(end) - dt.timedelta(days=1)
    return _("热点民意周报（%(a)s 至 %(b)s）") % {
        "a": timezone.localtime(start).strftime("%m-%d"),
        "b": last.strftime("%m-%d"),
    }


def _body(found: Sequence[intel.LeaderTopic]) -> str:
    if not found:
        return _("本周尚未形成热点。")
    names = "；".join(t.name for t in found[:3])
    return _("共 %(n)s 个热点，居前的是：%(names)s") % {"n": len(found), "names": names}


def send_weekly_digests(on: dt.date | None = None) -> int:
    """Tell every subscribed leader (still a leader of the conference) about this week's digest, once
    per week: a second run in the same week sends nothing. Returns how many notices went out."""
    week = week_of(on or timezone.localdate())
    subscriptions = DigestSubscription.objects.select_related("user", "conference").order_by("pk")
    bodies: dict[int, str] = {}
    sent = 0
    for sub in subscriptions:
        if not sub.user.is_active or not has_role(sub.user, sub.conference_id, RoleKind.LEADER):
            continue
        if DigestSent.objects.filter(user=sub.user, conference=sub.conference, week=week).exists():
            continue
        if sub.conference_id not in bodies:
            bodies[sub.conference_id] = _body(topics(sub.conference_id, week))
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=sub.user, conference=sub.conference, week=week)
                notify_atomically(
                    [sub.user],
                    verb="voice_digest",
                    title=_title(week),
                    body=bodies[sub.conference_id],
                    url=digest_url(week),
                    conference_id=sub.conference_id,
                )
        except IntegrityError:  # another worker sent it meanwhile
            continue
        sent += 1
    return sent


# ---------------------------------------------------------------------------- the .docx


def digest_docx(conference: Conference, week: dt.date, found: Sequence[intel.LeaderTopic]) -> bytes:
    """The digest as a .docx: title, period, then each topic with its figures and the texts behind it."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")  # type: ignore[attr-defined]
    doc.add_heading(f"{conference.name}{_title(week)}", level=1)
    start, end = period(week)
    doc.add_paragraph(
        _("统计范围：%(a)s 至 %(b)s 的群众建言、提案和社情民意信息。")
        % {
            "a": timezone.localtime(start).strftime("%Y-%m-%d"),
            "b": (timezone.localtime(end) - dt.timedelta(days=1)).strftime("%Y-%m-%d"),
        }
    )
    if not found:
        doc.add_paragraph(_("本周尚未形成热点。"))
    for number, topic in enumerate(found, start=1):
        doc.add_heading(f"{number}. {topic.name}", level=2)
        kinds = "、".join(f"{k} {n} 件" for k, n in topic.by_kind.items())
        line = _("热度 %(h)s；共 %(n)s 件（%(k)s）") % {"h": topic.heat, "n": topic.count, "k": kinds}
        if topic.places:
            line += _("；涉及地点：%(p)s") % {"p": "、".join(topic.places)}
        doc.add_paragraph(line)
        for text in topic.texts[:10]:
            doc.add_paragraph(f"[{text.kind}] {mask_personal(text.title)}", style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

"""Every write to duty records: point events from the workflows, manual adjustments, rule versions.

`record_event` and `retract_event` are called by other apps inside their own transactions; they never
check permissions (the calling workflow already did) and stay cheap: they only mark the member's cached
year score stale, which the next read refreshes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.audit.services import record
from xieshang.conferences.models import Conference
from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode, denied, invalid
from xieshang.notify.services import notify_on_commit
from xieshang.people.models import Member, RoleKind, User
from xieshang.people.selectors import has_role

from . import scoring
from .models import DutyScore, EventKind, EventRole, PointEvent, Scale, ScoringRuleSet

MANUAL_SOURCE = "manual"
REASON_MAX = 300
ADJUSTMENT_LIMIT = 100


def record_event(
    *,
    conference_id: int,
    user_id: int,
    kind: str,
    occurred_on: dt.date,
    source_type: str,
    source_id: int,
    role: str = "",
    title: str = "",
    data: dict[str, Any] | None = None,
) -> PointEvent:
    """Write one point event, idempotent on (conference, user, kind, source_type, source_id, role):
    a rerun or a replay returns the existing event and writes nothing new.

    Call it inside the caller's transaction; it only marks the member's cached year score stale.
    """
    if kind not in EventKind.values:
        raise ValueError(f"unknown point event kind {kind!r}")
    if role not in EventRole.values:
        raise ValueError(f"unknown point event role {role!r}")
    event, created = PointEvent.objects.get_or_create(
        conference_id=conference_id,
        user_id=user_id,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        role=role,
        defaults={
            "occurred_on": occurred_on,
            "year": occurred_on.year,
            "title": title[:200],
            "data": data or {},
        },
    )
    if created:
        _mark_stale(conference_id, [user_id], occurred_on.year)
    return event


def retract_event(
    *, conference_id: int, user_id: int, kind: str, source_type: str, source_id: int, role: str = ""
) -> int:
    """Remove the event a workflow wrote (e.g. a key proposal unmarked); returns how many were removed."""
    events = PointEvent.objects.filter(
        conference_id=conference_id,
        user_id=user_id,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        role=role,
    )
    years = set(events.values_list("year", flat=True))
    removed, _detail = events.delete()
    for year in years:
        _mark_stale(conference_id, [user_id], year)
    return removed


def record_for_authors(
    *,
    conference_id: int,
    kind: str,
    occurred_on: dt.date,
    source_type: str,
    source_id: int,
    lead_id: int,
    participant_ids: Iterable[int] = (),
    title: str = "",
) -> list[PointEvent]:
    """One event for the lead author and one (role participant) for each other author, each once."""
    events = [
        record_event(
            conference_id=conference_id,
            user_id=lead_id,
            kind=kind,
            occurred_on=occurred_on,
            source_type=source_type,
            source_id=source_id,
            role=EventRole.LEAD,
            title=title,
        )
    ]
    for user_id in dict.fromkeys(participant_ids):
        if user_id != lead_id:
            events.append(
                record_event(
                    conference_id=conference_id,
                    user_id=user_id,
                    kind=kind,
                    occurred_on=occurred_on,
                    source_type=source_type,
                    source_id=source_id,
                    role=EventRole.PARTICIPANT,
                    title=title,
                )
            )
    return events


def retract_source(*, conference_id: int, kind: str, source_type: str, source_id: int) -> int:
    """Remove the events of `kind` one source gave to anyone (every role); returns how many."""
    events = PointEvent.objects.filter(
        conference_id=conference_id, kind=kind, source_type=source_type, source_id=source_id
    )
    touched = list(events.values_list("user_id", "year").distinct())
    removed, _detail = events.delete()
    for user_id, year in touched:
        _mark_stale(conference_id, [user_id], year)
    return removed


def _mark_stale(conference_id: int, user_ids: list[int], year: int) -> None:
    DutyScore.objects.filter(conference_id=conference_id, user_id__in=user_ids, year=year).update(
        is_stale=True
    )


# ---------------------------------------------------------------------------- office actions


def _require_staff(actor: User, conference_id: int) -> None:
    if not has_role(actor, conference_id, RoleKind.STAFF):
        raise denied(_("只有本级政协机关工作人员可以执行此操作。"))


@transaction.atomic(durable=True)
def adjust_points(
    actor: User,
    conference: Conference,
    *,
    user_id: int,
    points: float,
    reason: str,
    occurred_on: dt.date | None = None,
) -> PointEvent:
    """Staff add or deduct points for a member, with the reason the member will read; audited."""
    _require_staff(actor, conference.pk)
    errors = {}
    if not Member.objects.filter(conference=conference, user_id=user_id).exists():
        errors["user"] = _("请选择本级政协委员。")
    if not points or abs(points) > ADJUSTMENT_LIMIT:
        errors["points"] = _("调整分值须为非零数，且绝对值不超过 %(n)s。") % {"n": ADJUSTMENT_LIMIT}
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        errors["reason"] = _("请填写调整理由。")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("调整理由不能超过 %(n)s 字。") % {"n": REASON_MAX}
    if errors:
        raise invalid(errors)
    day = occurred_on or today()
    # Manual adjustments are numbered per conference under a lock on the conference row.
    Conference.objects.select_for_update().filter(pk=conference.pk).first()
    top = PointEvent.objects.filter(conference=conference, source_type=MANUAL_SOURCE).aggregate(
        m=Max("source_id")
    )["m"]
    event = record_event(
        conference_id=conference.pk,
        user_id=user_id,
        kind=EventKind.MANUAL_ADJUSTMENT,
        occurred_on=day,
        source_type=MANUAL_SOURCE,
        source_id=(top or 0) + 1,
        title=reason[:200],
        data={"points": float(points), "reason": reason, "by": actor.pk},
    )
    summary = _("履职积分人工调整 %(p)+g 分：%(r)s") % {"p": points, "r": reason}
    record(actor, "duty_adjust", event, summary=summary, data={"user": user_id, "points": float(points)})
    notify_on_commit(
        User.objects.filter(pk=user_id),
        verb="duty_adjusted",
        conference_id=conference.pk,
        title=summary,
        url=reverse("duty:record") + f"?year={day.year}",
    )
    return event


@transaction.atomic(durable=True)
def save_rule_set(
    actor: User,
    conference: Conference,
    *,
    year: int,
    name: str,
    rules: Any,
    note: str = "",
) -> ScoringRuleSet:
    """Staff save the year's scoring rules as a new version (the old one stays for history);
    the year is recomputed in the background once the change commits."""
    _require_staff(actor, conference.pk)
    errors = {f"rules.{k}" if k != "rules" else k: v for k, v in scoring.validate_rules(rules).items()}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写细则名称。")
    if not 2000 <= int(year) <= 2100:
        errors["year"] = _("年度无效。")
    if errors:
        raise invalid(errors, _("积分细则有误，请按提示修改。"))
    ScoringRuleSet.objects.select_for_update().filter(conference=conference, year=year).exists()
    previous = ScoringRuleSet.objects.filter(conference=conference, year=year).aggregate(m=Max("version"))[
        "m"
    ]
    ScoringRuleSet.objects.filter(conference=conference, year=year, is_active=True).update(is_active=False)
    rule_set = ScoringRuleSet.objects.create(
        conference=conference,
        year=year,
        name=name[:100],
        version=(previous or 0) + 1,
        scale=rules.get("scale", Scale.ADDITIVE),
        rules=rules,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    record(
        actor,
        "duty_rules",
        rule_set,
        summary=_("%(y)s 年度积分细则第 %(v)s 版：%(n)s") % {"y": year, "v": rule_set.version, "n": name},
    )
    conference_id = conference.pk

    def enqueue() -> None:
        from .tasks import recompute_year

        recompute_year.enqueue(conference_id, int(year))

    transaction.on_commit(enqueue)
    return rule_set


@transaction.atomic(durable=True)
def recompute_year(actor: User, conference: Conference, year: int) -> int:
    """Staff recompute every member's score of a conference-year now; returns how many."""
    _require_staff(actor, conference.pk)
    if not 2000 <= int(year) <= 2100:
        raise AppError(ErrorCode.INVALID_INPUT, _("年度无效。"))
    count = scoring.recompute(conference.pk, int(year))
    record(actor, "duty_recompute", conference, summary=_("重新计算 %(y)s 年度履职积分") % {"y": year})
    return count

"""Duty API (/api/v1/duty): a member's record, the office's ranking and warnings, adjustments, rules."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status, codes_4xx

from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.pagination import Pages
from xieshang.api.schemas import Id, Text, Year
from xieshang.conferences.models import Conference
from xieshang.core.dates import today
from xieshang.core.errors import AppError, ErrorCode
from xieshang.people.models import RoleKind, User
from xieshang.people.selectors import conferences_of, role_kinds

from . import selectors, services
from .models import DutyScore

router = Router(tags=["duty"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}
NOT_IN_CONFERENCE = "您不是该政协的用户，不能查看或办理其事务。"


def _conference(user: User, conference_id: int | None, kind: str | None = None) -> Conference:
    """One of the caller's conferences (by default the first where the caller holds `kind`), or 403."""
    mine = conferences_of(user)
    if conference_id is None:
        mine = [c for c in mine if kind is None or kind in role_kinds(user, c.pk)]
        if not mine:
            raise AppError(ErrorCode.PERMISSION_DENIED, NOT_IN_CONFERENCE)
        return mine[0]
    found = next((c for c in mine if c.pk == conference_id), None)
    if found is None:
        raise AppError(ErrorCode.PERMISSION_DENIED, NOT_IN_CONFERENCE)
    return found


class LineOut(Schema):
    occurred_on: dt.date | None
    kind_label: str
    role_label: str
    title: str
    source_label: str
    url: str
    points: float
    reason: str


class CategoryOut(Schema):
    code: str
    label: str
    points: float
    lines: list[LineOut]


class WarningOut(Schema):
    code: str
    label: str
    message: str


class RecordOut(Schema):
    conference_id: int
    user_id: int
    year: int
    rule_name: str
    rule_version: int
    total: float
    level: str
    warnings: list[WarningOut]
    categories: list[CategoryOut]


class DutyScoreOut(Schema):
    user_id: int
    name: str
    total: float
    level: str
    by_category: dict[str, Any]
    warnings: list[WarningOut]
    rule_version: int
    committee: str | None = None
    sector: str | None = None

    @staticmethod
    def resolve_name(obj: DutyScore) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_committee(obj: DutyScore) -> str | None:
        return getattr(obj, "committee_name", None)

    @staticmethod
    def resolve_sector(obj: DutyScore) -> str | None:
        return getattr(obj, "sector_name", None)


class RankingFilter(Schema):
    conference_id: Id
    year: Year | None = None
    q: Text = ""
    committee_id: Id | None = None
    sector_id: Id | None = None
    sort: Text = "-total"


class WarningFilter(Schema):
    conference_id: Id
    year: Year | None = None


class AdjustmentIn(Schema):
    conference_id: Id
    user_id: Id
    points: float = Field(description="加分为正，扣分为负")
    reason: Text = Field(description="调整理由（委员可见）")
    occurred_on: dt.date | None = None


class AdjustmentOut(Schema):
    id: int
    user_id: int
    year: int
    points: float


class RuleSetIn(Schema):
    conference_id: Id
    year: Year
    name: Text
    rules: dict[str, Any]
    note: Text = ""


class RuleSetOut(Schema):
    id: int
    year: int
    version: int
    name: str
    is_active: bool


class RecomputeIn(Schema):
    conference_id: Id
    year: Year


class RecomputeOut(Schema):
    conference_id: int
    year: int
    count: int


@router.get("/me", response={200: RecordOut, **ERRORS})
def my_record(
    request: HttpRequest, year: Year | None = None, conference_id: Id | None = None
) -> dict[str, Any]:
    """The caller's own duty record for a year (default this year), with each event's points."""
    user = actor(request)
    conference = _conference(user, conference_id, RoleKind.MEMBER)
    card = selectors.my_card(user, conference, year or today().year)
    return {
        "conference_id": conference.pk,
        "user_id": user.pk,
        "year": card.year,
        "rule_name": card.rule_name,
        "rule_version": card.rule_set.version if card.rule_set else 0,
        "total": card.total,
        "level": card.level,
        "warnings": card.warnings,
        "categories": [
            {"code": c.code, "label": c.label, "points": c.points, "lines": c.lines} for c in card.categories
        ],
    }


@router.get("/ranking", response={200: list[DutyScoreOut], **ERRORS})
@paginate(Pages, page_size=50)
def ranking(request: HttpRequest, filters: Query[RankingFilter]) -> QuerySet[DutyScore]:
    """Members of a conference ranked by the year's score (staff and leaders of that conference)."""
    user = actor(request)
    conference = _conference(user, filters.conference_id)
    return selectors.ranking(
        user,
        conference.pk,
        filters.year or today().year,
        q=filters.q.strip()[:50],
        committee_id=filters.committee_id,
        sector_id=filters.sector_id,
        sort=filters.sort,
    )


@router.get("/warnings", response={200: list[DutyScoreOut], **ERRORS})
@paginate(Pages, page_size=50)
def warnings(request: HttpRequest, filters: Query[WarningFilter]) -> QuerySet[DutyScore]:
    """Members with a warning this year (staff and leaders of the conference)."""
    user = actor(request)
    conference = _conference(user, filters.conference_id)
    return selectors.ranking(
        user, conference.pk, filters.year or today().year, sort="-warnings", warnings_only=True
    )


@router.post("/adjustments", response={201: AdjustmentOut, **ERRORS})
def adjust(request: HttpRequest, payload: AdjustmentIn) -> Status[dict[str, Any]]:
    """Staff add or deduct points for a member of their conference, with a reason (audited)."""
    user = actor(request)
    conference = _conference(user, payload.conference_id)
    event = services.adjust_points(
        user,
        conference,
        user_id=payload.user_id,
        points=payload.points,
        reason=payload.reason,
        occurred_on=payload.occurred_on,
    )
    return Status(
        201, {"id": event.pk, "user_id": event.user_id, "year": event.year, "points": payload.points}
    )


@router.post("/rulesets", response={201: RuleSetOut, **ERRORS})
def save_rule_set(request: HttpRequest, payload: RuleSetIn) -> Status[dict[str, Any]]:
    """Staff save a new version of the year's scoring rules; the year is recomputed in the background."""
    user = actor(request)
    conference = _conference(user, payload.conference_id)
    rule_set = services.save_rule_set(
        user, conference, year=payload.year, name=payload.name, rules=payload.rules, note=payload.note
    )
    return Status(
        201,
        {
            "id": rule_set.pk,
            "year": rule_set.year,
            "version": rule_set.version,
            "name": rule_set.name,
            "is_active": rule_set.is_active,
        },
    )


@router.post("/recompute", response={200: RecomputeOut, **ERRORS})
def recompute(request: HttpRequest, payload: RecomputeIn) -> dict[str, Any]:
    """Staff recompute every member's score of a conference-year now."""
    user = actor(request)
    conference = _conference(user, payload.conference_id)
    count = services.recompute_year(user, conference, payload.year)
    return {"conference_id": conference.pk, "year": payload.year, "count": count}

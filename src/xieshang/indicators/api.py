"""Indicators over the REST API: the conference's indicators and an indicator's values across regions
and periods (staff and leaders). Errors go through the API's AppError handler."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import codes_4xx

from xieshang.api import access
from xieshang.api.auth import actor
from xieshang.api.errors import ErrorOut
from xieshang.api.schemas import Id, Text

from . import selectors
from .models import Indicator, IndicatorValue

router = Router(tags=["indicators"])
ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}


class IndicatorOut(Schema):
    id: int
    conference_id: int
    name: str
    unit: str
    higher_is_better: bool
    target: str | None

    @staticmethod
    def resolve_target(obj: Indicator) -> str | None:
        target = getattr(obj, "target", None)
        return str(target) if target is not None else None


class ValueOut(Schema):
    region_id: int
    region: str
    region_kind: str
    period: str
    value: float
    source: str
    evidence: str

    @staticmethod
    def resolve_region(obj: IndicatorValue) -> str:
        return obj.region.name

    @staticmethod
    def resolve_region_kind(obj: IndicatorValue) -> str:
        return obj.region.kind


class RankOut(Schema):
    region: str
    value: float
    rank: int
    below_target: bool


class BoardOut(Schema):
    indicator: IndicatorOut
    period: str
    periods: list[str]
    provincial_average: float | None
    target_value: float | None
    ranking: list[RankOut]
    values: list[ValueOut]


@router.get("", response={200: list[IndicatorOut], **ERRORS})
def list_indicators(request: HttpRequest, conference_id: Id) -> list[Indicator]:
    """The conference's indicators with their targets (staff and leaders)."""
    user = actor(request)
    access.conference(user, conference_id, "staff", "leader")
    return list(selectors.indicators(user, conference_id))


@router.get("/{indicator_id}/values", response={200: BoardOut, **ERRORS})
def values(request: HttpRequest, indicator_id: Id, period: Text | None = None) -> dict[str, Any]:
    """Every value of the indicator, and the ranking of one period (the latest when none is given)."""
    user = actor(request)
    indicator = selectors.get_indicator(user, indicator_id)
    board = selectors.board(indicator, period)
    return {
        "indicator": indicator,
        "period": board.period,
        "periods": board.periods,
        "provincial_average": board.average,
        "target_value": board.bar,
        "ranking": [
            {"region": r.region.name, "value": r.value, "rank": r.rank, "below_target": r.below}
            for r in board.rows
        ],
        "values": list(IndicatorValue.objects.filter(indicator=indicator).select_related("region")),
    }

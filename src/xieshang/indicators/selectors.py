"""Reads of indicators for the dashboard: values across regions, ranking, targets and trends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from xieshang.people.models import RoleKind
from xieshang.people.selectors import conference_ids

from .models import Indicator, IndicatorValue, Region, Target


def _reader_conferences(user: Any) -> set[int]:
    return conference_ids(user, RoleKind.STAFF, RoleKind.LEADER) if user.is_authenticated else set()


def indicators(user: Any, conference_id: int) -> QuerySet[Indicator]:
    """The conference's indicators for its staff and leaders (otherwise none)."""
    if conference_id not in _reader_conferences(user):
        return Indicator.objects.none()
    return Indicator.objects.filter(conference_id=conference_id).select_related("target")


def regions(conference_id: int) -> QuerySet[Region]:
    """The conference's regions in their order."""
    return Region.objects.filter(conference_id=conference_id)


def get_indicator(user: Any, indicator_id: int) -> Indicator:
    """An indicator of a conference where the user is staff or leader, or 404."""
    found = (
        Indicator.objects.filter(pk=indicator_id, conference_id__in=_reader_conferences(user))
        .select_related("target")
        .first()
    )
    if found is None:
        raise Http404
    return found


def periods(indicator: Indicator) -> list[str]:
    """The periods with figures, in order (period names sort by year then months as written)."""
    return sorted(set(indicator.values.values_list("period", flat=True)))


def _target(indicator: Indicator) -> Target | None:
    try:
        return indicator.target
    except Target.DoesNotExist:
        return None


def threshold(indicator: Indicator, average: float | None) -> float | None:
    """The figure a region must reach under the indicator's target (None when there is no target)."""
    target = _target(indicator)
    if target is None:
        return None
    if target.kind == Target.Kind.AT_LEAST_PROVINCIAL_AVG:
        return average
    if target.kind == Target.Kind.BACK_TO_POSITIVE:
        return 0.0
    return target.value


def misses(indicator: Indicator, value: float, bar: float | None) -> bool:
    """Whether a value falls short of the bar, in the indicator's good direction."""
    if bar is None:
        return False
    if _target(indicator) is not None and indicator.target.kind == Target.Kind.BACK_TO_POSITIVE:
        return value <= 0
    return value < bar if indicator.higher_is_better else value > bar


@dataclass
class Row:
    """One region on the dashboard."""

    region: Region
    value: float
    rank: int
    below: bool
    evidence: str


@dataclass
class Board:
    """An indicator in one period: ranked regions, the province average, the target bar, the trend."""

    indicator: Indicator
    period: str
    periods: list[str]
    rows: list[Row]
    average: float | None
    city: float | None
    bar: float | None
    trend: dict[str, list[float | None]]

    @property
    def below(self) -> list[Row]:
        return [r for r in self.rows if r.below]


def board(indicator: Indicator, period: str | None = None) -> Board:
    """The dashboard of an indicator for a period (the latest when none is given)."""
    all_periods = periods(indicator)
    period = period if period in all_periods else (all_periods[-1] if all_periods else "")
    values = list(IndicatorValue.objects.filter(indicator=indicator).select_related("region"))
    now = [v for v in values if v.period == period]
    average = next((v.value for v in now if v.region.kind == Region.Kind.PROVINCE_AVG), None)
    city = next((v.value for v in now if v.region.kind == Region.Kind.CITY), None)
    bar = threshold(indicator, average)
    ranked = sorted(
        (v for v in now if v.region.kind in (Region.Kind.COUNTY, Region.Kind.DISTRICT)),
        key=lambda v: -v.value if indicator.higher_is_better else v.value,
    )
    rows = [
        Row(v.region, v.value, n, misses(indicator, v.value, bar), v.evidence)
        for n, v in enumerate(ranked, 1)
    ]
    trend: dict[str, list[float | None]] = {}
    by_key = {(v.region.name, v.period): v.value for v in values}
    for region in sorted({v.region for v in values}, key=lambda r: (r.position, r.pk)):
        trend[region.name] = [by_key.get((region.name, p)) for p in all_periods]
    return Board(indicator, period, all_periods, rows, average, city, bar, trend)


def chart_data(b: Board) -> dict[str, Any]:
    """What the dashboard's script draws (no network calls)."""
    return {
        "name": str(b.indicator),
        "regions": [r.region.name for r in b.rows],
        "values": [r.value for r in b.rows],
        "below": [r.below for r in b.rows],
        "average": b.average,
        "bar": b.bar,
        "periods": b.periods,
        "trend": b.trend,
    }

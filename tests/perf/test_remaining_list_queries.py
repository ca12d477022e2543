"""The list pages of the indicators, deliberation and journal/archive offices make the same number of
queries for 3 rows as for 15 (no N+1). Like test_more_list_queries.py, each test grows its own list
through the services; regions and indicators have none (the admin sets them up), so they are created
as the indicator tests create them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from xieshang.indicators import services as indicator_services
from xieshang.indicators.models import Indicator, Region, Target
from xieshang.publishing import archive
from xieshang.publishing import services as publishing_services
from xieshang.publishing.models import Journal
from xieshang.voice import deliberation
from xieshang.voice import reports as deliberation_reports
from xieshang.voice.models import Deliberation

from ..publishing import walk as article_walk
from .test_more_list_queries import SLACK, _queries

PERIODS = ["2026年1-3月", "2026年1-6月"]
GDP = "地区生产总值增速"


# ---------------------------------------------------------------------------- indicators


def _gdp(side: Any) -> Indicator:
    """The indicator whose dashboard is measured: GDP growth, against the province average."""
    gdp, created = Indicator.objects.get_or_create(
        conference=side.conference, name=GDP, defaults={"unit": "%"}
    )
    if created:
        Target.objects.create(indicator=gdp, kind=Target.Kind.AT_LEAST_PROVINCIAL_AVG)
        Region.objects.create(
            conference=side.conference, name="全省", kind=Region.Kind.PROVINCE_AVG, position=900
        )
        Region.objects.create(conference=side.conference, name="全市", kind=Region.Kind.CITY, position=901)
    return gdp


def _add_indicators(side: Any, n: int) -> None:
    start = Indicator.objects.filter(conference=side.conference).count()
    kinds = [Target.Kind.BACK_TO_POSITIVE, Target.Kind.NUMBER, None]
    for i in range(start, start + n):
        indicator = Indicator.objects.create(conference=side.conference, name=f"指标{i}", unit="亿元")
        kind = kinds[i % len(kinds)]
        if kind is not None:
            Target.objects.create(indicator=indicator, kind=kind, value=5.0)


def _add_regions(side: Any, n: int) -> None:
    """`n` more counties and districts, each with GDP figures for two periods (and the averages)."""
    gdp = _gdp(side)
    start = Region.objects.filter(conference=side.conference).count()
    kinds = [Region.Kind.COUNTY, Region.Kind.DISTRICT]
    regions = [
        Region.objects.create(conference=side.conference, name=f"地区{i}", kind=kinds[i % 2], position=i)
        for i in range(start, start + n)
    ]
    regions += list(Region.objects.filter(conference=side.conference, name__in=["全省", "全市"]))
    rows = [
        indicator_services.ValueInput(region.pk, gdp.pk, period, 4.0 + (region.pk % 5) / 2)
        for region in regions
        for period in PERIODS
    ]
    indicator_services.record_values(side.staff, side.conference, rows)


def _dashboard(side: Any) -> str:
    return f"/indicators/{_gdp(side).pk}/"


# ---------------------------------------------------------------------------- deliberations


def _topic(side: Any, state: str, title: str, *, members: bool = True, public: bool = False) -> Deliberation:
    """A topic in `state` (draft, open, closed or reported), reached through the services; the side's
    second member is invited as an expert."""
    now = timezone.now()
    data = deliberation.DeliberationInput(
        title=title,
        question="如何推进？",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        for_members=members,
        for_public=public,
        expert_ids=[side.member2.pk],
    )
    topic = deliberation.create_deliberation(side.staff, side.conference, data)
    if state == "draft":
        return topic
    topic = deliberation.open_deliberation(side.staff, topic)
    deliberation.post_opinion(side.member2, topic, body="建议财政补贴加装电梯费用的三成。")
    if state == "open":
        return topic
    topic = deliberation.close_deliberation(side.staff, topic)
    if state == "closed":
        return topic
    return deliberation.save_report(side.staff, topic, summary="报告正文：建议财政补贴。", final=True)


def _add_deliberations(side: Any, n: int) -> None:
    """`n` topics in every state; some for members, some for the public, some for experts only."""
    start = Deliberation.objects.filter(conference=side.conference).count()
    states = ["open", "closed", "reported", "draft"]
    for i in range(start, start + n):
        _topic(side, states[i % len(states)], f"老旧小区加装电梯{i}", members=i % 3 != 0, public=i % 3 == 1)


def _add_reports(side: Any, n: int) -> None:
    """`n` finished reports sent to the side's leader."""
    start = Deliberation.objects.filter(conference=side.conference).count()
    for i in range(start, start + n):
        topic = _topic(side, "reported", f"议政报告{i}")
        deliberation_reports.send_report(side.staff, topic, leader_ids=[side.leader.pk], note="请审阅")


# ---------------------------------------------------------------------------- journals and archive


def _add_issues(side: Any, n: int) -> None:
    """`n` more issues over new journals of both kinds; every third one published with an article."""
    kinds = [Journal.Kind.MAGAZINE, Journal.Kind.BULLETIN]
    journal = None
    for i in range(n):
        if journal is None or i % 2 == 0:
            k = Journal.objects.filter(conference=side.conference).count()
            journal = publishing_services.create_journal(
                side.staff, side.conference, name=f"政协刊物{k}", kind=kinds[k % 2]
            )
        issue = publishing_services.create_issue(side.staff, journal, title=f"第{i}期专题")
        if i % 3 == 0:
            article = article_walk.build(side, "published")
            publishing_services.add_item(side.staff, issue, article_id=article.pk)
            publishing_services.publish_issue(side.staff, issue)


def _archive_volume(side: Any) -> Any:
    """The side's one volume, opened once through the services."""
    volume = archive.volumes(side.staff, side.conference.pk).first()
    if volume is None:
        collection = archive.create_collection(side.staff, side.conference, title="示范文史")
        volume = archive.create_volume(side.staff, collection, title="码头记忆")
    return volume


def _add_archive_items(side: Any, n: int) -> None:
    """`n` items in every state, some from a solicitation, the published ones placed in a volume."""
    volume = _archive_volume(side)
    campaign = archive.open_solicitations(side.conference.pk).first() or archive.open_solicitation(
        side.staff, side.conference, topic="三线建设", deadline=timezone.localdate() + dt.timedelta(days=30)
    )
    for i in range(n):
        data = archive.ItemInput(
            title=f"老城区码头的变迁{i}", kind="memoir", text="一九五六年，码头改建。", period="1950年代"
        )
        source = campaign if i % 2 else None
        item = archive.submit_item(side.member, side.conference, data, solicitation=source)
        if i % 4 == 1:
            archive.reject_item(side.staff, item)
        elif i % 4 in (0, 2):
            item = archive.review_item(side.staff, item)
            if i % 4 == 0:  # the first of every batch, so that the published list is never empty
                item = archive.publish_item(side.staff, item)
                archive.place_item(side.staff, item, volume)


# ---------------------------------------------------------------------------- the pages


PAGES: list[tuple[str, str | Callable[[Any], str], Callable[[Any, int], None]]] = [
    ("staff", "/indicators/", _add_indicators),
    ("leader", "/indicators/", _add_indicators),
    ("staff", _dashboard, _add_regions),
    ("staff", "/voice/deliberations/", _add_deliberations),
    ("leader", "/voice/deliberations/", _add_deliberations),
    ("member", "/voice/deliberations/", _add_deliberations),
    ("member2", "/voice/deliberations/", _add_deliberations),  # also invited as an expert
    ("leader", "/voice/deliberations/reports/", _add_reports),
    ("staff", "/publishing/journals/", _add_issues),
    ("leader", "/publishing/journals/", _add_issues),
    ("staff", "/publishing/archive/", _add_archive_items),
    ("staff", "/publishing/archive/?state=published", _add_archive_items),
    ("leader", "/publishing/archive/", _add_archive_items),
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(("role", "url", "add"), PAGES)
def test_list_page_queries_do_not_grow_with_rows(world: Any, role: str, url: Any, add: Any) -> None:
    side = world.city
    user = getattr(side, role)
    add(side, 3)
    address = url(side) if callable(url) else url
    few = _queries(user, address)
    add(side, 12)
    many = _queries(user, address)
    assert many <= few + SLACK, f"{address}: {few} queries with 3 rows, {many} with 15"

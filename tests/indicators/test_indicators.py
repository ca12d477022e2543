"""Indicators: manual values, .xlsx import (all rows or none), the dashboard's targets and ranking,
the export, and isolation between conferences."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xieshang.core.errors import AppError
from xieshang.indicators import selectors, services
from xieshang.indicators.models import Indicator, IndicatorValue, Region, Target

PERIOD = "2026年1-6月"


@pytest.fixture
def area(world):  # type: ignore[no-untyped-def]
    """The city's three counties, the city and the province average; GDP growth must reach the average."""
    conference = world.city.conference
    regions = {
        name: Region.objects.create(conference=conference, name=name, kind=kind, position=n)
        for n, (name, kind) in enumerate(
            [
                ("甲县", "county"),
                ("乙县", "county"),
                ("丙区", "district"),
                ("全市", "city"),
                ("全省", "province_avg"),
            ]
        )
    }
    gdp = Indicator.objects.create(conference=conference, name="地区生产总值增速", unit="%")
    Target.objects.create(indicator=gdp, kind=Target.Kind.AT_LEAST_PROVINCIAL_AVG)
    industry = Indicator.objects.create(conference=conference, name="规上工业增加值增速", unit="%")
    Target.objects.create(indicator=industry, kind=Target.Kind.BACK_TO_POSITIVE)
    return regions, gdp, industry


def _xlsx(rows) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.append(["地区", "指标", "期间", "数值"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("指标.xlsx", out.getvalue())


GOOD = [
    ["甲县", "地区生产总值增速", PERIOD, 6.1],
    ["乙县", "地区生产总值增速", PERIOD, 4.2],
    ["丙区", "地区生产总值增速", PERIOD, "5.5%"],
    ["全省", "地区生产总值增速", PERIOD, 5.3],
    ["甲县", "规上工业增加值增速", PERIOD, -12.4],
    ["乙县", "规上工业增加值增速", PERIOD, 3.0],
]


def test_an_import_with_a_bad_row_writes_nothing_and_names_the_row(world, area):
    rows = [*GOOD, ["丁县", "地区生产总值增速", PERIOD, "很多"]]
    with pytest.raises(AppError) as caught:
        services.import_values(world.city.staff, world.city.conference, _xlsx(rows))
    assert "第 8 行" in caught.value.fields["file"]
    assert "丁县" in caught.value.fields["file"] and "不是数字" in caught.value.fields["file"]
    assert not IndicatorValue.objects.exists()


def test_a_good_import_writes_every_row(world, area):
    assert services.import_values(world.city.staff, world.city.conference, _xlsx(GOOD)) == 6
    assert IndicatorValue.objects.get(region__name="丙区").value == 5.5


def test_only_staff_import(world, area):
    with pytest.raises(AppError):
        services.import_values(world.city.leader, world.city.conference, _xlsx(GOOD))
    with pytest.raises(AppError):
        services.import_values(world.county.staff, world.city.conference, _xlsx(GOOD))


def test_the_dashboard_ranks_and_marks_regions_below_target(world, area):
    _regions, gdp, industry = area
    services.import_values(world.city.staff, world.city.conference, _xlsx(GOOD))
    board = selectors.board(gdp)
    assert [(r.region.name, r.rank) for r in board.rows] == [("甲县", 1), ("丙区", 2), ("乙县", 3)]
    assert board.average == 5.3
    assert [r.region.name for r in board.below] == ["乙县"]
    assert [r.region.name for r in selectors.board(industry).below] == ["甲县"]


def test_the_dashboard_page_shows_charts_and_below_target_regions(world, area):
    _regions, gdp, _industry = area
    services.import_values(world.city.staff, world.city.conference, _xlsx(GOOD))
    client = Client()
    client.force_login(world.city.leader)
    page = client.get(reverse("indicators:dashboard", args=[gdp.pk])).content.decode()
    assert "vendor/echarts/echarts.min.js" in page
    below = page.split('data-testid="below-target"')[1].split("</div>")[0]
    assert "乙县" in below and "甲县" not in below
    assert 'data-testid="rank-乙县" data-below="1"' in page
    response = client.get(reverse("indicators:export", args=[gdp.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["排名"]
    assert [c.value for c in sheet[3]] == [1, "甲县", 6.1, "达标"]


def test_a_trend_over_periods(world, area):
    regions, gdp, _ = area
    rows = [
        services.ValueInput(regions["甲县"].pk, gdp.pk, p, v)
        for p, v in [("2026年1-3月", 5.0), (PERIOD, 6.1)]
    ]
    services.record_values(world.city.staff, world.city.conference, rows)
    board = selectors.board(gdp)
    assert board.period == PERIOD
    assert board.trend["甲县"] == [5.0, 6.1]


def test_manual_values_replace_and_stay_in_their_conference(world, area):
    regions, gdp, _ = area
    row = services.ValueInput(regions["甲县"].pk, gdp.pk, PERIOD, 6.0)
    services.record_values(world.city.staff, world.city.conference, [row])
    services.record_values(
        world.city.staff,
        world.city.conference,
        [services.ValueInput(regions["甲县"].pk, gdp.pk, PERIOD, 6.3)],
    )
    assert IndicatorValue.objects.get().value == 6.3
    with pytest.raises(AppError):
        services.record_values(world.county.staff, world.county.conference, [row])
    with pytest.raises(Http404):
        selectors.get_indicator(world.county.staff, gdp.pk)


def test_the_import_page_reports_the_wrong_rows(world, area):
    client = Client()
    client.force_login(world.city.staff)
    response = client.post(
        reverse("indicators:import"), {"file": _xlsx([["戊县", "地区生产总值增速", PERIOD, 1]])}
    )
    assert response.status_code == 400
    assert "第 2 行" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_staff_confirm_figures_found_in_a_speech(world, area):
    from xieshang.tasks import services as task_services

    _regions, gdp, _industry = area
    text = "上半年，甲县地区生产总值增长4.2%，低于全省平均1.1个百分点。"
    document = task_services.create_source(
        world.city.staff, world.city.conference, task_services.SourceInput(title="讲话", text=text), items=[]
    )
    client = Client()
    client.force_login(world.city.staff)
    page = client.get(reverse("indicators:from_document", args=[document.pk]))
    assert page.status_code == 200
    forms = page.context["value_forms"]
    first = forms[0].initial
    assert first["indicator"] == gdp.pk and first["value"] == 4.2
    data = {
        "v0-keep": "on",
        "v0-region": _regions["甲县"].pk,
        "v0-indicator": gdp.pk,
        "v0-period": PERIOD,
        "v0-value": "4.2",
        "v0-evidence": text,
    }
    assert client.post(reverse("indicators:from_document", args=[document.pk]), data).status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.region.name, value.value, value.source) == ("甲县", 4.2, "extraction")

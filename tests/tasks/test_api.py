"""The tasks and indicators API: confirm a ledger, report progress, close; the denials."""

from __future__ import annotations

import datetime as dt

from xieshang.indicators.models import Indicator, IndicatorValue, Region, Target
from xieshang.tasks import services
from xieshang.tasks.models import Task

from ..api.conftest import Api
from . import walk


def test_the_api_happy_path(world):
    api = Api()
    side = world.city
    document = services.create_source(
        side.staff,
        side.conference,
        services.SourceInput(title="讲话", text=walk.SPEECH, date=dt.date(2026, 3, 2)),
        items=walk.speech_items(),
    )
    first, second, third = document.lines.all()
    body = {
        "lines": [
            {"line_id": first.pk, "decision": "confirm", "action": "编制投资计划"},
            {"line_id": second.pk, "decision": "confirm"},
            {"line_id": third.pk, "decision": "drop"},
        ]
    }
    confirmed = api.post(f"/tasks/sources/{document.pk}/confirm", side.staff, body)
    assert confirmed.status_code == 201, confirmed.content
    task_id = confirmed.json()["task_ids"][0]
    listed = api.get("/tasks", side.unit_user).json()
    assert [t["id"] for t in listed["items"]] == [task_id]
    detail = api.get(f"/tasks/{task_id}", side.unit_user).json()
    assert detail["action"] == "编制投资计划" and detail["actions"] == ["report"]
    reported = api.post(f"/tasks/{task_id}/progress", side.unit_user, {"text": "已印发", "done": True})
    assert reported.status_code == 201 and reported.json()["state"] == "reported_done"
    closed = api.post(f"/tasks/{task_id}/close", side.staff, {"version": reported.json()["version"]})
    assert closed.json()["state"] == "verified_closed"


def test_the_api_refuses_others(world):
    api = Api()
    task = walk.assigned(world.city)
    assert api.get(f"/tasks/{task.pk}", world.county.staff).status_code == 404
    assert api.post(f"/tasks/{task.pk}/close", world.county.staff, {}).status_code == 404
    refused = api.post(f"/tasks/{task.pk}/close", world.city.staff, {})
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_state"
    assert api.post(f"/tasks/{task.pk}/progress", world.city.unit2_user, {"text": "x"}).status_code == 404
    assert api.get("/tasks", world.city.member).json()["items"] == []
    assert Task.objects.get(pk=task.pk).state == "assigned"


def test_the_indicators_api(world):
    api = Api()
    conference = world.city.conference
    region = Region.objects.create(conference=conference, name="甲县")
    average = Region.objects.create(conference=conference, name="全省", kind="province_avg")
    gdp = Indicator.objects.create(conference=conference, name="地区生产总值增速", unit="%")
    Target.objects.create(indicator=gdp, kind="at_least_provincial_avg")
    IndicatorValue.objects.create(region=region, indicator=gdp, period="2026年1-6月", value=4.2)
    IndicatorValue.objects.create(region=average, indicator=gdp, period="2026年1-6月", value=5.3)
    listed = api.get("/indicators", world.city.leader, conference_id=conference.pk)
    assert listed.json()[0]["target"] == "不低于全省平均"
    board = api.get(f"/indicators/{gdp.pk}/values", world.city.leader).json()
    assert board["ranking"] == [{"region": "甲县", "value": 4.2, "rank": 1, "below_target": True}]
    assert api.get(f"/indicators/{gdp.pk}/values", world.county.staff).status_code == 404
    assert api.get("/indicators", world.county.staff, conference_id=conference.pk).status_code == 403

"""Duty API: own record, ranking and warnings for the office, adjustments, rules, recompute; denials."""

from __future__ import annotations

import datetime as dt

import pytest

from xieshang.duty import services
from xieshang.duty.models import PointEvent, ScoringRuleSet
from xieshang.duty.rulesets import load_builtin

from ..conftest import World
from .conftest import Api

YEAR = 2026


@pytest.fixture
def attended(world: World) -> None:
    services.record_event(
        conference_id=world.city.conference.pk,
        user_id=world.city.member.pk,
        kind="plenary_attended",
        occurred_on=dt.date(YEAR, 3, 5),
        source_type="activity",
        source_id=1,
        title="第一次全体会议",
    )


def test_member_reads_own_record(world: World, attended: None, api: Api) -> None:
    r = api.get("/duty/me", world.city.member, year=YEAR)
    body = r.json()
    assert r.status_code == 200
    assert (body["total"], body["user_id"], body["year"]) == (5, world.city.member.pk, YEAR)
    lines = body["categories"][0]["lines"]
    assert lines[0]["title"] == "第一次全体会议" and lines[0]["points"] == 5


def test_staff_without_membership_has_no_record(world: World, api: Api) -> None:
    r = api.get("/duty/me", world.city.staff)
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"


def test_member_cannot_read_a_record_in_another_conference(world: World, api: Api) -> None:
    r = api.get("/duty/me", world.city.member, conference_id=world.county.conference.pk)
    assert r.status_code == 403


@pytest.mark.parametrize("who", ["staff", "leader"])
def test_office_reads_the_ranking(world: World, attended: None, api: Api, who: str) -> None:
    r = api.get("/duty/ranking", getattr(world.city, who), conference_id=world.city.conference.pk, year=YEAR)
    body = r.json()
    assert r.status_code == 200
    assert body["count"] == 2
    assert body["items"][0]["user_id"] == world.city.member.pk
    assert body["items"][0]["total"] == 5


@pytest.mark.parametrize("path", ["/duty/ranking", "/duty/warnings"])
def test_county_staff_and_city_members_cannot_read_city_lists(world: World, api: Api, path: str) -> None:
    conference_id = world.city.conference.pk
    assert api.get(path, world.county.staff, conference_id=conference_id).status_code == 403
    assert api.get(path, world.city.member, conference_id=conference_id).status_code == 403
    assert api.get(path, world.city.unit_user, conference_id=conference_id).status_code == 403


def test_warnings_list(world: World, api: Api) -> None:
    ScoringRuleSet.objects.create(
        conference=world.city.conference, year=YEAR, name="预警", version=1, rules=load_builtin("warnings")
    )
    services.record_event(
        conference_id=world.city.conference.pk,
        user_id=world.city.member2.pk,
        kind="plenary_absent_unexcused",
        occurred_on=dt.date(YEAR, 3, 5),
        source_type="activity",
        source_id=1,
    )
    r = api.get("/duty/warnings", world.city.leader, conference_id=world.city.conference.pk, year=YEAR)
    codes = {i["user_id"]: [w["code"] for w in i["warnings"]] for i in r.json()["items"]}
    # Neither has an accepted proposal since the term began in 2022, so both are flagged for that too.
    assert codes == {
        world.city.member2.pk: ["criticism", "no_proposal_two_years"],
        world.city.member.pk: ["no_proposal_two_years"],
    }


def test_staff_post_an_adjustment_and_others_are_refused(world: World, api: Api) -> None:
    c = world.city
    body = {"conference_id": c.conference.pk, "user_id": c.member.pk, "points": -2, "reason": "无故迟到"}
    r = api.post("/duty/adjustments", c.staff, body)
    assert r.status_code == 201
    assert r.json()["points"] == -2
    assert api.post("/duty/adjustments", c.member, body).status_code == 403
    assert api.post("/duty/adjustments", world.county.staff, body).status_code == 403
    bad = api.post("/duty/adjustments", c.staff, {**body, "reason": " "})
    assert bad.status_code == 400
    assert bad.json()["fields"]["reason"] == "请填写调整理由。"
    assert PointEvent.objects.count() == 1


def test_staff_post_a_rule_set_and_bad_keys_are_named(world: World, api: Api, immediate_tasks: None) -> None:
    c = world.city
    body = {
        "conference_id": c.conference.pk,
        "year": YEAR,
        "name": "百分制",
        "rules": load_builtin("hundred"),
    }
    r = api.post("/duty/rulesets", c.staff, body)
    assert r.status_code == 201
    assert r.json()["version"] == 1
    rules = load_builtin("hundred")
    rules["quality"]["nonsense"] = []
    bad = api.post("/duty/rulesets", c.staff, {**body, "rules": rules})
    assert bad.status_code == 400
    assert bad.json()["fields"]["rules.quality.nonsense"] == "未知的事件类型“nonsense”。"
    assert api.post("/duty/rulesets", c.leader, body).status_code == 403


def test_staff_recompute_and_county_staff_cannot(world: World, attended: None, api: Api) -> None:
    body = {"conference_id": world.city.conference.pk, "year": YEAR}
    r = api.post("/duty/recompute", world.city.staff, body)
    assert r.status_code == 200
    assert r.json()["count"] == 2
    assert api.post("/duty/recompute", world.county.staff, body).status_code == 403
    assert api.post("/duty/recompute", world.city.leader, body).status_code == 403

"""No list or detail endpoint shows one conference's proposals to another conference's users."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import types
from decimal import Decimal

import pytest

from tests.proposals import walk
from xieshang.proposals import services

from .conftest import ok, refused

ROLES = ["member", "member2", "staff", "leader", "admin", "unit_user", "unit2_user"]


@pytest.fixture
def city_proposals(world):
    """City proposals in the states each city role can see: a draft, one under review, one handled."""
    side = world.city
    handled = walk.evaluated(side)
    services.set_published(side.staff, handled, published=True)
    return [walk.draft(side), walk.under_review(side), handled]


def test_county_users_see_no_city_proposal_in_any_list_or_detail(world, api, city_proposals, subtests):
    city_ids = {p.pk for p in city_proposals}
    county_own = walk.under_review(world.county)
    for role in [*ROLES, "outsider"]:
        user = world.outsider if role == "outsider" else getattr(world.county, role)
        with subtests.test(role=role):
            listed = ok(api.get("/proposals", user))
            assert not city_ids & {item["id"] for item in listed["items"]}
            refused(api.get("/proposals", user, conference_id=world.city.conference.pk), 403)
            for p in city_proposals:
                body = refused(api.get(f"/proposals/{p.pk}", user), 404)
                assert body["code"] == "not_found"
            refused(api.get("/units/inbox", user, conference_id=world.city.conference.pk), 403)
            refused(api.get("/worklists", user, conference_id=world.city.conference.pk), 403)
            refused(api.get("/stats/dashboard", user, conference_id=world.city.conference.pk), 403)
    # while the county's own staff do see the county's proposal
    assert [i["id"] for i in ok(api.get("/proposals", world.county.staff))["items"]] == [county_own.pk]


def test_each_city_role_lists_exactly_what_it_may_see(world, api, city_proposals):
    draft, review, handled = city_proposals
    conf = world.city.conference.pk
    expected = {
        "member": {draft.pk, review.pk, handled.pk},
        "member2": set(),
        "staff": {review.pk, handled.pk},
        "leader": {review.pk, handled.pk},
        "admin": set(),
        "unit_user": {handled.pk},
        "unit2_user": {handled.pk},
    }
    for role, ids in expected.items():
        items = ok(api.get("/proposals", getattr(world.city, role), conference_id=conf))["items"]
        assert {i["id"] for i in items} == ids, role


def test_the_list_filters_and_pages(world, api):
    side = world.city
    for n in range(3):
        walk.under_review(side, title=f"关于社区养老服务的建议（{n}）")
    walk.accepted(side, title="关于职业教育的建议")
    page = ok(api.get("/proposals", side.staff, page_size=2))
    assert (page["count"], len(page["items"])) == (4, 2)
    assert ok(api.get("/proposals", side.staff, page_size=500))["count"] == 4
    assert ok(api.get("/proposals", side.staff, q="养老"))["count"] == 3
    assert ok(api.get("/proposals", side.staff, state="accepted"))["count"] == 1
    assert ok(api.get("/proposals", side.staff, key="true"))["count"] == 0


def test_the_list_costs_the_same_few_queries_however_long_it_is(world, api, django_assert_max_num_queries):
    for n in range(15):
        walk.under_review(world.city, title=f"关于交通治理的建议（{n}）")
    api.token(world.city.staff)
    with django_assert_max_num_queries(8):
        assert ok(api.get("/proposals", world.city.staff))["count"] == 15


def test_only_published_proposals_are_public(world, api, city_proposals):
    _draft, review, handled = city_proposals
    listed = ok(api.get("/public/proposals"))
    assert [i["id"] for i in listed["items"]] == [handled.pk]
    detail = ok(api.get(f"/public/proposals/{handled.pk}"))
    assert detail["replies"] and detail["replies"][0]["outcome"] == "B"
    refused(api.get(f"/public/proposals/{review.pk}"), 404)


def test_work_lists_and_figures_are_for_staff_and_leaders_only(world, api, monkeypatch):
    side = world.city
    walk.under_review(side)
    conf = side.conference.pk

    @dataclasses.dataclass
    class Figures:
        year: int
        accepted_rate: Decimal
        as_of: dt.date

    fake = types.ModuleType("xieshang.proposals.stats")
    fake.dashboard = lambda conference_id, year: {"conference_id": conference_id, "year": year}  # type: ignore[attr-defined]
    fake.annual_report = lambda conference_id, year: Figures(year, Decimal("0.75"), dt.date(2026, 12, 31))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xieshang.proposals.stats", fake)

    for role in ("staff", "leader"):
        user = getattr(side, role)
        assert ok(api.get("/worklists", user, conference_id=conf))["counts"]["to_review"] == 1
        assert ok(api.get("/stats/dashboard", user, conference_id=conf, year=2026)) == {
            "conference_id": conf,
            "year": 2026,
        }
        report = ok(api.get("/stats/annual-report", user, conference_id=conf, year=2026))
        assert report == {"year": 2026, "accepted_rate": "0.75", "as_of": "2026-12-31"}
    for role in ("member", "member2", "admin", "unit_user", "unit2_user"):
        user = getattr(side, role)
        for path in ("/worklists", "/stats/dashboard", "/stats/annual-report"):
            assert refused(api.get(path, user, conference_id=conf), 403)["code"] == "permission_denied"


def test_the_real_statistics_module_answers_when_it_is_there(world, api):
    pytest.importorskip("xieshang.proposals.stats")
    walk.evaluated(world.city)
    conf = world.city.conference.pk
    assert isinstance(ok(api.get("/stats/dashboard", world.city.leader, conference_id=conf)), dict)
    assert isinstance(ok(api.get("/stats/annual-report", world.city.staff, conference_id=conf)), dict)


def test_notifications_are_only_the_callers_own(world, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        walk.accepted(world.city)
    mine = ok(api.get("/notifications", world.city.member))
    assert mine["count"] == 1 and "已立案" in mine["items"][0]["title"]
    assert ok(api.get("/notifications", world.county.member))["count"] == 0
    others = [mine["items"][0]["id"]]
    assert ok(api.post("/notifications/read", world.county.member, {"ids": others}))["marked"] == 0
    assert ok(api.get("/notifications", world.city.member, unread="true"))["count"] == 1

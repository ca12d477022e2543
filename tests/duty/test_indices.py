"""The three indices (亲密、能力、绩效) from the point events, with a configurable formula."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from xieshang.duty import indices, services

DAY = dt.date(2026, 5, 1)


def _event(side, kind: str, source_id: int, user=None) -> None:  # type: ignore[no-untyped-def]
    services.record_event(
        conference_id=side.conference.pk,
        user_id=(user or side.member).pk,
        kind=kind,
        occurred_on=DAY,
        source_type="test",
        source_id=source_id,
    )


def test_the_default_formula_weighs_outreach_study_and_results(world):
    side = world.city
    for i in range(3):
        _event(side, "outreach_logged", i)
    _event(side, "study_attended", 10)
    _event(side, "proposal_accepted", 20)

    [closeness, capability, performance] = indices.compute(side.conference.pk, 2026, {}, [side.member.pk])[
        side.member.pk
    ]

    assert (closeness.code, closeness.value) == ("closeness", 15.0)
    assert (capability.value, performance.value) == (10.0, 10.0)
    assert [p[1:] for p in closeness.parts] == [(3, 15.0)]  # three contacts, five points each


def test_a_conference_formula_replaces_the_default_and_is_capped():
    rules = {"indices": {"closeness": {"label": "亲密指数", "weights": {"outreach_logged": 60}, "cap": 100}}}
    assert indices.validate(rules["indices"]) == {}
    values = indices._values({"outreach_logged": 2}, indices.formula(rules))
    assert [(v.code, v.value) for v in values] == [("closeness", 100.0)]


def test_a_bad_formula_is_refused_with_a_message_per_key():
    errors = indices.validate({"x": {"label": "X", "weights": {"no_such_kind": 1}, "cap": -1}})
    assert "indices.x.weights" in errors and "indices.x.cap" in errors


def test_members_see_their_indices_and_the_office_sees_everyone(world):
    side = world.city
    _event(side, "outreach_logged", 1)
    member = Client()
    member.force_login(side.member)
    assert (
        'data-testid="index-closeness"' in member.get(reverse("duty:record"), {"year": 2026}).content.decode()
    )
    leader = Client()
    leader.force_login(side.leader)
    page = leader.get(reverse("duty:indices"), {"year": 2026, "sort": "closeness"})
    assert page.status_code == 200 and str(side.member) in page.content.decode()
    assert member.get(reverse("duty:indices")).status_code in (403, 404)
    county = Client()
    county.force_login(world.county.staff)
    assert str(side.member) not in county.get(reverse("duty:indices"), {"year": 2026}).content.decode()

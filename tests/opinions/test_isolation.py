"""No page leaks another conference's reports: crawl every page a county user can reach, and try
every report URL of the city directly."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.opinions import services
from xieshang.opinions.models import OpinionReport

from ..web.test_isolation_crawl import crawl
from . import walk

SECRET = "市级机密社情民意"


def _city_in_every_state(world) -> list[OpinionReport]:  # type: ignore[no-untyped-def]
    side = world.city
    made = [walk.build(side, state, title=f"{SECRET}{state}") for state in walk.S.values]
    adopted = next(r for r in made if r.adopted_in_id)
    services.record_instruction(side.staff, adopted, walk.INSTRUCTION)
    return made


@pytest.mark.parametrize("role", ["member", "staff", "leader"])
def test_a_county_user_reaches_no_page_showing_a_city_report(world, role):
    _city_in_every_state(world)
    walk.adopted(world.county, title="县级自己的信息")
    client = Client()
    client.force_login(getattr(world.county, role))

    pages = crawl(client, reverse("opinions"))
    pages.update(crawl(client, reverse("opinions:issues")))

    assert len(pages) > 1
    assert [url for url, body in pages.items() if SECRET in body] == []


@pytest.mark.parametrize("role", ["member", "staff", "leader"])
def test_every_city_report_url_is_not_found_for_a_county_user(world, role):
    made = _city_in_every_state(world)
    client = Client()
    client.force_login(getattr(world.county, role))
    for report in made:
        assert client.get(reverse("opinions:detail", args=[report.pk])).status_code == 404
        assert client.get(reverse("opinions:edit", args=[report.pk])).status_code == 404
        for action in ("submit", "claim", "revise", "adopt", "decline", "forward", "record_instruction"):
            response = client.post(
                reverse("opinions:act", args=[report.pk, action]), {"version": report.version}
            )
            assert response.status_code == 404, action
        if report.adopted_in_id:
            assert client.get(reverse("opinions:issue", args=[report.adopted_in_id])).status_code == 404
        for instruction in report.instructions.all():
            response = client.post(reverse("opinions:feedback", args=[instruction.pk]), {"feedback": "x"})
            assert response.status_code == 404

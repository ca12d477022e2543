"""No page leaks another conference's proposals: crawl every page a county user can reach, and try
every proposal URL of the city directly."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.proposals import services
from xieshang.proposals.models import Proposal

from ..proposals import walk

SECRET = "市级机密提案案由"


def _city_in_every_state(world) -> list[Proposal]:  # type: ignore[no-untyped-def]
    side = world.city
    made = [
        walk.draft(side, title=f"{SECRET}甲"),
        walk.under_review(side, title=f"{SECRET}乙"),
        walk.accepted(side, title=f"{SECRET}丙"),
        walk.assigned(side, title=f"{SECRET}丁"),
        walk.replied(side, title=f"{SECRET}戊"),
        walk.evaluated(side, title=f"{SECRET}己"),
    ]
    services.set_published(side.staff, Proposal.objects.get(pk=made[3].pk), published=False)
    return made


def crawl(client: Client, start: str, limit: int = 300) -> dict[str, str]:
    """Every same-site page reachable from `start` by links and redirects: url → body."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        seen[url] = body
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        for href in re.findall(r'href="(/[^"#]*)"', body):
            href = href.replace("&amp;", "&")
            if not href.startswith(("/static/", "/logout", "/admin/")) and href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize("role", ["member", "member2", "staff", "leader", "admin", "unit_user", "unit2_user"])
def test_a_county_user_reaches_no_page_showing_a_city_proposal(world, role):
    _city_in_every_state(world)
    walk.assigned(world.county, title="县级自己的提案")
    client = Client()
    client.force_login(getattr(world.county, role))

    pages = crawl(client, "/")

    assert len(pages) > 1
    leaks = [url for url, body in pages.items() if SECRET in body]
    assert leaks == []


@pytest.mark.parametrize("role", ["member", "staff", "leader", "unit_user"])
def test_every_city_proposal_url_is_not_found_for_a_county_user(world, role):
    made = _city_in_every_state(world)
    client = Client()
    client.force_login(getattr(world.county, role))
    for p in made:
        urls = [
            reverse("proposals:detail", args=[p.pk]),
            reverse("proposals:edit", args=[p.pk]),
            reverse("proposals:reply_form_docx", args=[p.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
        for action in ("accept", "assign", "close", "submit", "publish"):
            response = client.post(reverse("proposals:act", args=[p.pk, action]), {"version": p.version})
            assert response.status_code == 404, action
        for a in p.assignments.all():
            response = client.post(reverse("proposals:assignment_act", args=[a.pk, "remind"]), {"note": "x"})
            assert response.status_code == 404
        for r in p.replies.all():
            assert (
                client.post(reverse("proposals:evaluate", args=[r.pk]), {"verdict": "satisfied"}).status_code
                == 404
            )
    found = client.get(reverse("search"), {"q": SECRET}).content.decode()
    assert not [p.title for p in made if p.title in found]

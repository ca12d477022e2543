"""The three lists (找差距、学先进、争示范): items are tasks, with the tasks' owners and lifecycle."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.errors import AppError, ErrorCode
from xieshang.tasks import selectors, services
from xieshang.tasks.models import SourceType


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_an_item_of_a_list_is_a_task_for_its_unit(world):
    city = world.city
    gap = services.create_checklist(
        city.staff, city.conference, kind="gap", year=2026, title="营商环境找差距"
    )
    item = services.add_checklist_item(
        city.staff,
        gap,
        services.TaskInput(
            action="对标先进城市压缩企业开办时间", lead_unit_ids=[city.unit.pk], due_on=dt.date(2026, 12, 31)
        ),
    )
    assert (item.source_type, item.source_id) == (SourceType.CHECKLIST, gap.pk)
    assert list(selectors.unit_inbox(city.unit_user, city.conference.pk)) == [item]
    [row] = selectors.checklists(city.leader, city.conference.pk, 2026)
    assert (row["checklist"], row["total"], row["closed"]) == (gap, 1, 0)


def test_only_staff_open_lists_and_a_county_sees_none_of_the_city(world):
    city = world.city
    for user in (city.member, city.unit_user, city.leader, world.county.staff):
        with pytest.raises(AppError) as refused:
            services.create_checklist(user, city.conference, kind="learn", year=2026, title="学先进")
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
    lead = services.create_checklist(city.staff, city.conference, kind="lead", year=2026, title="争示范")
    assert client_for(world.county.staff).get(reverse("tasks:checklist", args=[lead.pk])).status_code == 404
    assert client_for(city.member).get(reverse("tasks:checklists")).status_code in (403, 404)


def test_staff_open_a_list_and_add_an_item_through_the_pages(world):
    city = world.city
    staff = client_for(city.staff)
    response = staff.post(reverse("tasks:checklists"), {"kind": "gap", "title": "乡村振兴找差距"})
    assert response.status_code == 302
    page_url = response["Location"]
    bad = staff.post(page_url, {"action": "", "lead_units": [city.unit.pk]})
    assert bad.status_code == 400 and "不能为空" in bad.content.decode()
    ok = staff.post(
        page_url, {"action": "补齐农村冷链物流短板", "lead_units": [city.unit.pk], "target": "新建冷库10座"}
    )
    assert ok.status_code == 302
    page = staff.get(page_url).content.decode()
    assert "补齐农村冷链物流短板" in page and "新建冷库10座" in page

"""The cultural-historical archive in headless Chromium: staff add an item at a desk, correct it and
publish it; a member reads it on the portal on a phone and finds it by person."""

from __future__ import annotations

from typing import Any

from xieshang.publishing.models import ArchiveItem, ArchiveItemState

from ..factories import PASSWORD
from .conftest import PHONE, shot


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def fits_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_staff_add_and_publish_an_item_and_a_member_reads_it_on_a_phone(pages, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = pages.base_url

    # staff record an oral history told by a friend of the conference, correct it and publish it
    staff = pages.as_user(world.city.staff.username, PASSWORD)
    staff.goto(f"{base}/publishing/archive/")
    click_and_wait(staff, "[data-testid=archive-new]")
    staff.select_option("[data-testid=archive-form] [name=kind]", "oral_history")
    staff.fill("[data-testid=archive-form] [name=title]", "东关码头的号子")
    staff.fill("[data-testid=archive-form] [name=text]", "一九五六年码头改建。\n老船工至今记得拉纤时的号子。")
    staff.fill("[data-testid=archive-form] [name=period]", "1950年代")
    staff.fill("[data-testid=archive-form] [name=place]", "东关码头")
    staff.fill("[data-testid=archive-form] [name=people]", "王大顺")
    staff.fill("[data-testid=archive-form] [name=contributor_name]", "林书远")
    click_and_wait(staff, "[data-testid=submit-archive-item]")
    item = ArchiveItem.objects.get()
    click_and_wait(staff, "[data-testid=archive-edit]")
    staff.fill("[data-testid=archive-edit-form] [name=people]", "王大顺、李桂兰")
    click_and_wait(staff, "[data-testid=save-archive-item]")
    click_and_wait(staff, "[data-testid=archive-act-review]")
    click_and_wait(staff, "[data-testid=archive-act-publish]")
    assert staff.locator("[data-testid=on-portal]").count() == 1
    shot(staff, "archive-item-desk")
    item.refresh_from_db()
    assert item.state == ArchiveItemState.PUBLISHED and item.people == "王大顺,李桂兰"

    # a member, on a phone, finds it on the portal by a person it mentions
    member = pages.as_user(world.city.member.username, PASSWORD, viewport=PHONE)
    member.goto(f"{base}/public/city/")
    click_and_wait(member, "[data-testid=nav-archive]")
    member.fill("[data-testid=archive-search] [name=people]", "李桂兰")
    click_and_wait(member, "[data-testid=archive-search] button")
    assert fits_phone(member)
    click_and_wait(member, f"[data-testid=archive-item-{item.pk}]")
    text = member.inner_text("[data-testid=public-archive-item]")
    assert "东关码头的号子" in text and "拉纤时的号子" in text and "林书远" in text
    assert fits_phone(member)
    shot(member, "archive-item-phone")

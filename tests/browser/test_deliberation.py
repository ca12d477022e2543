"""Online deliberation walked through the pages in headless Chromium: a member posts an opinion on a
phone, another member supports it on a phone, staff close the topic, finish the drafted report and
send it to a leader, who finds it among the reports sent to them, reads it and records an instruction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xieshang.voice import deliberation as svc
from xieshang.voice.models import Deliberation, Post, ReportDelivery, ReportInstruction

from ..factories import PASSWORD
from .conftest import PHONE, shot


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_members_post_and_support_on_phones_and_the_report_reaches_a_leader(pages, world):  # type: ignore[no-untyped-def]
    base = pages.base_url
    city = world.city
    now = timezone.now()
    topic = svc.create_deliberation(
        city.staff,
        city.conference,
        svc.DeliberationInput(
            title="老旧小区加装电梯",
            question="如何推进老旧小区加装电梯？",
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=7),
        ),
    )
    svc.open_deliberation(city.staff, topic)

    # --- a member posts an opinion on a phone
    member = pages.as_user(city.member.username, PASSWORD, viewport=PHONE)
    member.goto(f"{base}/voice/deliberations/{topic.pk}/")
    member.fill("[data-testid=post-form] [name=body]", "建议财政补贴加装电梯费用的三成，简化审批。")
    click_and_wait(member, "[data-testid=post-submit]")
    post = Post.objects.get(deliberation=topic)
    assert "建议财政补贴" in member.locator(f"[data-testid=post-{post.pk}]").inner_text()
    assert member.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(member, "deliberation-phone-post")

    # --- another member supports it on a phone
    member2 = pages.as_user(city.member2.username, PASSWORD, viewport=PHONE)
    member2.goto(f"{base}/voice/deliberations/{topic.pk}/")
    click_and_wait(member2, f"[data-testid=support-{post.pk}]")
    assert "已支持" in member2.locator(f"[data-testid=post-{post.pk}]").inner_text()
    post.refresh_from_db()
    assert post.support_count == 1

    # --- staff close the topic, finish the drafted report and send it to the leader
    staff = pages.as_user(city.staff.username, PASSWORD)
    staff.goto(f"{base}/voice/deliberations/{topic.pk}/manage/")
    click_and_wait(staff, "[data-testid=act-close]")
    assert "共收到有效意见 1 条" in staff.locator("[name=summary]").input_value()
    click_and_wait(staff, "[data-testid=report-final]")
    assert Deliberation.objects.get(pk=topic.pk).state == "reported"
    staff.check(f"[data-testid=send-form] input[value='{city.leader.pk}']")
    click_and_wait(staff, "[data-testid=report-send]")
    assert str(city.leader) in staff.locator("[data-testid=deliveries]").inner_text()
    assert ReportDelivery.objects.filter(deliberation=topic, leader=city.leader).exists()

    # --- the leader finds it, reads it and records an instruction
    leader = pages.as_user(city.leader.username, PASSWORD)
    leader.goto(f"{base}/voice/deliberations/reports/")
    click_and_wait(leader, f"[data-testid=report-inbox] a:has-text('{topic.title}')")
    assert "共收到有效意见 1 条" in leader.locator("[data-testid=report]").inner_text()
    leader.select_option("[name=level]", "city")
    leader.fill("[name=text]", "请市住建局牵头研究落实。")
    click_and_wait(leader, "[data-testid=instruction-submit]")
    assert "请市住建局牵头研究落实。" in leader.locator("[data-testid=instructions]").inner_text()
    shot(leader, "deliberation-leader-report")
    assert ReportInstruction.objects.get().leader == city.leader
    assert ReportDelivery.objects.get().read_at is not None

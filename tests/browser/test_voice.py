"""Public voice walked through the pages in headless Chromium: a citizen on a phone submits a
suggestion and gets a code; staff answer it publicly; the citizen reads the reply by the code; staff
mark another message as a lead and a member adopts it into a proposal with one click."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from xieshang.proposals.models import Proposal
from xieshang.voice.models import Lead, PublicMessage

from ..factories import PASSWORD
from .conftest import PHONE, shot


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_citizen_submits_on_a_phone_and_reads_the_reply_and_a_lead_becomes_a_proposal(
    pages, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIESHANG_CAPTCHA_FIXED_ANSWER = "42"
    cache.clear()
    base = pages.base_url
    city = world.city

    # --- a citizen, on a phone, leaves a suggestion
    citizen = pages.anonymous(PHONE)
    citizen.goto(f"{base}/voice/city/new/")
    assert citizen.locator("[data-testid=captcha-image]").is_visible()
    citizen.fill("[name=subject]", "幸福路路灯坏了")
    citizen.fill("[name=detail]", "幸福路12号门口路灯坏了一个月，有事请打13812341234。")
    citizen.fill("[name=contact_phone]", "13812341234")
    citizen.fill("[name=captcha]", "42")
    click_and_wait(citizen, "[data-testid=voice-submit]")
    code = citizen.locator("[data-testid=tracking-code]").inner_text().strip()
    assert len(code) == 10
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(citizen, "voice-phone-code")
    message = PublicMessage.objects.get(tracking_code=code)

    # --- staff answer it publicly from the board
    staff = pages.as_user(city.staff.username, PASSWORD)
    staff.goto(f"{base}/voice/board/")
    click_and_wait(staff, f"[data-testid=message-row-{message.pk}] a")
    staff.click("[data-testid=action-answer] summary")
    staff.fill("#id_answer_reply", "已安排维修，三日内修复。")
    click_and_wait(staff, "[data-testid=submit-answer]")
    assert "已答复" in staff.locator("[data-testid=messages]").inner_text()

    # --- the citizen reads the reply by the code; the phone number is masked
    citizen.goto(f"{base}/voice/track/")
    citizen.fill("[name=code]", code)
    click_and_wait(citizen, "[data-testid=track-submit]")
    assert "已安排维修，三日内修复。" in citizen.locator("[data-testid=track-reply]").inner_text()
    body = citizen.locator("main").inner_text()
    assert "138****1234" in body and "13812341234" not in body
    shot(citizen, "voice-phone-reply")

    # --- staff mark a second message as a lead for a member
    citizen.goto(f"{base}/voice/city/new/")
    citizen.fill("[name=subject]", "建议增设社区养老服务点")
    citizen.fill("[name=detail]", "老旧小区老人多，缺少日间照料中心。")
    citizen.fill("[name=captcha]", "42")
    click_and_wait(citizen, "[data-testid=voice-submit]")
    second = PublicMessage.objects.get(subject="建议增设社区养老服务点")
    staff.goto(f"{base}/voice/m/{second.pk}/")
    staff.click("[data-testid=action-mark_lead] summary")
    staff.select_option("#id_mark_lead_member", str(city.member.pk))
    click_and_wait(staff, "[data-testid=submit-mark_lead]")
    lead = Lead.objects.get(message=second)

    # --- the member adopts it on the phone with one click and lands in the proposal draft
    member = pages.as_user(city.member.username, PASSWORD, viewport=PHONE)
    member.goto(f"{base}/voice/leads/")
    click_and_wait(member, f"[data-testid=adopt-{lead.pk}]")
    proposal = Proposal.objects.get(proposer=city.member)
    assert member.url.endswith(f"/proposals/{proposal.pk}/edit/")
    lead.refresh_from_db()
    assert lead.adopted_proposal_id == proposal.pk

    # --- and the public sees it became a proposal
    citizen.goto(f"{base}/voice/track/")
    citizen.fill("[name=code]", second.tracking_code)
    click_and_wait(citizen, "[data-testid=track-submit]")
    assert "已转化为提案" in citizen.locator("[data-testid=track-adopted]").inner_text()

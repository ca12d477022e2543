"""The whole proposal lifecycle walked through the pages in headless Chromium.

A member submits with a co-signer (on a phone), the co-signer confirms (on a phone), staff accept and
assign to a lead and a co-handling unit, the co-handling unit sends its opinion, the lead unit records
its consultation and replies class B, the member is unsatisfied, the unit re-handles, the member is
satisfied, staff close.
"""

from __future__ import annotations

from typing import Any

from xieshang.proposals.models import Proposal, ProposalState

from ..factories import PASSWORD
from .conftest import PHONE, shot

TITLE = "关于加快推进老旧小区加装电梯的建议"


def state_of(proposal_id: int) -> str:
    return Proposal.objects.get(pk=proposal_id).state


def fits_phone(page: Any) -> bool:
    """Nothing on the page is wider than the phone screen."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def open_detail(page: Any, base: str, proposal_id: int) -> None:
    page.goto(f"{base}/proposals/{proposal_id}/")
    page.wait_for_selector("[data-testid=proposal-detail]")


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_the_whole_lifecycle_through_the_pages(pages, world):
    base = pages.base_url
    city = world.city

    # --- the member writes on a phone and invites a co-signer
    member = pages.as_user(city.member.username, PASSWORD, viewport=PHONE)
    assert fits_phone(member)
    member.goto(f"{base}/proposals/")
    click_and_wait(member, "[data-testid=new-proposal]")
    member.fill("[name=title]", TITLE)
    member.fill(
        "[name=analysis]", "我市建成于2000年以前的老旧小区有1200余个，多数没有电梯，老年住户上下楼困难。"
    )
    member.fill(
        "[name=recommendations]", "一、简化加装电梯审批流程；二、设立市级财政补贴；三、引导居民协商分摊费用。"
    )
    member.select_option("[name=category]", label="社会事业")
    member.select_option("[name=cosigners]", label=str(city.member2))
    assert fits_phone(member)
    click_and_wait(member, "[data-testid=save-draft]")
    proposal_id = int(member.get_attribute("[data-testid=proposal-detail]", "data-proposal-id") or 0)
    assert member.inner_text("[data-testid=proposal-title]") == TITLE
    click_and_wait(member, "[data-testid=submit-proposal]")
    assert state_of(proposal_id) == ProposalState.SUBMITTED
    assert fits_phone(member)

    # --- the co-signer confirms on a phone, from the invitation on the home page
    cosigner = pages.as_user(city.member2.username, PASSWORD, viewport=PHONE)
    click_and_wait(cosigner, f"[data-testid=proposal-card-{proposal_id}]")
    click_and_wait(cosigner, "[data-testid=cosign-confirm]")
    assert state_of(proposal_id) == ProposalState.UNDER_REVIEW

    # --- staff accept (numbered) and assign to a lead and a co-handling unit
    staff = pages.as_user(city.staff.username, PASSWORD)
    staff.goto(f"{base}/proposals/work/to_review/")
    assert TITLE in staff.inner_text("[data-testid=worklist]")
    shot(staff, "staff-worklist")
    click_and_wait(staff, f"[data-testid=row-{proposal_id}] a")
    click_and_wait(staff, "[data-testid=action-accept]")
    assert staff.inner_text("[data-testid=proposal-number]") == "第0001号"
    staff.select_option("[data-testid=form-assign] [name=unit_0]", label=city.unit.name)
    staff.select_option("[data-testid=form-assign] [name=role_0]", value="lead")
    staff.select_option("[data-testid=form-assign] [name=unit_1]", label=city.unit2.name)
    staff.select_option("[data-testid=form-assign] [name=role_1]", value="co")
    click_and_wait(staff, "[data-testid=action-assign]")
    assert state_of(proposal_id) == ProposalState.ASSIGNED

    # --- the co-handling unit sends its opinion to the lead unit
    co_unit = pages.as_user(city.unit2_user.username, PASSWORD)
    co_unit.goto(f"{base}/proposals/unit/")
    assert TITLE in co_unit.inner_text("[data-testid=unit-inbox]")
    open_detail(co_unit, base, proposal_id)
    co_unit.fill(
        "[data-testid=form-submit_co_opinion] [name=body]", "我局将在既有住宅加装电梯的消防审查方面积极配合。"
    )
    click_and_wait(co_unit, "[data-testid=co-opinion-submit]")

    # --- the lead unit consults the proposer, then replies class B
    lead_unit = pages.as_user(city.unit_user.username, PASSWORD)
    lead_unit.goto(f"{base}/proposals/unit/")
    shot(lead_unit, "unit-inbox")
    open_detail(lead_unit, base, proposal_id)
    assert "消防审查" in lead_unit.inner_text("[data-testid=proposal-detail]")
    lead_unit.select_option("[data-testid=form-record_consultation] [name=form]", value="meeting")
    lead_unit.fill(
        "[data-testid=form-record_consultation] [name=agreed]", "与提案人座谈，商定先在三个街道试点。"
    )
    click_and_wait(lead_unit, "[data-testid=consultation-submit]")
    reply_form = "[data-testid=form-reply]"
    lead_unit.fill(f"{reply_form} [name=body]", "经研究，加装电梯已列入明年民生实事计划，正在制定补贴办法。")
    lead_unit.select_option(f"{reply_form} [name=outcome]", value="B")
    lead_unit.fill(f"{reply_form} [name=signed_by]", "王建国")
    click_and_wait(lead_unit, "[data-testid=reply-submit]")
    assert state_of(proposal_id) == ProposalState.REPLIED

    # --- the member sees the reply waiting on the home page, and is unsatisfied (phone)
    member.goto(f"{base}/")
    assert TITLE in member.inner_text("main")
    assert fits_phone(member)
    shot(member, "member-home")
    open_detail(member, base, proposal_id)
    assert "列入明年民生实事计划" in member.inner_text("[data-testid=proposal-detail]")
    member.fill("[data-testid=form-evaluate] [name=comment]", "补贴标准和时间表不明确。")
    click_and_wait(member, "[data-testid=evaluate-unsatisfied]")
    assert state_of(proposal_id) == ProposalState.ASSIGNED
    assert fits_phone(member)

    # --- the lead unit re-handles: a second reply, class A
    open_detail(lead_unit, base, proposal_id)
    lead_unit.fill(f"{reply_form} [name=body]", "补充答复：每台电梯补贴15万元，2027年6月底前完成首批100台。")
    lead_unit.select_option(f"{reply_form} [name=outcome]", value="A")
    lead_unit.fill(f"{reply_form} [name=signed_by]", "王建国")
    click_and_wait(lead_unit, "[data-testid=reply-submit]")
    assert state_of(proposal_id) == ProposalState.REPLIED

    # --- the member is satisfied (phone)
    open_detail(member, base, proposal_id)
    click_and_wait(member, "[data-testid=evaluate-satisfied]")
    assert state_of(proposal_id) == ProposalState.EVALUATED

    # --- staff close; the timeline shows every step
    open_detail(staff, base, proposal_id)
    click_and_wait(staff, "[data-testid=action-close]")
    assert state_of(proposal_id) == ProposalState.CLOSED
    timeline = staff.inner_text("[data-testid=timeline]")
    for step in ("提交", "立案", "交办", "会办意见", "办前面商", "不满意", "满意", "办结"):
        assert step in timeline, step
    shot(staff, "proposal-detail")

    # --- the leader's dashboard counts it
    leader = pages.as_user(city.leader.username, PASSWORD)
    leader.goto(f"{base}/dashboard/")
    leader.wait_for_selector("[data-testid=figures]")
    leader.wait_for_timeout(500)  # let ECharts draw before the screenshot
    shot(leader, "leader-dashboard")


def test_a_county_member_cannot_open_a_city_proposal(pages, world):
    from ..proposals import walk

    p = walk.under_review(world.city)
    county = pages.as_user(world.county.member.username, PASSWORD, viewport=PHONE)
    response = county.goto(f"{pages.base_url}/proposals/{p.pk}/")
    assert response is not None and response.status == 404
    assert world.city.member.display_name not in county.content()


def test_a_script_in_a_title_is_shown_as_text(pages, world):
    from ..proposals import walk

    p = walk.under_review(world.city, title="<script>window.pwned=1</script>关于食品安全的建议")
    staff = pages.as_user(world.city.staff.username, PASSWORD)
    staff.goto(f"{pages.base_url}/proposals/{p.pk}/")
    assert "<script>window.pwned=1</script>" in staff.inner_text("[data-testid=proposal-title]")
    assert staff.evaluate("window.pwned") is None

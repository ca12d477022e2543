"""A public-opinion report walked through the pages in headless Chromium: a member writes and sends it
on a phone; staff claim it, edit it (the change is kept), adopt it into a journal issue, publish the
issue and record a leader's instruction; the member then reads the instruction on the phone."""

from __future__ import annotations

from typing import Any

from xieshang.opinions.models import OpinionReport, OpinionState

from ..factories import PASSWORD
from .conftest import PHONE, shot


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_from_a_members_report_to_a_leaders_instruction(pages, world):
    base = pages.base_url
    city = world.city

    # --- a member writes the report on the phone and sends it
    member = pages.as_user(city.member.username, PASSWORD, viewport=PHONE)
    member.goto(f"{base}/opinions/")
    click_and_wait(member, "[data-testid=new-report]")
    member.fill("[name=title]", "关于农村留守老人助餐服务的建议")
    member.fill("[name=facts]", "部分乡镇老年食堂因经费不足已停办，留守老人吃饭难。")
    member.fill("[name=analysis]", "运营补贴标准偏低，社会力量参与不足。")
    member.fill("[name=suggestions]", "一是提高运营补贴；二是引入社会组织；三是推广邻里互助。")
    click_and_wait(member, "[data-testid=save-draft]")
    click_and_wait(member, "[data-testid=submit-report]")
    report = OpinionReport.objects.get(title="关于农村留守老人助餐服务的建议")
    assert report.state == OpinionState.SUBMITTED
    assert member.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(member, "opinions-member-submitted")

    # --- staff find it in the work list, claim it and edit the title
    staff = pages.as_user(city.staff.username, PASSWORD)
    staff.goto(f"{base}/opinions/work/")
    click_and_wait(staff, f"[data-testid=row-{report.pk}] a")
    click_and_wait(staff, "[data-testid=claim-report]")
    staff.click("[data-testid=action-revise] summary")
    staff.fill("[data-testid=form-revise] [name=title]", "关于完善农村留守老人助餐服务的建议")
    staff.fill("[data-testid=form-revise] [name=note]", "标题更准确")
    click_and_wait(staff, "[data-testid=form-revise] button[type=submit]")
    assert "标题更准确" in staff.inner_text("[data-testid=revisions]")

    # --- they adopt it into a new issue of the journal and publish the issue
    staff.click("[data-testid=action-adopt] summary")
    click_and_wait(staff, "[data-testid=form-adopt] button[type=submit]")
    report.refresh_from_db()
    assert report.state == OpinionState.ADOPTED
    click_and_wait(staff, "[data-testid=tab-issues]")
    click_and_wait(staff, "[data-testid=issues] a")
    assert "关于完善农村留守老人助餐服务的建议" in staff.inner_text("[data-testid=issue-reports]")
    click_and_wait(staff, "[data-testid=form-publish] button[type=submit]")
    assert staff.locator("[data-testid=form-forward-issue]").count() == 1
    shot(staff, "opinions-issue-published")

    # --- a leader's instruction is recorded on the report
    staff.goto(f"{base}/opinions/{report.pk}/")
    staff.click("[data-testid=action-record_instruction] summary")
    staff.fill("[data-testid=form-record_instruction] [name=leader_name]", "张市长")
    staff.select_option("[data-testid=form-record_instruction] [name=level]", "city")
    staff.fill("[data-testid=form-record_instruction] [name=text]", "请市民政局研究落实。")
    click_and_wait(staff, "[data-testid=form-record_instruction] button[type=submit]")
    assert "请市民政局研究落实" in staff.inner_text("[data-testid=instructions]")

    # --- the member reads the instruction on the phone
    member.goto(f"{base}/opinions/{report.pk}/")
    assert "已采用，编入" in member.inner_text("[data-testid=adoption]")
    assert "关于完善农村留守老人助餐服务的建议" in member.inner_text("[data-testid=report-title]")
    assert "请市民政局研究落实" in member.inner_text("[data-testid=instructions]")
    shot(member, "opinions-member-instruction")

"""An activity walked through the pages in headless Chromium: staff create, invite and publish it at a
desk; a member on a phone registers, checks in by typing the code, and sees the attendance and the
duty points that came from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xieshang.activities.models import Activity, Attendance

from ..factories import PASSWORD
from .conftest import PHONE, shot

TITLE = "视察城区污水处理厂提标改造"


def fits_phone(page: Any) -> bool:
    """Nothing on the page is wider than the phone screen."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_staff_publish_and_a_member_checks_in_on_a_phone(pages, world):
    base = pages.base_url
    city = world.city
    start = timezone.localtime() + dt.timedelta(minutes=5)

    # --- staff create the activity at a desk
    staff = pages.as_user(city.staff.username, PASSWORD)
    staff.goto(f"{base}/activities/office/")
    click_and_wait(staff, "[data-testid=new-activity]")
    staff.select_option("[name=kind]", value="inspection")
    staff.fill("[name=title]", TITLE)
    staff.fill("[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    staff.fill("[name=ends_at]", (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    staff.fill("[name=place]", "城区污水处理厂")
    click_and_wait(staff, "[data-testid=save-activity]")
    activity = Activity.objects.get(title=TITLE)
    assert activity.state == "draft"

    # --- invite from the talent pool, then publish
    click_and_wait(staff, "[data-testid=action-invite]")
    staff.fill("[data-testid=pool-q]", str(city.member))
    click_and_wait(staff, "[data-testid=pool-submit]")
    staff.check(f"[data-testid=pool-{city.member.pk}] input[name=members]")
    click_and_wait(staff, "[data-testid=pick-invite]")
    click_and_wait(staff, "[data-testid=back-to-manage]")
    click_and_wait(staff, "[data-testid=action-publish]")
    code = staff.inner_text("[data-testid=checkin-code]").strip()
    assert len(code) == 6
    shot(staff, "activity-manage")

    # --- the member registers and checks in on a phone, by typing the code
    member = pages.as_user(city.member.username, PASSWORD, viewport=PHONE)
    assert fits_phone(member)
    click_and_wait(member, f"[data-testid=activity-card-{activity.pk}]")
    click_and_wait(member, "[data-testid=register]")
    assert "已报名" in member.inner_text("[data-testid=my-status]")
    member.fill("[data-testid=detail-checkin] [name=code]", code.lower())
    click_and_wait(member, "[data-testid=detail-checkin] [data-testid=checkin-submit]")
    assert "签到成功" in member.inner_text("[data-testid=messages]")
    assert "出席" in member.inner_text("[data-testid=my-status]")
    assert fits_phone(member)
    shot(member, "member-checked-in")
    assert Attendance.objects.get(activity=activity, user=city.member).status == "present"

    # --- staff see who came
    staff.reload()
    assert staff.inner_text("[data-testid=count-present]") == "1"

    # --- the member sees the activity among their duty points
    response = member.goto(f"{base}/duty/")
    assert response is not None and response.status == 200
    assert fits_phone(member)
    assert "参加视察调研等活动" in member.inner_text("main") or TITLE in member.inner_text("main")
    shot(member, "member-duty-after-checkin")

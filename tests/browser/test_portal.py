"""The public portal in headless Chromium: a reader on a phone finds and reads what was published; staff
at a desk compose and publish a journal issue that then appears on the portal."""

from __future__ import annotations

from typing import Any

from xieshang.proposals import services as proposal_services
from xieshang.publishing.models import JournalIssue

from ..factories import PASSWORD
from ..proposals import walk as proposal_walk
from ..publishing import walk
from .conftest import PHONE, shot


def fits_phone(page: Any) -> bool:
    """Nothing on the page is wider than the phone screen."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_reader_on_a_phone_searches_and_reads_the_portal(pages, world):
    base = pages.base_url
    article = walk.published(world.city, title="市政协围绕电梯加装开展专题协商")
    walk.draft(world.city, title="电梯加装草稿不公开")
    proposal = proposal_walk.evaluated(world.city, title="关于老旧小区加装电梯的建议")
    proposal_services.set_published(world.city.staff, proposal, published=True)

    reader = pages.anonymous(viewport=PHONE)
    reader.goto(f"{base}/public/")
    assert fits_phone(reader)
    click_and_wait(reader, "[data-testid=conference-city]")
    assert "市政协围绕电梯加装开展专题协商" in reader.inner_text("[data-testid=home-news]")
    assert fits_phone(reader)

    reader.fill("[data-testid=portal-search] input[name=q]", "电梯")
    click_and_wait(reader, "[data-testid=portal-search] button")
    results = reader.inner_text("[data-testid=search-results]")
    assert "市政协围绕电梯加装开展专题协商" in results and "关于老旧小区加装电梯的建议" in results
    assert "草稿不公开" not in results
    assert fits_phone(reader)
    shot(reader, "portal-search-phone")

    click_and_wait(reader, f"[data-testid=article-{article.pk}]")
    assert reader.inner_text("[data-testid=public-article-title]") == "市政协围绕电梯加装开展专题协商"
    assert fits_phone(reader)
    reader.go_back()
    click_and_wait(reader, f"[data-testid=public-{proposal.pk}]")
    assert reader.inner_text("[data-testid=public-proposal-title]") == "关于老旧小区加装电梯的建议"
    assert reader.locator("[data-testid=public-letter]").count() >= 1
    assert fits_phone(reader)
    shot(reader, "portal-proposal-phone")


def test_staff_publish_a_journal_issue_at_a_desk(pages, world):
    base = pages.base_url
    walk.published(world.city, title="本期刊发的常委会新闻")

    staff = pages.as_user(world.city.staff.username, PASSWORD)
    staff.goto(f"{base}/proposals/work/")
    click_and_wait(staff, "[data-testid=menu-publishing]")
    click_and_wait(staff, "[data-testid=tab-journals]")
    staff.fill("[data-testid=form-new-journal] [name=name]", "示范市政协")
    click_and_wait(staff, "[data-testid=create-journal]")
    staff.fill("[data-testid=form-new-issue] [name=title]", "常委会专辑")
    click_and_wait(staff, "[data-testid=create-issue]")
    staff.select_option("[data-testid=form-add-item] [name=article]", label="本期刊发的常委会新闻")
    click_and_wait(staff, "[data-testid=add-item]")
    assert "本期刊发的常委会新闻" in staff.inner_text("[data-testid=issue-items]")
    click_and_wait(staff, "[data-testid=publish-issue]")
    shot(staff, "publishing-issue-desk")
    issue = JournalIssue.objects.get(conference=world.city.conference)
    assert issue.state == JournalIssue.State.PUBLISHED and issue.number == 1

    reader = pages.anonymous(viewport=PHONE)
    reader.goto(f"{base}/public/city/journals/")
    click_and_wait(reader, f"[data-testid=issue-{issue.pk}]")
    assert "本期刊发的常委会新闻" in reader.inner_text("[data-testid=public-issue-items]")
    assert fits_phone(reader)

"""Take the README tour's screenshots from a running demo (`make demo` in another terminal).

Usage: .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000]
Writes docs/screenshots/*.png with Debian's chromium through Playwright.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PASSWORD = "demo12345"


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS
        )

        def page_for(username: str, width: int, height: int) -> Page:
            page = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN").new_page()
            login(page, base, username)
            return page

        member = page_for("jz_member", 390, 844)
        member.screenshot(path=str(OUT / "member-home.png"))
        staff = page_for("jz_staff", 1366, 900)
        staff.goto(f"{base}/proposals/work/overdue/")
        staff.screenshot(path=str(OUT / "staff-worklist.png"))
        staff.goto(f"{base}/proposals/work/to_close/")
        staff.click("[data-testid=worklist] tbody tr a")
        staff.wait_for_load_state("networkidle")
        staff.screenshot(path=str(OUT / "proposal-detail.png"), full_page=True)
        unit = page_for("jz_unit", 1366, 900)
        unit.goto(f"{base}/proposals/unit/")
        unit.screenshot(path=str(OUT / "unit-inbox.png"))
        leader = page_for("jz_leader", 1366, 900)
        leader.goto(f"{base}/dashboard/")
        leader.wait_for_timeout(800)
        leader.screenshot(path=str(OUT / "leader-dashboard.png"), full_page=True)
        member.goto(f"{base}/activities/")
        member.screenshot(path=str(OUT / "member-activities.png"))
        member.goto(f"{base}/duty/")
        member.screenshot(path=str(OUT / "member-duty.png"))
        staff.goto(f"{base}/tasks/")
        staff.screenshot(path=str(OUT / "task-ledger.png"))
        member.goto(f"{base}/research/study/me/")
        member.screenshot(path=str(OUT / "member-study.png"))
        staff.goto(f"{base}/research/topics/")
        staff.click("a:has-text('已报送')")
        staff.wait_for_load_state("networkidle")
        staff.click("table tbody tr a")
        staff.wait_for_load_state("networkidle")
        staff.screenshot(path=str(OUT / "research-topic.png"), full_page=True)
        staff.goto(f"{base}/voice/surveys/")
        staff.click("table tbody tr a")
        staff.wait_for_load_state("networkidle")
        results = staff.locator("a[href$='/results/']")
        if results.count():
            results.first.click()
            staff.wait_for_load_state("networkidle")
            staff.wait_for_timeout(800)
        staff.screenshot(path=str(OUT / "survey-results.png"), full_page=True)
        reader = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
        reader.goto(f"{base}/public/jiangzhou/culture/")
        reader.wait_for_timeout(800)
        reader.screenshot(path=str(OUT / "public-culture.png"))
        reader.goto(f"{base}/public/")
        reader.click("a[href^='/public/jiangzhou']")
        reader.wait_for_load_state("networkidle")
        reader.screenshot(path=str(OUT / "public-portal.png"))
        browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()

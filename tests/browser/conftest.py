"""Headless Chromium (Debian's package, driven by Playwright) against the live test server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole run; it must exist (make test installs it), never skipped silently."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: run `make browser-deps` (apt-get install chromium fonts-noto-cjk)"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Pages:
    """Opens a fresh browser context per user and viewport, signed in through the login form."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[Any] = []
        self.requests_outside: list[str] = []

    def as_user(self, username: str, password: str, viewport: dict[str, int] = DESKTOP) -> Any:
        context = self.browser.new_context(viewport=viewport, locale="zh-CN")
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("request", self._watch)
        page.goto(f"{self.base_url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "/login/" not in page.url, f"login failed for {username}"
        return page

    def anonymous(self, viewport: dict[str, int] = DESKTOP) -> Any:
        context = self.browser.new_context(viewport=viewport, locale="zh-CN")
        self.contexts.append(context)
        page = context.new_page()
        page.on("request", self._watch)
        return page

    def _watch(self, request: Any) -> None:
        if not request.url.startswith(self.base_url) and not request.url.startswith(("data:", "blob:")):
            self.requests_outside.append(request.url)

    def close(self) -> None:
        for c in self.contexts:
            c.close()


@pytest.fixture
def pages(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Pages]:
    """Signed-in pages against the live server; fails if any page asked for something off this server."""
    p = Pages(browser, live_server.url)
    yield p
    p.close()
    assert not p.requests_outside, f"pages asked for outside resources: {p.requests_outside[:5]}"


def shot(page: Any, name: str) -> None:
    """Save a screenshot of the walk (var/screenshots) for a look after the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop; the ORM calls in these tests are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
QUIET = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        "Debian's chromium is required: `make system-packages` installs it"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=QUIET)
        yield chromium
        chromium.close()


class Visit:
    """One browser tab on the live server that records outside requests and CSP violations."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int]) -> None:
        self.base_url = base_url
        self.context = browser.new_context(viewport=viewport, base_url=base_url)
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.console_errors: list[str] = []
        self.page.on("request", self._request)
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))

    def _request(self, request: Any) -> None:
        if not request.url.startswith((self.base_url, "data:")):
            self.outside.append(request.url)

    def sign_in(self, username: str, password: str) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, live_server: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_tab(viewport: dict[str, int] = DESKTOP) -> Visit:
        tab = Visit(browser, live_server.url, viewport)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        assert tab.outside == [], f"requests left the server: {tab.outside}"
        assert [e for e in tab.console_errors if "Content Security Policy" in e] == []
        tab.close()

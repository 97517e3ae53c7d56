"""The pages in a real browser: Debian's Chromium driven by Playwright, against a real
uvicorn serving a ledger with the 2021 plan and the demo's activity.

Every browser context has a route guard: a request (or WebSocket) to any host but the
loopback is refused and recorded, and the test fails at its end, as it does on any error
a page throws. Screenshots go to ``build/screenshots`` (ignored by git) for a person to
look at. Chromium is ``chromium`` on the PATH (``.ci/run`` installs it with apt-get):
without it these tests fail, saying so.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.pages.server import PageServer, page_server_on

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
SCREEN = {"width": 1920, "height": 1080}
DESK = {"width": 1600, "height": 1000}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def chromium_path() -> str:
    found = os.environ.get("LEDGER_TEST_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail(
            "no `chromium` on the PATH: the page tests drive Debian's Chromium "
            "(apt-get install chromium fonts-noto-cjk; .ci/run does it)"
        )
    return found


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    launched = playwright_driver.chromium.launch(
        executable_path=chromium_path(), headless=True, args=list(CHROMIUM_FLAGS)
    )
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def pages_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageServer]:
    """One server per worker, on a ledger with the plan and the demo's 90 days."""
    server = page_server_on(tmp_path_factory.mktemp("pages"))
    yield server
    server.stop()


class Guard:
    """What a context asked of hosts other than the loopback, and what its pages threw."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []

    def check(self) -> None:
        assert not self.outside, f"requests left the loopback: {self.outside}"
        assert not self.errors, f"the page threw: {self.errors}"


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower()


def guarded_context(browser: Browser, **options: Any) -> tuple[BrowserContext, Guard]:
    """A new context whose requests reach the loopback only."""
    guard = Guard()
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or _host(url) in LOOPBACK:
            route.continue_()
        else:
            guard.outside.append(url)
            route.abort("blockedbyclient")

    def route_socket(socket: Any) -> None:
        if _host(socket.url) in LOOPBACK:
            socket.connect_to_server()
        else:
            guard.outside.append(socket.url)
            socket.close()

    context.route("**/*", route)
    context.route_web_socket("**/*", route_socket)
    context.on("weberror", lambda error: guard.errors.append(str(error.error)))
    return context, guard


@pytest.fixture
def guard_and_context(browser: Browser) -> Iterator[tuple[BrowserContext, Guard]]:
    context, guard = guarded_context(browser, viewport=DESK)
    yield context, guard
    context.close()
    guard.check()


@pytest.fixture
def page(guard_and_context: tuple[BrowserContext, Guard]) -> Page:
    """A page of a guarded context, office-PC sized."""
    context, _ = guard_and_context
    return context.new_page()


@pytest.fixture
def screen_page(browser: Browser) -> Iterator[Page]:
    """A page of a guarded context the size of a big screen (1920×1080)."""
    context, guard = guarded_context(browser, viewport=SCREEN)
    yield context.new_page()
    context.close()
    guard.check()


def screenshot(page: Page, name: str) -> Path:
    """Write what the page shows to build/screenshots/NAME.png, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path

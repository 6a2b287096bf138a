"""Browser tests: the page served by a real uvicorn on loopback over a private copy of the
demo store, driven in the system's headless Chromium by Playwright (one browser for the
browser tests that run in a row, a fresh context per test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from idpilot.state.roles import Role
from tests.api.served import Served, private_store, served
from tests.conftest import DemoTenant
from tests.web.browser import CHROMIUM_ARGS, VIEWPORT, WAIT_MS, Problems, chromium_path

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None  # type: ignore[assignment]


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """The system Chromium, headless, closed when the tests leave this folder: Playwright's
    sync API keeps its event loop marked running on the main thread while it is open, and any
    other test's `asyncio.run` would fail under it (under pytest-xdist other folders' tests
    run after these in the same worker)."""
    if sync_playwright is None:
        pytest.fail(
            "The browser tests need Playwright's Python package: pip install -e '.[dev]' "
            "(never `playwright install`: they drive the system Chromium).",
            pytrace=False,
        )
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def web(demo_tenant: DemoTenant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app over a private copy of the demo store, for the browser tests."""
    folder = tmp_path_factory.mktemp("web")
    store = private_store(folder, demo_tenant.store)
    with served(store, folder / "state.duckdb") as running:
        yield running


def open_page(browser: Browser, url: str, scheme: str = "light") -> tuple[Page, Problems, Any]:
    """A new page on `url` in a fresh context, with its problems recorded."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)  # type: ignore[arg-type]
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    problems = Problems()
    page.on("console", problems.console)
    page.on("pageerror", problems.exception)
    page.goto(url)
    return page, problems, context


def sign_in(page: Page, secret: str) -> None:
    """Paste the token and sign in; wait for the pages' tabs."""
    page.fill("#token", secret)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#tabs:not([hidden])")
    page.wait_for_selector("#prompts button")


@pytest.fixture
def signed_in(browser: Browser, web: Served) -> Iterator[tuple[Page, Problems]]:
    """A page signed in with a reader's token; the test fails if the browser reported a
    console error (a CSP violation is one) or a script error."""
    page, problems, context = open_page(browser, web.url)
    sign_in(page, web.tokens[Role.reader])
    yield page, problems
    context.close()
    assert problems.messages == []

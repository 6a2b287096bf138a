"""Hostile tenant text is inert in the page: a display name carrying markup, a script, a
markdown link, and bidi, invisible and control characters is shown as text (the invisible
ones as {U+XXXX}) on every page that shows it, and nothing in it runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from idpilot.sources.ingest import ingest_folder
from idpilot.state.roles import Role
from idpilot.store import Store
from tests.api.served import Served, served
from tests.security.builder import TenantBuilder
from tests.web.browser import Problems, screenshot
from tests.web.conftest import open_page, sign_in

MARKUP = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
NAME = f"Mallory {MARKUP} [evil](javascript:alert(1)) \u202egnp.exe\u200b\u0007 end"
SHOWN = f"Mallory {MARKUP} [evil](javascript:alert(1)) {{U+202E}}gnp.exe{{U+200B}}{{U+0007}} end"
RAW = ("\u202e", "\u200b", "\u0007")
INERT = """() => ({
  images: document.querySelectorAll("img").length,
  scripts: [...document.scripts].map((s) => s.getAttribute("src")),
  pwned: window.__pwned === undefined ? null : window.__pwned,
  links: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href"))
    .filter((h) => !h.startsWith("#")),
  text: document.body.innerText,
})"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app over a tenant whose user's display name is hostile: a failed sign-in, a risk,
    an audit event about them, a policy that excludes them."""
    folder = tmp_path_factory.mktemp("hostile-web")
    tenant = TenantBuilder()
    mallory = tenant.user(NAME, userPrincipalName="mallory@contoso.test")
    admin = tenant.user("Alice Admin")
    tenant.user("Bob Plain")
    tenant.sign_in(mallory, tenant.ago(hours=3), error=50126)
    tenant.risky_user(mallory, "high")
    tenant.audit(
        "Update user",
        tenant.ago(hours=2),
        admin,
        [tenant.target(mallory, "User", displayName=NAME)],
        category="UserManagement",
    )
    tenant.policy("Require MFA", exclude_users=[mallory["id"]])
    path = folder / "tenant.duckdb"
    with Store.open(path) as store:
        ingest_folder(store, tenant.write(folder / "snapshot"))
    with served(path, folder / "state.duckdb") as running:
        yield running


def _assert_inert(page: Page, problems: Problems) -> str:
    state = page.evaluate(INERT)
    assert state["images"] == 0
    assert state["scripts"] == ["/static/js/main.js"]
    assert state["pwned"] is None
    assert state["links"] == []
    for character in RAW:
        assert character not in state["text"]
    assert problems.messages == []
    return str(state["text"])


def test_a_hostile_display_name_is_shown_as_text_and_never_runs(
    browser: Browser, hostile: Served
) -> None:
    page, problems, context = open_page(browser, hostile.url)
    sign_in(page, hostile.tokens[Role.reader])

    page.click("#tabs a[data-page=risky]")
    name_cell = page.locator("#risky-body tbody th").first
    expect(name_cell).to_have_text(SHOWN)
    page.get_by_role("button", name="Summarize").click()
    summary = page.locator("#risky-body .inline-answer .answer-text")
    expect(summary).to_contain_text("{U+202E}")
    expect(summary).to_contain_text("<img src=x")
    summary.locator("button.cite").first.click()
    expect(page.locator("#panel-body .fields").first).to_contain_text(SHOWN)
    screenshot(page, "hostile-risky-users")
    _assert_inert(page, problems)

    page.click("#tabs a[data-page=signins]")
    expect(page.locator("#signins-body tbody tr").first).to_contain_text("mallory@contoso.test")
    page.get_by_role("button", name="Explain this failure").click()
    expect(page.locator("#signins-body .inline-answer .answer-text")).to_contain_text("50126")

    page.click("#tabs a[data-page=audit]")
    target = page.locator("#audit-body .target").first
    expect(target).to_contain_text("mallory@contoso.test")

    page.click("#tabs a[data-page=chat]")
    page.fill("#prompt", f"Summarize the risk for {SHOWN[:7]} mallory@contoso.test")
    page.click("#ask-button")
    page.wait_for_selector("#conversation > .answer:last-child[aria-busy=false]")
    expect(page.locator("#conversation .answer-text").last).to_contain_text("<script>")
    text = _assert_inert(page, problems)
    assert SHOWN in text
    context.close()

"""Sign in on the page with Entra ID: the authorization code flow with PKCE against a tenant
served on loopback (its authorization endpoint signs the user in at once; its token endpoint
checks the PKCE verifier), under the page's CSP, with no inline script."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.api.entra.issuer import FakeTenant, fake_tenant
from tests.api.served import Served, private_store, served
from tests.conftest import DemoTenant
from tests.web.browser import screenshot
from tests.web.conftest import open_page


@pytest.fixture(scope="module")
def entra() -> Iterator[FakeTenant]:
    """One loopback tenant for the module's server."""
    with fake_tenant() as tenant:
        yield tenant


@pytest.fixture(scope="module")
def entra_web(
    demo_tenant: DemoTenant, entra: FakeTenant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """The app with Entra sign-in for the loopback tenant."""
    folder = tmp_path_factory.mktemp("entra-web")
    store = private_store(folder, demo_tenant.store)
    with served(store, folder / "state.duckdb", entra=entra.sign_in()) as running:
        yield running


def test_a_person_signs_in_with_entra_id_and_gets_their_mapped_role(
    browser: Browser, entra_web: Served, entra: FakeTenant, caplog: pytest.LogCaptureFixture
) -> None:
    entra.sign_in_claims = {"roles": ["idpilot.Operator"]}
    page, problems, context = open_page(browser, entra_web.url)
    page.click("#entra-sign-in")
    page.wait_for_selector("#tabs:not([hidden])")
    expect(page.locator("#who-name")).to_have_text("abeli@contoso.com (operator)")
    assert "code=" not in page.url and "state=" not in page.url
    logged = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("/api/me" in line for line in logged)
    assert not [line for line in logged if "code=" in line], "the code never reaches the server"
    assert entra.codes == {}, "the code was redeemed"
    token = page.evaluate("sessionStorage.getItem('idpilot.token')")
    assert token.startswith("eyJ") and token.count(".") == 2
    assert page.evaluate("sessionStorage.getItem('idpilot.entra.pending')") is None
    screenshot(page, "entra-signed-in")
    context.close()
    assert problems.messages == []


def test_a_return_not_begun_in_the_tab_is_refused(
    browser: Browser, entra_web: Served, entra: FakeTenant
) -> None:
    page, problems, context = open_page(browser, f"{entra_web.url}/#code=forged&state=forged")
    expect(page.locator("#signin-error")).to_contain_text("does not match a sign-in begun")
    expect(page.locator("#tabs")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('idpilot.token')") is None
    context.close()
    assert problems.messages == []


def test_an_entra_user_without_a_mapped_role_is_told_why(
    browser: Browser, entra_web: Served, entra: FakeTenant
) -> None:
    entra.sign_in_claims = {"roles": ["Unrelated.Role"]}
    page, problems, context = open_page(browser, entra_web.url)
    page.click("#entra-sign-in")
    expected = "app roles or groups is mapped to an idpilot role"
    expect(page.locator("#signin-error")).to_contain_text(expected)
    expect(page.locator("#tabs")).to_be_hidden()
    context.close()
    assert [m for m in problems.messages if "403" not in m] == []


def test_without_entra_sign_in_the_page_offers_no_microsoft_button(
    browser: Browser, web: Served
) -> None:
    page, problems, context = open_page(browser, web.url)
    expect(page.locator("#signin")).to_be_visible()
    expect(page.locator("#entra-sign-in")).to_be_hidden()
    context.close()
    assert problems.messages == []

"""The page works from the keyboard: sign in, reach every main control with Tab, open a page,
summarize, open a citation and close it with Escape (focus returns); every control is
labelled."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from idpilot.state.roles import Role
from tests.api.served import Served
from tests.web.conftest import open_page

MAX_TABS = 80
FOCUSED = """() => {
  const e = document.activeElement;
  return e ? (e.id || e.dataset.page || e.textContent.trim().slice(0, 40)) : "";
}"""
UNLABELLED = """() => {
  const out = [];
  for (const e of document.querySelectorAll("input, select, textarea")) {
    if (!(e.labels && e.labels.length) && !e.getAttribute("aria-label")) out.push(e.id || e.name);
  }
  for (const b of document.querySelectorAll("button, a[href]")) {
    if (!b.textContent.trim() && !b.getAttribute("aria-label")) out.push(b.outerHTML.slice(0, 60));
  }
  return out;
}"""


def _tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element `selector` has the focus (fails after MAX_TABS)."""
    for _ in range(MAX_TABS):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_the_main_controls_are_reachable_and_usable_from_the_keyboard(
    browser: Browser, web: Served
) -> None:
    page, problems, context = open_page(browser, web.url)
    assert page.evaluate(FOCUSED) == "token"
    page.keyboard.type(web.tokens[Role.reader])
    page.keyboard.press("Enter")
    page.wait_for_selector("#prompts button")

    page.evaluate("document.activeElement.blur()")
    reached = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(FOCUSED))
    wanted = {"chat", "risky", "signins", "posture", "ca", "audit", "sign-out", "prompt"}
    wanted |= {"ask-button", "Tell me about a user"}
    assert wanted <= set(reached), wanted - set(reached)
    assert page.evaluate(UNLABELLED) == []

    page.focus("#tabs a[data-page=risky]")
    page.keyboard.press("Enter")
    expect(page.locator("#page-risky")).to_be_visible()
    _tab_to(page, "#risky-body tbody button")
    page.keyboard.press("Enter")
    answer = page.locator("#risky-body .inline-answer .answer").first
    expect(answer).to_be_visible()
    expect(page.locator("#risky-body tbody button").first).to_have_attribute(
        "aria-expanded", "true"
    )
    _tab_to(page, "#risky-body .inline-answer button.cite")
    page.keyboard.press("Enter")
    expect(page.locator("#panel")).to_be_visible()
    assert page.evaluate(FOCUSED) == "panel-close"
    page.keyboard.press("Escape")
    expect(page.locator("#panel")).to_be_hidden()
    cite = "#risky-body .inline-answer button.cite"
    assert page.evaluate("s => document.activeElement === document.querySelector(s)", cite)
    assert page.evaluate(UNLABELLED) == []
    context.close()
    assert problems.messages == []

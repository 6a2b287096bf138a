"""Sign in with a token, ask, watch a cited answer stream in, open a citation in the side
panel, follow a suggestion, and give feedback (up, and down with a category and comment)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from idpilot.state.roles import Role
from tests.api.served import Served
from tests.web.browser import Problems, screenshot
from tests.web.conftest import open_page, sign_in

# Records each state the streaming turn shows, in order: the progress line, the answer text's
# length and whether the turn is done. The observer replays its mutation records rather than
# reading the page: several events read in one chunk change the page within one task, and by the
# time the observer runs the live nodes show only the last of them (a detached node keeps what
# it held).
WATCH = """() => {
  window.__seen = [];
  const watched = document.getElementById("conversation");
  let state = {progress: "", text: 0, done: false};
  new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target;
      if (target === watched) {
        state = {progress: "", text: 0, done: false};
        continue;
      }
      if (record.type === "attributes") {
        if (record.attributeName !== "aria-busy" || record.oldValue !== "true") continue;
        state = {...state, done: true};
      } else if (target.classList.contains("progress") && record.addedNodes.length) {
        state = {...state, progress: record.addedNodes[0].textContent};
      } else if (target.classList.contains("answer-body")) {
        const shown = [...record.addedNodes].find(
          (node) => node.classList && node.classList.contains("answer-text"));
        if (!shown) continue;
        state = {...state, text: shown.textContent.length};
      } else {
        continue;
      }
      window.__seen.push(state);
    }
  }).observe(watched, {subtree: true, childList: true, attributes: true,
                       attributeFilter: ["aria-busy"], attributeOldValue: true});
}"""


def _ask(page: Page, prompt: str) -> None:
    page.fill("#prompt", prompt)
    page.click("#ask-button")
    page.wait_for_selector("#conversation > .answer:last-child[aria-busy=false]")


def test_a_wrong_token_is_refused_and_a_right_one_signs_in(browser: Browser, web: Served) -> None:
    page, problems, context = open_page(browser, web.url)
    expect(page.locator("#signin")).to_be_visible()
    page.fill("#token", "not-a-token")
    page.click("#signin-form button[type=submit]")
    expect(page.locator("#signin-error")).to_contain_text("Not signed in")
    expect(page.locator("#tabs")).to_be_hidden()
    sign_in(page, web.tokens[Role.reader])
    expect(page.locator("#who-name")).to_have_text("reader-user (reader)")
    assert page.evaluate("sessionStorage.getItem('idpilot.token')") == web.tokens[Role.reader]
    page.reload()  # the token is kept for the tab
    page.wait_for_selector("#tabs:not([hidden])")
    context.close()
    assert [m for m in problems.messages if "401" not in m] == []


def test_an_answer_streams_in_with_citations_that_open_the_record(
    signed_in: tuple[Page, Problems],
) -> None:
    page, _ = signed_in
    page.evaluate(WATCH)
    _ask(page, "Which users are risky?")
    seen = page.evaluate("window.__seen")
    progress = [s["progress"] for s in seen]
    assert any(p.startswith("Running risky_users") for p in progress), progress
    assert any(p.startswith("Ran risky_users") for p in progress), progress
    first_text = next(i for i, s in enumerate(seen) if s["text"])
    assert not seen[first_text]["done"], "the text was shown before the answer was complete"
    assert not seen[first_text]["progress"].startswith("Answered"), "no text streamed in"
    turn = page.locator("#conversation > .answer").last
    expect(turn.locator(".progress")).to_contain_text("Answered in")
    cites = turn.locator(".answer-text button.cite")
    assert cites.count() >= 1
    expect(turn.locator(".sources summary")).to_contain_text("Sources")
    expect(turn.locator(".followups button.chip").first).to_be_visible()
    screenshot(page, "chat-light")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "chat-dark")
    page.emulate_media(color_scheme="light")

    cites.first.click()
    panel = page.locator("#panel")
    expect(panel).to_be_visible()
    expect(page.locator("#panel-title")).to_have_text("riskyUser")
    expect(panel.locator("#panel-stored")).to_contain_text("Stored record")
    related = panel.locator(".related button").first
    expect(related).to_contain_text("user:")
    screenshot(page, "chat-citation-panel")
    related.click()
    expect(page.locator("#panel-title")).to_have_text("user")
    expect(panel.locator("#panel-stored")).to_contain_text("userPrincipalName")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def test_built_in_prompts_and_follow_ups_are_one_click_away(
    signed_in: tuple[Page, Problems],
) -> None:
    page, _ = signed_in
    page.locator("#prompts button", has_text="Posture assessment").click()
    page.wait_for_selector("#conversation > .answer:last-child[aria-busy=false]")
    first = page.locator("#conversation > .answer").last
    expect(first.locator(".question")).to_contain_text("Run a posture assessment")
    expect(first.locator(".answer-text")).to_contain_text("Security posture score")
    follow = first.locator(".followups button.chip").first
    asked = follow.inner_text()
    follow.click()
    page.wait_for_function("document.querySelectorAll('#conversation > .answer').length === 2")
    page.wait_for_selector("#conversation > .answer:last-child[aria-busy=false]")
    expect(page.locator("#conversation > .answer").last.locator(".question")).to_contain_text(asked)
    # a prompt with a placeholder is put in the box with the placeholder selected
    page.locator("#prompts button", has_text="Tell me about a user").click()
    assert page.input_value("#prompt") == "Tell me about <user>"
    assert page.evaluate("document.activeElement.id") == "prompt"


def test_feedback_up_and_down_with_a_category_and_comment_is_recorded(
    signed_in: tuple[Page, Problems], web: Served
) -> None:
    page, _ = signed_in
    _ask(page, "Which users are risky?")
    _ask(page, "Anything suspicious in the last 24 hours?")
    turns = page.locator("#conversation > .answer")
    first, second = turns.nth(0), turns.nth(1)
    first.get_by_role("button", name="Helpful answer", exact=True).click()
    expect(first.locator(".feedback-status")).to_have_text("Thank you: your feedback was recorded.")
    second.get_by_role("button", name="Unhelpful answer", exact=True).click()
    form = second.locator(".feedback-form")
    expect(form).to_be_visible()
    expect(form.locator("select")).to_be_focused()
    options = form.locator("select option").all_inner_texts()
    assert options[1:] == ["Inaccurate", "Incomplete", "Unclear", "Offensive", "Other"]
    form.get_by_role("button", name="Send feedback").click()  # no category: not sent
    expect(second.locator(".feedback-status")).to_have_text("")
    form.get_by_label("What was wrong?").select_option("incomplete")
    form.get_by_label("Comment (optional)").fill("It left out the failed sign-ins.")
    screenshot(page, "chat-feedback")
    form.get_by_role("button", name="Send feedback").click()
    expect(second.locator(".feedback-status")).to_have_text(
        "Thank you: your feedback was recorded."
    )
    ids = [first.get_attribute("data-answer-id"), second.get_attribute("data-answer-id")]
    with web.client(Role.admin) as admin:
        kept = admin.get("/api/feedback", params={"limit": 1000}).json()
    mine = {item["answer_id"]: item for item in kept if item["answer_id"] in ids}
    assert mine[ids[0]]["rating"] == "up" and mine[ids[0]]["category"] is None
    assert mine[ids[1]]["rating"] == "down" and mine[ids[1]]["category"] == "incomplete"
    assert mine[ids[1]]["comment"] == "It left out the failed sign-ins."


def test_a_conversation_is_one_session_so_follow_ups_point_back(
    browser: Browser, web: Served
) -> None:
    secret = web.token(Role.reader, "session-user")  # a user of its own: only its sessions
    page, problems, context = open_page(browser, web.url)
    sign_in(page, secret)
    mine = {"Authorization": f"Bearer {secret}"}
    with web.client(Role.reader) as client:
        risky = client.get("/api/risky-users").json()
    person = next(e for e in risky["evidence"] if e["kind"] == "riskyUser")["fields"]
    first = f"Tell me about {person['userPrincipalName']}"
    _ask(page, first)
    _ask(page, "what groups is he in?")
    last = page.locator("#conversation > .answer").last
    expect(last.locator(".answer-text")).to_contain_text(person["userDisplayName"])
    with web.client(headers=mine) as client:
        (newest,) = client.get("/api/sessions").json()
    assert newest["title"] == first and newest["turns"] == 2
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator("#conversation > .answer")).to_have_count(0)
    _ask(page, "Which users are risky?")
    with web.client(headers=mine) as client:
        both = client.get("/api/sessions").json()
    assert len(both) == 2
    assert [s["turns"] for s in both if s["id"] != newest["id"]] == [1]
    context.close()
    assert problems.messages == []


def test_a_promptbook_runs_from_one_click_each_step_a_cited_turn(
    signed_in: tuple[Page, Problems], web: Served
) -> None:
    page, _ = signed_in
    with web.client(Role.reader) as client:
        book = next(b for b in client.get("/api/promptbooks").json() if b["parameters"])
        risky = client.get("/api/risky-users").json()
    upn = next(e for e in risky["evidence"] if e["kind"] == "riskyUser")["fields"][
        "userPrincipalName"
    ]
    page.locator("#promptbooks button", has_text=book["title"]).click()
    form = page.locator("#promptbook-slot form")
    expect(form).to_be_visible()
    required = [p for p in book["parameters"] if p["required"]]
    for parameter in required:
        form.get_by_label(parameter["name"], exact=True).fill(upn)
    form.locator("button[type=submit]").click()
    run = page.locator("#conversation .promptbook-run")
    expect(run).to_have_attribute("aria-busy", "false", timeout=60_000)
    expect(run.locator(".progress")).to_contain_text("steps answered")
    answered = int(run.locator(".progress").inner_text().split(" of ")[0])
    assert answered >= 1
    steps = page.locator("#conversation > .answer:not(.promptbook-run)")
    expect(steps).to_have_count(answered)
    expect(steps.first.locator(".question")).to_contain_text("Step 1:")
    assert steps.first.locator("button.cite").count() >= 1
    screenshot(page, "chat-promptbook")

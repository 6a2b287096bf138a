"""Each embedded experience with the demo tenant's data: Risky users (Summarize in place),
Sign-ins (filters, Explain this failure), Posture (chart by area, findings), Conditional
Access (policies in words, What if) and Audit (who changed this?)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from idpilot.state.roles import Role
from tests.api.served import Served
from tests.web.browser import Problems, screenshot


def _open(page: Page, name: str) -> None:
    page.click(f"#tabs a[data-page={name}]")
    expect(page.locator(f"#page-{name}")).to_be_visible()
    expect(page.locator(f"#tabs a[data-page={name}]")).to_have_attribute("aria-current", "page")


def test_risky_users_summarize_in_place(signed_in: tuple[Page, Problems], web: Served) -> None:
    page, _ = signed_in
    with web.client(Role.reader) as client:
        answer = client.get("/api/risky-users").json()
    risky = [e for e in answer["evidence"] if e["kind"] == "riskyUser"]
    _open(page, "risky")
    rows = page.locator("#risky-body tbody tr:not(.answer-row)")
    expect(rows).to_have_count(len(risky))
    first = risky[0]["fields"]
    expect(rows.first.locator("th")).to_have_text(first["userDisplayName"])
    rows.first.get_by_role("button", name="Summarize").click()
    summary = page.locator("#risky-body .inline-answer .answer").first
    expect(summary).to_be_visible()
    expect(summary.locator(".answer-text")).to_contain_text(first["userPrincipalName"])
    expect(summary.locator(".next-steps li").first).to_be_visible()
    assert summary.locator("button.cite").count() >= 1
    screenshot(page, "risky-users")
    summary.locator("button.cite").first.click()
    expect(page.locator("#panel")).to_be_visible()


def test_sign_ins_filter_and_explain_a_failure(
    signed_in: tuple[Page, Problems], web: Served
) -> None:
    page, _ = signed_in
    with web.client(Role.reader) as client:
        wanted = {"status": "failure", "error_code": 50126, "limit": 1}
        total = client.get("/api/sign-ins", params=wanted).json()["total"]
    _open(page, "signins")
    expect(page.locator("#signins-body tbody tr").first).to_be_visible()
    page.select_option("#f-status", "failure")
    page.fill("#f-code", "50126")
    page.click("#signins-form button[type=submit]")
    expect(page.locator("#signins-body [role=status]")).to_have_text(
        f"1–{min(total, 25)} of {total} sign-ins"
    )
    results = page.locator("#signins-body tbody tr:not(.answer-row) td:nth-child(4) .level")
    expect(results.first).to_have_text("Error 50126")
    assert set(results.all_inner_texts()) == {"Error 50126"}
    page.locator("#signins-body").get_by_role("button", name="Explain this failure").first.click()
    explained = page.locator("#signins-body .inline-answer .answer").first
    expect(explained.locator(".answer-text")).to_contain_text("50126")
    expect(explained.locator(".answer-text")).to_contain_text("failed to sign in")
    screenshot(page, "sign-ins")
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#signins-body [role=status]")).to_contain_text("26–")


def test_posture_charts_the_score_by_area(signed_in: tuple[Page, Problems], web: Served) -> None:
    page, _ = signed_in
    with web.client(Role.reader) as client:
        areas = client.get("/api/posture/areas").json()
    _open(page, "posture")
    bars = page.locator("#posture-chart svg rect.chart-bar")
    expect(bars).to_have_count(len(areas))
    labels = page.locator("#posture-chart svg text.chart-label").all_text_contents()
    assert labels == [a["area"].replace("_", " ") for a in areas]
    widths = [
        float(w)
        for w in page.locator("#posture-chart svg rect.chart-bar").evaluate_all(
            "bars => bars.map(b => b.getAttribute('width'))"
        )
    ]
    assert widths == sorted(widths), "areas are drawn lowest score first"
    body = page.locator("#posture-body .answer-text")
    expect(body).to_contain_text("Security posture score")
    expect(body).to_contain_text("Prioritised findings")
    screenshot(page, "posture")


def test_conditional_access_in_words_and_what_if(
    signed_in: tuple[Page, Problems], web: Served
) -> None:
    page, _ = signed_in
    with web.client(Role.reader) as client:
        policies = client.get("/api/ca-policies").json()
        risky = client.get("/api/risky-users").json()
    upn = next(e for e in risky["evidence"] if e["kind"] == "riskyUser")["fields"][
        "userPrincipalName"
    ]
    _open(page, "ca")
    cards = page.locator("#ca-body li.policy")
    expect(cards).to_have_count(len(policies))
    expect(cards.first.locator("h4")).to_contain_text(policies[0]["name"])
    expect(cards.first).to_contain_text(policies[0]["sentences"][1])
    page.fill("#w-user", upn)
    page.select_option("#w-platform", "windows")
    page.check("#w-mfa")
    page.click("#whatif-form button[type=submit]")
    result = page.locator("#whatif-result .answer")
    expect(result).to_be_visible()
    assert result.locator("button.cite").count() >= 1
    screenshot(page, "conditional-access")
    cards.first.get_by_role("button", name="Open the policy record").click()
    expect(page.locator("#panel-title")).to_have_text("conditionalAccessPolicy")


def test_audit_asks_who_changed_an_object(signed_in: tuple[Page, Problems]) -> None:
    page, _ = signed_in
    _open(page, "audit")
    rows = page.locator("#audit-body tbody tr:not(.answer-row)")
    expect(rows.first).to_be_visible()
    user_target = page.locator("#audit-body .target", has_text="User:").first
    user_target.get_by_role("button", name="Who changed this?").click()
    answer = page.locator("#audit-body .inline-answer .answer").first
    expect(answer).to_be_visible()
    expect(answer.locator(".answer-text")).to_contain_text("by")
    assert answer.locator("button.cite").count() >= 1
    screenshot(page, "audit")

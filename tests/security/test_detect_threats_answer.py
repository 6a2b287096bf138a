"""detect_threats answers the question that matters: did the spray get a password, from where."""

from __future__ import annotations

from datetime import timedelta

from idpilot.copilot.composer import CitationBook, compose
from idpilot.security.detections.sign_ins import SPRAY_MIN_USERS
from idpilot.skills import default_registry

from .builder import SINGAPORE, TenantBuilder


def _answer(tenant: TenantBuilder, tmp_path) -> tuple[str, CitationBook]:
    store = tenant.store(tmp_path / "snap")
    window = {"start": tenant.ago(days=30), "end": tenant.captured, "phrase": ""}
    result = default_registry().get("detect_threats").run(store, {"window": window})
    book = CitationBook(result.evidence)
    return compose(result, book), book


def test_spray_answer_names_the_password_it_got_right_first(tenant, tmp_path) -> None:
    start = tenant.ago(days=2)
    users = [tenant.user(f"Sprayed {i}") for i in range(SPRAY_MIN_USERS + 1)]
    for i, user in enumerate(users[1:]):
        tenant.sign_in(user, start + timedelta(minutes=i), ip="192.0.2.66", error=50126)
    hit = tenant.sign_in(users[0], start + timedelta(minutes=20), ip="192.0.2.66", error=50076)
    text, book = _answer(tenant, tmp_path)
    assert "The spray got a password right" in text
    line = next(line for line in text.splitlines() if "correct password" in line)
    assert "Sprayed 0" in line and "50076" in line
    assert ("signIn", hit["id"]) in book.cited()
    assert text.index("correct password") < text.index("failed passwords for")


def test_travel_and_fatigue_answers_name_the_places(tenant, tmp_path) -> None:
    traveller = tenant.user("Tara Travel")
    start = tenant.ago(days=4)
    tenant.sign_in(traveller, start, ip="203.0.113.5")
    later = start + timedelta(minutes=41)
    far = tenant.sign_in(traveller, later, ip="198.51.100.9", place=SINGAPORE)
    pushed = tenant.user("Frank Fatigue")
    for i in range(6):
        tenant.sign_in(pushed, start + timedelta(minutes=i), ip="198.51.100.9", place=SINGAPORE,
                       error=500121)  # fmt: skip
    text, book = _answer(tenant, tmp_path)
    assert "Seattle, US at" in text and "→ Singapore, SG (198.51.100.9)" in text
    assert "came from 198.51.100.9 (Singapore, SG)" in text
    assert ("signIn", far["id"]) in book.cited()


def test_a_question_about_spraying_is_answered_first_with_the_password_it_got(
    tenant, tmp_path
) -> None:
    start = tenant.ago(days=2)
    users = [tenant.user(f"Sprayed {i}") for i in range(SPRAY_MIN_USERS + 1)]
    for i, user in enumerate(users[1:]):
        tenant.sign_in(user, start + timedelta(minutes=i), ip="192.0.2.66", error=50126)
    hit = tenant.sign_in(users[0], start + timedelta(minutes=20), ip="192.0.2.66", error=53003)
    store = tenant.store(tmp_path / "snap")
    window = {"start": tenant.ago(days=30), "end": tenant.captured, "phrase": ""}
    result = (
        default_registry()
        .get("detect_threats")
        .run(store, {"window": window, "focus": ["passwordSpray"]})
    )
    book = CitationBook(result.evidence)
    first = compose(result, book).split("\n\n")[0]
    assert f"It got the password right for {users[0]['userPrincipalName']}" in first
    assert ("signIn", hit["id"]) in book.cited()


def _answer_about(tenant: TenantBuilder, tmp_path, **params) -> tuple[str, CitationBook, object]:
    store = tenant.store(tmp_path / "snap")
    window = {"start": tenant.ago(days=30), "end": tenant.captured, "phrase": ""}
    result = default_registry().get("detect_threats").run(store, {"window": window, **params})
    book = CitationBook(result.evidence)
    return compose(result, book), book, result.facts


def _spray_and_fatigue(tenant: TenantBuilder) -> tuple[list, dict]:
    start = tenant.ago(days=2)
    users = [tenant.user(f"Sprayed {i}") for i in range(SPRAY_MIN_USERS + 1)]
    for i, user in enumerate(users):
        tenant.sign_in(user, start + timedelta(minutes=i), ip="192.0.2.66", error=50126)
    pushed = tenant.user("Frank Fatigue")
    for i in range(6):
        tenant.sign_in(pushed, start + timedelta(minutes=i), ip="198.51.100.9", place=SINGAPORE,
                       error=500121)  # fmt: skip
    return users, pushed


def test_a_named_user_keeps_only_the_findings_that_involve_them(tenant, tmp_path) -> None:
    users, _ = _spray_and_fatigue(tenant)
    text, book, facts = _answer_about(tenant, tmp_path, user=users[3]["id"])
    # A sprayed account is a target of the spray, not of the fatigue pushed at Frank.
    assert [f.detection for f in facts.findings] == ["passwordSpray"]
    assert facts.subject.label == "Sprayed 3" and facts.others == 1
    assert "involving Sprayed 3" in text.splitlines()[0]
    assert "1 other finding" in text and "Frank Fatigue" not in text
    assert ("user", users[3]["id"]) in book.cited()


def test_a_user_no_finding_involves_gets_a_plain_no(tenant, tmp_path) -> None:
    _spray_and_fatigue(tenant)
    bystander = tenant.user("Quiet Bystander")
    text, _, facts = _answer_about(tenant, tmp_path, user=bystander["id"], focus=["mfaFatigue"])
    assert facts.findings == [] and facts.others == 2
    assert text.startswith("**No mfa fatigue involving Quiet Bystander")


def test_a_named_ip_keeps_the_findings_it_appears_in(tenant, tmp_path) -> None:
    _spray_and_fatigue(tenant)
    _, _, facts = _answer_about(tenant, tmp_path, ip_address="198.51.100.9")
    assert [f.detection for f in facts.findings] == ["mfaFatigue"]

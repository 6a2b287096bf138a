"""Configuration kept out of answers: configured secrets, credential shapes, the endpoint and the
model's instructions are found in model text and redacted from model-derived notes."""

from __future__ import annotations

import pytest

from idpilot.copilot.disclosure import REDACTED, disclosures, redact

KEY = "sk-live-0123456789abcdefghij"
PRIVATE = (
    "You are the reader of idpilot, a read-only copilot for Microsoft Entra ID administrators."
)


@pytest.fixture(autouse=True)
def _configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDPILOT_LLM_API_KEY", KEY)
    monkeypatch.setenv("IDPILOT_LLM_BASE_URL", "http://10.1.2.3:8080/v1")
    monkeypatch.setenv("SOME_SERVICE_TOKEN", "tok-abcdefgh12345")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        (f"the key is {KEY}", "a configured secret"),
        ("use tok-abcdefgh12345 to sign in", "a configured secret"),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc", "a credential"),
        ("idp_AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a credential"),
        ("served from http://10.1.2.3:8080/v1 today", "the model endpoint"),
        (f"My rules: {PRIVATE}", "the model's instructions"),
    ],
)
def test_what_a_text_discloses_is_named(text: str, what: str) -> None:
    assert what in disclosures(text, [PRIVATE])


def test_what_the_original_already_said_is_not_a_disclosure() -> None:
    text = "Bob Stone has 2 groups [1]."
    assert disclosures(text, [PRIVATE], original=text) == []


def test_redact_replaces_secrets_addresses_and_credential_shapes() -> None:
    note = f"cannot reach http://10.1.2.3:8080/v1 with {KEY} (bearer abcdefghijklmnopqrstuvwxyz)"
    redacted = redact(note)
    assert KEY not in redacted and "10.1.2.3" not in redacted and "abcdefghijklmnop" not in redacted
    assert redacted.count(REDACTED) == 3

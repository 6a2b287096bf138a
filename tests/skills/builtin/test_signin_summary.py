"""signin_summary names who signed in from a place and cites each failing user's failures."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from idpilot.copilot.composer import CitationBook, compose
from idpilot.skills import default_registry
from idpilot.skills.builtin.signin_summary import WHO_SHOWN
from tests.security.builder import TenantBuilder

AMSTERDAM = ("Amsterdam", "NL", 52.37, 4.9)


def _summary(tenant: TenantBuilder, tmp_path: Path, **params: object):
    store = tenant.store(tmp_path / "snap")
    window = {"start": tenant.ago(days=30), "end": tenant.captured, "phrase": "last 30 days"}
    result = default_registry().get("signin_summary").run(store, {"window": window, **params})
    book = CitationBook(result.evidence)
    return result, compose(result, book), book


def test_a_place_lists_its_accounts_the_right_password_first_and_says_when_capped(
    tmp_path: Path,
) -> None:
    tenant = TenantBuilder()
    start = tenant.ago(days=3)
    users = [tenant.user(f"Zed User {i:02}") for i in range(WHO_SHOWN + 2)]
    for i, user in enumerate(users[1:]):
        tenant.sign_in(user, start + timedelta(minutes=i), ip="192.0.2.66", place=AMSTERDAM,
                       error=50126)  # fmt: skip
    hit = tenant.sign_in(users[0], start + timedelta(hours=1), ip="192.0.2.66", place=AMSTERDAM,
                         error=53003)  # fmt: skip
    tenant.sign_in(tenant.user("Home User"), start, place=None)  # elsewhere: not listed
    result, text, book = _summary(tenant, tmp_path, countries=["nl"])
    assert len(result.facts.who) == WHO_SHOWN
    assert result.facts.who[0]["sample_id"] == hit["id"]
    assert f"{WHO_SHOWN} of {WHO_SHOWN + 2} accounts" in text
    line = next(line for line in text.splitlines() if "Zed User 00" in line)
    assert "right password stopped by MFA or Conditional Access" in line
    assert ("signIn", hit["id"]) in book.cited()
    assert "Home User" not in text


def test_every_failing_user_has_first_and_latest_failure_cited(tmp_path: Path) -> None:
    tenant = TenantBuilder()
    start = tenant.ago(days=2)
    disabled = tenant.user("Dora Disabled")
    failures = [
        tenant.sign_in(disabled, start + timedelta(minutes=m), error=50057) for m in (0, 5, 30)
    ]
    busy = tenant.user("Bob Busy")
    for i in range(20):  # a busier user whose failures outnumber hers
        tenant.sign_in(busy, start + timedelta(minutes=i), error=50126)
    result, text, book = _summary(tenant, tmp_path)
    row = next(r for r in result.facts.failing_users if r["key"] == disabled["userPrincipalName"])
    assert (row["failures"], row["codes"]) == (3, [50057])
    assert ("signIn", failures[0]["id"]) in book.cited()
    assert ("signIn", failures[-1]["id"]) in book.cited()
    line = next(line for line in text.splitlines() if "Dora Disabled" in line)
    assert "3 failures (50057 User account disabled)" in line

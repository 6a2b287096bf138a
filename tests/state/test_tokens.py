"""Tokens: issued once, stored as a hash, refused when revoked or expired; durations parsed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from idpilot.state import Role, TokenError, authenticate, issue_token, list_tokens, revoke_token
from idpilot.state.tokens import TokenProblem, hash_secret, parse_duration
from idpilot.store.app_state import open_app_state

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_the_secret_is_kept_only_as_a_hash(tmp_path: Path) -> None:
    path = tmp_path / "state.duckdb"
    with open_app_state(path) as state:
        issued = issue_token(state, "ana", Role.operator, None, NOW)
        state.con.execute("CHECKPOINT")
    data = path.read_bytes()
    assert issued.secret.encode() not in data
    assert hash_secret(issued.secret).encode() in data
    with open_app_state(path) as state:
        found = authenticate(state, issued.secret, NOW)
    assert (found.user, found.role, found.id) == ("ana", Role.operator, issued.record.id)


def test_secrets_are_long_random_and_distinct(tmp_path: Path) -> None:
    with open_app_state(tmp_path / "s.duckdb") as state:
        secrets = {issue_token(state, "u", Role.reader, None, NOW).secret for _ in range(20)}
    assert len(secrets) == 20
    assert all(s.startswith("idp_") and len(s) >= 40 for s in secrets)


@pytest.mark.parametrize(
    ("secret", "problem"),
    [(None, TokenProblem.missing), ("", TokenProblem.missing), ("idp_x", TokenProblem.invalid)],
)
def test_missing_and_unknown_secrets_are_refused(
    tmp_path: Path, secret: str | None, problem: TokenProblem
) -> None:
    with open_app_state(tmp_path / "s.duckdb") as state, pytest.raises(TokenError) as caught:
        authenticate(state, secret, NOW)
    assert caught.value.problem is problem


def test_revoked_and_expired_tokens_are_refused(tmp_path: Path) -> None:
    with open_app_state(tmp_path / "s.duckdb") as state:
        revoked = issue_token(state, "r", Role.reader, None, NOW)
        expiring = issue_token(state, "e", Role.reader, timedelta(days=30), NOW)
        revoke_token(state, revoked.record.id, NOW + timedelta(minutes=1))
        assert authenticate(state, expiring.secret, NOW + timedelta(days=29)).user == "e"
        with pytest.raises(TokenError) as was_revoked:
            authenticate(state, revoked.secret, NOW + timedelta(minutes=2))
        with pytest.raises(TokenError) as has_expired:
            authenticate(state, expiring.secret, NOW + timedelta(days=30))
        listed = {t.user: t.state_at(NOW + timedelta(days=31)) for t in list_tokens(state)}
    assert was_revoked.value.problem is TokenProblem.revoked
    assert has_expired.value.problem is TokenProblem.expired
    assert listed == {"r": "revoked", "e": "expired"}


def test_revoking_twice_keeps_the_first_time_and_an_unknown_id_is_an_error(
    tmp_path: Path,
) -> None:
    with open_app_state(tmp_path / "s.duckdb") as state:
        issued = issue_token(state, "r", Role.reader, None, NOW)
        first = revoke_token(state, issued.record.id, NOW)
        again = revoke_token(state, issued.record.id, NOW + timedelta(days=1))
        with pytest.raises(TokenError, match="No token has the id"):
            revoke_token(state, "tok_nothing", NOW)
    assert first.revoked_at == again.revoked_at == NOW


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\there"])
def test_a_user_name_must_be_printable_and_short(tmp_path: Path, name: str) -> None:
    with open_app_state(tmp_path / "s.duckdb") as state, pytest.raises(TokenError):
        issue_token(state, name, Role.reader, None, NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30d", timedelta(days=30)), ("12h", timedelta(hours=12)), ("2W", timedelta(weeks=2)),
     (" 90m ", timedelta(minutes=90))],
)  # fmt: skip
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "30", "d", "0d", "-1d", "1y", "1.5d", "9" * 30 + "d"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(TokenError):
        parse_duration(text)


def test_roles_include_the_ones_below() -> None:
    assert Role.admin.allows(Role.operator) and Role.operator.allows(Role.reader)
    assert not Role.reader.allows(Role.operator) and not Role.operator.allows(Role.admin)

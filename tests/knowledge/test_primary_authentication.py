"""The list of codes that fail primary authentication: sourced, checked against the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.knowledge import (
    KnowledgeFileError,
    fails_primary_authentication,
    primary_authentication_failures,
)
from idpilot.knowledge.primary_authentication import load_primary_authentication_failures

DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "idpilot" / "knowledge" / "data"


def test_every_code_is_published_with_the_name_given(csv_rows) -> None:
    published = {int(row["code"]): row for row in csv_rows}
    for entry in primary_authentication_failures().codes:
        row = published.get(entry.code)
        assert row is not None, entry.code
        if entry.name:
            assert entry.name == row["name"] or entry.name in row["description_raw"], entry.code


def test_the_codes_the_issue_names_fail_before_conditional_access() -> None:
    # wrong password, locked, disabled, expired password
    for code in (50126, 50053, 50057, 50055, 50144):
        assert fails_primary_authentication(code)
    # MFA, Conditional Access, interrupts and success are not primary-authentication failures
    for code in (0, 50074, 50076, 500121, 53003, 53000, 50140, 70043, None):
        assert not fails_primary_authentication(code)


def test_the_file_names_its_sources_and_a_version() -> None:
    text = (DATA_DIR / "primary_authentication_failures.yaml").read_text(encoding="utf-8")
    assert "docs/identity/conditional-access/overview.md" in text
    assert "reference-error-codes.md" in text
    assert primary_authentication_failures().version >= 1


def test_a_malformed_file_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "list.yaml"
    broken.write_text("schema_version: 1\nversion: 1\ncodes: [{code: abc}]\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as caught:
        load_primary_authentication_failures(broken)
    assert "list.yaml" in str(caught.value)


def test_codes_after_a_correct_password_pass_primary_authentication() -> None:
    from idpilot.knowledge import passed_primary_authentication

    for code in (0, 50074, 50076, 50158, 53003, 500121):
        assert passed_primary_authentication(code), code
    for code in (50126, 50053, 50057, 700016, None, True):
        assert not passed_primary_authentication(code), code

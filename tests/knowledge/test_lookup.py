"""Looking codes up by number, spelling and name, and explaining them."""

from __future__ import annotations

import pytest

from idpilot.knowledge import ErrorCatalog, WhoFixes, parse_code


@pytest.mark.parametrize(
    "spelling", [50053, "50053", "AADSTS50053", "aadsts50053", " AADSTS50053 "]
)
def test_get_accepts_every_spelling(catalog: ErrorCatalog, spelling: int | str) -> None:
    entry = catalog.get(spelling)
    assert entry is not None
    assert entry.code == 50053 and entry.error == "AADSTS50053"


@pytest.mark.parametrize("value", ["", "AADSTS", "500 53", "AADSTS-1", "hello", -1, True])
def test_parse_code_rejects_non_codes(value: int | str) -> None:
    assert parse_code(value) is None


def test_unknown_code_is_none(catalog: ErrorCatalog) -> None:
    assert catalog.get(999_999_999) is None
    assert catalog.get("AADSTS999999999") is None
    assert "AADSTS999999999" not in catalog


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("UserDisabled", 50057),
        ("userdisabled", 50057),
        ("IdsLocked", 50053),
        ("KMSIINTERRUPT", 50140),
    ],
)
def test_by_name_is_case_insensitive_and_knows_inner_labels(
    catalog: ErrorCatalog, name: str, code: int
) -> None:
    assert catalog.by_name(name).code == code


def test_by_name_unknown(catalog: ErrorCatalog) -> None:
    assert catalog.by_name("NoSuchName") is None


def test_explain_curated(catalog: ErrorCatalog) -> None:
    explanation = catalog.explain("AADSTS50057")
    assert explanation.found and explanation.curated
    assert explanation.title == "User account disabled"
    assert explanation.who_fixes == (WhoFixes.admin,)
    assert explanation.fix and not explanation.is_interrupt
    assert explanation.published_message == "The user account is disabled."


def test_explain_published_only_falls_back_to_microsofts_row(catalog: ErrorCatalog) -> None:
    entry = next(e for e in catalog.published if not e.is_curated and e.name)
    explanation = catalog.explain(entry.code)
    assert explanation.found and not explanation.curated
    assert explanation.title == entry.name
    assert explanation.cause == entry.published_message
    assert explanation.fix == () and explanation.who_fixes == ()


@pytest.mark.parametrize("query", [999_999_999, "AADSTS999999999", "not a code"])
def test_explain_unknown_code_says_so(catalog: ErrorCatalog, query: int | str) -> None:
    explanation = catalog.explain(query)
    assert not explanation.found and not explanation.curated
    assert "not in idpilot's error catalog" in explanation.cause


def test_explain_success(catalog: ErrorCatalog) -> None:
    explanation = catalog.explain(0)
    assert explanation.found and explanation.title == "Success"
    assert catalog.is_success(0) and catalog.is_success("0") and not catalog.is_success(50126)


def test_explain_name_only_row(catalog: ErrorCatalog) -> None:
    explanation = catalog.explain(50086)
    assert explanation.found and not explanation.curated
    assert explanation.title == "SasNonRetryableError"
    assert "only the name" in explanation.cause

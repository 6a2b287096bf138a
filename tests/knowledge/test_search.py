"""Free-text search over names, titles and causes, best match first."""

from __future__ import annotations

import pytest

from idpilot.knowledge import ErrorCatalog


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("password expired", 50055),
        ("IdsLocked", 50053),
        ("locked", 50053),
        ("keep me signed in", 50140),
        ("blocked by conditional access", 53003),
        ("client secret expired", 7000222),
        ("not assigned", 50105),
        ("device compliant", 53000),
        ("AADSTS50126", 50126),
    ],
)
def test_best_match_first(catalog: ErrorCatalog, query: str, best: int) -> None:
    assert catalog.search(query)[0].code == best


def test_more_matched_words_rank_higher(catalog: ErrorCatalog) -> None:
    codes = [e.code for e in catalog.search("secret expired")]
    assert codes.index(7000222) < codes.index(7000215)
    assert codes.index(7000222) < codes.index(50055)


def test_limit_and_no_match(catalog: ErrorCatalog) -> None:
    assert len(catalog.search("mfa", limit=3)) == 3
    assert catalog.search("zzzqqq") == []
    assert catalog.search("the of and") == []

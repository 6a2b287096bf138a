"""Microsoft's published table loads completely and is quoted faithfully."""

from __future__ import annotations

from idpilot.knowledge import EntrySource, ErrorCatalog
from idpilot.knowledge._published_table import first_sentence


def test_every_csv_row_loads(catalog: ErrorCatalog, csv_rows: list[dict[str, str]]) -> None:
    assert len(catalog.published) == len(csv_rows)
    idpilot_only = [e for e in catalog.curated if e.curated.source is EntrySource.idpilot]
    assert len(catalog) == len(csv_rows) + len(idpilot_only)


def test_rows_keep_code_error_and_name(
    catalog: ErrorCatalog, csv_rows: list[dict[str, str]]
) -> None:
    for row in csv_rows:
        entry = catalog.get(int(row["code"]))
        assert entry is not None, row["code"]
        assert entry.error == row["error"]
        assert entry.name == (row["name"] or None)


def test_published_message_is_the_first_sentence_as_published(
    catalog: ErrorCatalog, csv_rows: list[dict[str, str]]
) -> None:
    for row in csv_rows:
        message = catalog.get(row["code"]).published_message
        if row["message_plain"]:
            assert message and row["message_plain"].startswith(message)
        else:  # Microsoft publishes only the name for some codes
            assert message is None and row["name"]
    assert catalog.get(53003).published_message == (
        "Access has been blocked by Conditional Access policies."
    )


def test_first_sentence_keeps_abbreviations_and_single_sentences() -> None:
    assert first_sentence("Use a scope, e.g. User.Read. Then retry.") == (
        "Use a scope, e.g. User.Read."
    )
    assert first_sentence("  No full stop here  ") == "No full stop here"


def test_codes_missing_from_the_table_are_marked_idpilot(
    catalog: ErrorCatalog, csv_rows: list[dict[str, str]]
) -> None:
    published = {int(row["code"]) for row in csv_rows}
    for entry in catalog.curated:
        in_table = entry.code in published
        assert (entry.curated.source is EntrySource.microsoft) == in_table, entry.code
        assert entry.source is entry.curated.source
        if not in_table:
            assert entry.published_message is None
            assert entry.error == f"AADSTS{entry.code}"

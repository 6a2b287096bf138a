"""Malformed knowledge files fail with the file and the line at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.knowledge import ErrorCatalog, KnowledgeFileError

TABLE_CSV = Path(__file__).resolve().parents[2] / "src/idpilot/knowledge/data/aadsts_codes.csv"

GOOD_ENTRY = """\
  - code: 50057
    title: User account disabled
    category: account
    cause: The account has sign-in blocked.
    who_fixes: [admin]
    fix: [Enable the account.]
    is_interrupt: false
    severity_hint: medium
"""


def _load(tmp_path: Path, text: str) -> ErrorCatalog:
    path = tmp_path / "sign_in_errors.yaml"
    path.write_text(text, encoding="utf-8")
    return ErrorCatalog.from_files(TABLE_CSV, path)


def test_good_file_loads(tmp_path: Path) -> None:
    catalog = _load(tmp_path, "entries:\n" + GOOD_ENTRY)
    assert [e.code for e in catalog.curated] == [50057]


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    text = "entries:\n" + GOOD_ENTRY + "  - code: 50058\n    title: [unclosed\n"
    with pytest.raises(KnowledgeFileError) as info:
        _load(tmp_path, text)
    error = info.value
    assert error.path.name == "sign_in_errors.yaml"
    assert error.line == 12  # where the parser ran out of input
    assert "sign_in_errors.yaml:12: not valid YAML" in str(error)


def test_bad_indentation_names_its_line(tmp_path: Path) -> None:
    text = "entries:\n" + GOOD_ENTRY + "  - code: 50058\n   title: bad indent\n"
    with pytest.raises(KnowledgeFileError) as info:
        _load(tmp_path, text)
    assert info.value.line == 11


def test_bad_enum_value_points_at_its_line(tmp_path: Path) -> None:
    bad = GOOD_ENTRY.replace("category: account", "category: accounts")
    with pytest.raises(KnowledgeFileError) as info:
        _load(tmp_path, "entries:\n" + bad)
    assert info.value.line == 4
    assert info.value.field == "category"
    assert "sign_in_errors.yaml:4:" in str(info.value)


def test_missing_field_points_at_the_entry(tmp_path: Path) -> None:
    bad = GOOD_ENTRY.replace("    severity_hint: medium\n", "")
    with pytest.raises(KnowledgeFileError) as info:
        _load(tmp_path, "entries:\n" + bad)
    assert info.value.line == 2
    assert info.value.field == "severity_hint"


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeFileError) as info:
        _load(tmp_path, "entries:\n" + GOOD_ENTRY + "    colour: blue\n")
    assert info.value.line == 10
    assert info.value.field == "colour"


def test_duplicate_code_names_both_lines(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeFileError) as info:
        _load(tmp_path, "entries:\n" + GOOD_ENTRY + GOOD_ENTRY)
    assert info.value.line == 10
    assert "line 2" in str(info.value)


def test_code_missing_from_table_needs_source_idpilot(tmp_path: Path) -> None:
    bad = GOOD_ENTRY.replace("code: 50057", "code: 1234567")
    with pytest.raises(KnowledgeFileError, match="source: idpilot"):
        _load(tmp_path, "entries:\n" + bad)


def test_top_level_must_hold_entries(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeFileError, match="entries") as info:
        _load(tmp_path, "- just a list\n")
    assert info.value.line == 1


def test_malformed_csv_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(
        "code,error,name,message_plain,description_raw\n1,AADSTS1,A,m,d\nx,AADSTSx,B,m,d\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeFileError) as info:
        ErrorCatalog.from_files(path, tmp_path / "unused.yaml")
    assert info.value.line == 3 and info.value.field == "code"

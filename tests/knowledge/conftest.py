"""Fixtures for the knowledge tests: the shipped catalog, built once per session."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from idpilot.knowledge import ErrorCatalog, default_catalog

DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "idpilot" / "knowledge" / "data"
TABLE_CSV = DATA_DIR / "aadsts_codes.csv"
CURATED_YAML = DATA_DIR / "sign_in_errors.yaml"


@pytest.fixture(scope="session")
def catalog() -> ErrorCatalog:
    """The catalog the package ships."""
    return default_catalog()


@pytest.fixture(scope="session")
def csv_rows() -> list[dict[str, str]]:
    """Microsoft's table read independently of idpilot's loader."""
    with TABLE_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))

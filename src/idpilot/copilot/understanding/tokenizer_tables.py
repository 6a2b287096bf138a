"""The embedding model's tokenizer as arrays, shipped as package data beside the intent index.

`tokenizer_tables.safetensors` holds the `BpeTables` of the model's `tokenizer.json` and a
fingerprint of that file (its size, and its SHA-256 for the test suite). A process uses the
shipped tables when the installed tokenizer file has the recorded size, and otherwise builds
them from the JSON (the same tables, slower). `python -m idpilot.copilot.understanding.build_index`
writes the file; a test fails while it is stale.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from idpilot.copilot.understanding._bpe import BpeTables, tables_from_tokenizer_json
from idpilot.copilot.understanding._tensor_file import TensorFileError, read_tensors, tensor_bytes

TABLES_FILE = "tokenizer_tables.safetensors"
FORMAT = "1"
"""Bumped when the tables' layout or the code that builds them changes."""
_PACKAGE = __package__ or "idpilot.copilot.understanding"


def tables_path() -> Path:
    """Where the shipped tables live (inside the installed package)."""
    return Path(str(resources.files(_PACKAGE).joinpath(TABLES_FILE)))


def fingerprint(tokenizer: Path, *, hash_file: bool) -> dict[str, str]:
    """What the tables depend on: this format and the tokenizer file (size, or size and hash)."""
    found = {"format": FORMAT, "tokenizer_size": str(tokenizer.stat().st_size)}
    if hash_file:
        found["tokenizer_sha256"] = hashlib.sha256(tokenizer.read_bytes()).hexdigest()
    return found


def read_tables(path: Path) -> tuple[BpeTables, dict[str, str]] | None:
    """The tables stored at `path` and their fingerprint, or None when absent or unreadable."""
    if not path.is_file():
        return None
    try:
        arrays, metadata = read_tensors(path)
        tables = BpeTables.stored(arrays, metadata)
    except (OSError, KeyError, ValueError, TypeError, TensorFileError):  # damaged: build instead
        return None
    recorded = {k: v for k, v in metadata.items() if k == "format" or k.startswith("tokenizer_")}
    return tables, recorded


def write_tables(path: Path, tables: BpeTables, recorded: dict[str, str]) -> None:
    """Store `tables` with their fingerprint at `path`, byte for byte reproducibly."""
    path.write_bytes(tensor_bytes(tables.arrays(), {**tables.metadata(), **recorded}))


def tables_for(tokenizer: Path) -> BpeTables:
    """The shipped tables when they were built from this tokenizer file, else built from it."""
    shipped = read_tables(tables_path())
    if shipped is not None:
        tables, recorded = shipped
        current = fingerprint(tokenizer, hash_file=False)
        if all(recorded.get(key) == value for key, value in current.items()):
            return tables
    return tables_from_tokenizer_json(tokenizer)

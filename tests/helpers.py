"""Helpers shared by tests: where the reference Graph examples are, snapshot folders from them."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
GRAPH_EXAMPLES = FIXTURES / "graph"


def snapshot_from_examples(folder: Path, mapping: dict[str, str]) -> Path:
    """A snapshot folder made of reference examples: {example file: snapshot file name}."""
    folder.mkdir(parents=True, exist_ok=True)
    for example, target in mapping.items():
        shutil.copy(GRAPH_EXAMPLES / example, folder / target)
    return folder

"""Rebuild the shipped intent index and tokenizer tables after editing the exemplar bank, the
text rules or the tokenizer code, or after the embedding model changed.

    python -m idpilot.copilot.understanding.build_index          # write both files
    python -m idpilot.copilot.understanding.build_index --check  # exit 1 when one is stale

The files are written into the source package (next to `exemplars.yaml`); commit them with the
bank. A test fails while one is stale, and a stale file is ignored at run time (the classifier
then computes the same data from scratch, only slower).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from idpilot.copilot.understanding import intent_index, tokenizer_tables
from idpilot.copilot.understanding._bpe import tables_from_tokenizer_json
from idpilot.copilot.understanding.classifier import compute_index, text_rules
from idpilot.copilot.understanding.embedding import TOKENIZER_FILE, model_folder


def is_current(path: Path) -> bool:
    """Whether the index at `path` was built from today's bank, rules and model files."""
    index = intent_index.read_index(path)
    if index is None:
        return False
    current = intent_index.fingerprint(
        intent_index.bank_bytes(), text_rules(), model_folder(), hash_model=True
    )
    return intent_index.matches(index.fingerprint, current) and set(index.fingerprint) == set(
        current
    )


def tables_are_current(path: Path) -> bool:
    """Whether the tokenizer tables at `path` are those of the installed tokenizer file."""
    stored = tokenizer_tables.read_tables(path)
    if stored is None:
        return False
    tokenizer = model_folder() / TOKENIZER_FILE
    return stored[1] == tokenizer_tables.fingerprint(tokenizer, hash_file=True)


def main(argv: list[str] | None = None) -> int:
    """Write the index and the tables (or, with --check, report whether they are current)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    parser.add_argument("--out", type=Path, default=intent_index.index_path())
    parser.add_argument("--tables-out", type=Path, default=tokenizer_tables.tables_path())
    args = parser.parse_args(argv)
    if args.check:
        checks = ((args.out, is_current), (args.tables_out, tables_are_current))
        stale = [path for path, current in checks if not current(path)]
        for path, _ in checks:
            print(f"{path}: {'STALE: rebuild it' if path in stale else 'current'}")
        return 1 if stale else 0
    tokenizer = model_folder() / TOKENIZER_FILE
    tables = tables_from_tokenizer_json(tokenizer)
    recorded = tokenizer_tables.fingerprint(tokenizer, hash_file=True)
    tokenizer_tables.write_tables(args.tables_out, tables, recorded)
    print(f"wrote {args.tables_out}: {len(tables.merge_keys)} merges")
    index = compute_index()
    intent_index.write_index(args.out, index)
    print(f"wrote {args.out}: {len(index.bank)} exemplars, {len(index.terms)} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Rebuild the shipped intent index after editing the exemplar bank or the text rules.

    python -m idpilot.copilot.understanding.build_index          # write intent_index.safetensors
    python -m idpilot.copilot.understanding.build_index --check  # exit 1 when it is stale

The index is written into the source package (next to `exemplars.yaml`); commit it with the
bank. A test fails while it is stale, and a stale index is ignored at run time (the classifier
then computes the same data from scratch, only slower).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from idpilot.copilot.understanding import intent_index
from idpilot.copilot.understanding.classifier import compute_index, text_rules
from idpilot.copilot.understanding.embedding import model_folder


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


def main(argv: list[str] | None = None) -> int:
    """Write the index (or, with --check, report whether it is current)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    parser.add_argument("--out", type=Path, default=intent_index.index_path())
    args = parser.parse_args(argv)
    if args.check:
        current = is_current(args.out)
        print(f"{args.out}: {'current' if current else 'STALE: rebuild it'}")
        return 0 if current else 1
    index = compute_index()
    intent_index.write_index(args.out, index)
    print(f"wrote {args.out}: {len(index.bank)} exemplars, {len(index.terms)} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

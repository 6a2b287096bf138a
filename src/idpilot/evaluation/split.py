"""The one deterministic split of a question set into a dev half and a test half.

Cases are grouped by what they expect (the skill, else the pending capability, else the status),
each group is ordered by the SHA-256 of the case id, and the cases alternate dev, test, dev, ...
So every skill is in both halves in proportion, and no one chooses which prompt lands where.
The split was made once, when the questions were written; a test checks the files still obey it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

DEV = "dev"
TEST = "test"


def _group(case: dict[str, Any]) -> str:
    return str(case.get("skill") or case.get("pending") or case.get("status") or "ok")


def _digest(case_id: str) -> str:
    return hashlib.sha256(case_id.encode("utf-8")).hexdigest()


def assign_halves(cases: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Case id -> "dev" or "test"."""
    groups: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        groups[_group(case)].append(case["id"])
    halves: dict[str, str] = {}
    for ids in groups.values():
        for index, case_id in enumerate(sorted(ids, key=_digest)):
            halves[case_id] = DEV if index % 2 == 0 else TEST
    return halves

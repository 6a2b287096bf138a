"""Golden Conditional Access cases: one JSON file per case under golden/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from idpilot.conditional_access import InMemoryDirectory, PolicySet, SignInContext

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.json"))
MIN_CASES = 80


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def test_enough_cases() -> None:
    assert len(CASES) >= MIN_CASES


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden(path: Path) -> None:
    case = _load(path)
    policy_set = PolicySet.from_graph(case["policies"], case["namedLocations"])
    directory = InMemoryDirectory.from_json(case["directory"])
    context = SignInContext.model_validate(case["context"])
    evaluation = policy_set.evaluate(context, directory)
    expected = case["expected"]
    by_id = {p.policy_id: p for p in evaluation.policies}
    explain = {pid: [c.model_dump() for c in p.checks] for pid, p in by_id.items()}

    assert evaluation.outcome == expected["outcome"], explain
    if "requiredControls" in expected:
        assert evaluation.required_controls == expected["requiredControls"]
    for policy_id, want in expected["policies"].items():
        got = by_id[policy_id]
        assert got.result == want["result"], explain[policy_id]
        reasons = " | ".join(c.text() for c in got.checks)
        if "reasonContains" in want:
            assert want["reasonContains"].lower() in reasons.lower(), reasons
        if "missingFacts" in want:
            assert set(want["missingFacts"]) <= set(got.missing_facts), got.missing_facts
            if not want["missingFacts"]:
                assert got.missing_facts == []
        for key, field in (
            ("enforcedGrantControls", "enforced_grant_controls"),
            ("enforcedSessionControls", "enforced_session_controls"),
        ):
            if key in want:
                assert getattr(got, field) == want[key]
        for check in got.checks:
            assert check.reason, f"empty reason for {check.condition}"

    fast = policy_set.results(context, directory)
    assert fast == [(p.policy_id, p.result) for p in evaluation.policies]
    with_missing = policy_set.results_with_missing(context, directory)
    assert with_missing == [
        (p.policy_id, p.result, tuple(p.missing_facts)) for p in evaluation.policies
    ]

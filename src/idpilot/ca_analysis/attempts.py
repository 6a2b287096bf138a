"""A user's sign-ins (read through `idpilot.logs`) grouped into attempts by correlationId."""

from __future__ import annotations

from typing import Any

from idpilot.ca_analysis.evidence import cite_sign_in
from idpilot.knowledge import default_catalog, interrupt_followed_by_success
from idpilot.skills.base import SkillResult


def group_attempts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped by correlationId into attempts, in time order of their last row."""
    by_correlation: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_correlation.setdefault(row["correlationId"] or row["id"], []).append(row)
    attempts = []
    catalog = default_catalog()
    for correlation, group in by_correlation.items():
        codes = [r["errorCode"] or 0 for r in group]
        benign = interrupt_followed_by_success(codes, catalog)
        last = group[-1]
        attempts.append(
            {
                "correlation_id": correlation,
                "rows": group,
                "codes": codes,
                "last": last,
                "failed": (last["errorCode"] or 0) != 0,
                "interrupt_then_success": benign,
            }
        )
    return sorted(attempts, key=lambda a: a["last"]["createdDateTime"])


def attempt_facts(result: SkillResult, attempt: dict[str, Any]) -> dict[str, Any]:
    """The facts of one attempt for an answer, its sign-ins cited."""
    last = attempt["last"]
    return {
        "correlation_id": attempt["correlation_id"],
        "codes": attempt["codes"],
        "sign_in_ids": [cite_sign_in(result, row) for row in attempt["rows"]],
        "when": last["createdDateTime"],
        "app": last["appDisplayName"],
        "error_code": last["errorCode"],
        "title": default_catalog().explain(last["errorCode"] or 0).title,
        "ip": last.get("ipAddress"),
        "place": ", ".join(p for p in (last.get("city"), last.get("country")) if p) or None,
    }

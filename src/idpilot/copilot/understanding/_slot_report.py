"""What a request for a report says of its subject and its reader ("the spray, for the CISO")."""

from __future__ import annotations

import re
from typing import Any

AUDIENCES = (
    ("auditor", r"auditors?|audit report|compliance|assessors?"),
    ("helpdesk", r"help ?desk|service ?desk|support (?:team|staff)|first[- ]line|next shift"),
    ("engineer", r"engineers?|engineering|soc\b|analysts?|technical team|admins? team"),
    ("ciso", r"cis?o|cio|cfo|ceo|coo|exec\w*|board|management|leadership|managers?|c-level"
     r"|committee|non-technical|stakeholders?|hr|human resources|legal|lawyers?|dpo|directors?"),
)  # fmt: skip
"""Who a report is for, and the words that name them."""
_KINDS = (
    ("incident", r"spray\w*|incidents?|attacks?|breach\w*|compromis\w*|suspicious|threats?"
     r"|intrusions?|what happened"),
    ("risk", r"risky|at risk|risks? (?:of|to) users|identity protection|risk detections?"),
    ("ca", r"conditional access|ca polic\w+|polic(?:y|ies) coverage"),
    ("signins", r"sign[- ]?ins?|log[- ]?ins?|logons?|sign[- ]in (?:issues|failures)"),
    ("posture", r"posture|baselines?|hygiene|health|secure score|mfa adoption|best practices?"),
)  # fmt: skip
_DETECTIONS = (
    ("passwordSpray", r"spray\w*"),
    ("bruteForce", r"brute[- ]?forc\w*|lockouts?"),
    ("mfaFatigue", r"mfa fatigue|push (?:bomb|spam)\w*"),
    ("impossibleTravel", r"impossible travel"),
    ("highPrivilegeConsent", r"(?:illicit |app )?consent grants?"),
    ("legacyAuthentication", r"legacy auth\w*"),
)
_COMPILED = {
    name: [(value, re.compile(rf"\b(?:{words})", re.I)) for value, words in table]
    for name, table in (("audience", AUDIENCES), ("report_kind", _KINDS))
}


def report_values(prompt: str) -> dict[str, Any]:
    """The report kind, audience and (for an incident) the detections a prompt names, by the
    `report` skill's input fields."""
    values: dict[str, Any] = {}
    for field, table in _COMPILED.items():
        for value, pattern in table:
            if pattern.search(prompt):
                values[field] = value
                break
    if values.get("report_kind") == "incident":
        named = [
            value for value, words in _DETECTIONS if re.search(rf"\b(?:{words})", prompt, re.I)
        ]
        if named:
            values["detections"] = named
    return values

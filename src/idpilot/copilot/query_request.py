"""Whether a prompt asks for a KQL query: read for every prompt, so it loads nothing else."""

from __future__ import annotations

import re

ASKS_FOR_QUERY = re.compile(
    r"\b(?:kql|kusto)\b"
    r"|\b(?:sentinel|log analytics|hunting|la|workspace)\s+quer(?:y|ies)\b"
    r"|\b(?:write|build|give|generate|create|draft|craft|need|want|make|produce|compose|show)"
    r"\b(?:\s+\w+){0,3}?\s+(?:a\s+|the\s+)?quer(?:y|ies)\b"
    r"|\bquer(?:y|ies)\s+(?:for|to|that|which|listing|showing|against|on)\b",
    re.I,
)
"""The prompt asks for a query to be written, not for an answer."""
THE_LANGUAGE = re.compile(r"\b(?:kql|kusto|sentinel|log analytics)\b", re.I)


def asks_for_query(prompt: str) -> bool:
    """The prompt asks for a KQL query to be written ("give me KQL for ...")."""
    return bool(ASKS_FOR_QUERY.search(prompt))


def names_the_language(prompt: str) -> bool:
    """The prompt names KQL, Kusto, Sentinel or Log Analytics (not just "a query")."""
    return bool(THE_LANGUAGE.search(prompt))

"""The grounding check: an answer may name only entities present in its evidence.

Entities are GUIDs, UPNs and mail addresses, IP addresses, and display names of directory
objects (users, groups, service principals, roles, Conditional Access policies) in the store.
"""

from __future__ import annotations

import json
import re

from idpilot.copilot.answer import EvidenceItem
from idpilot.store import Store

_GUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
_EMAIL = re.compile(r"[\w.'+#-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_ESCAPE = re.compile(r"\\(.)")
_NAMES_SQL = """
SELECT DISTINCT name FROM (
    SELECT displayName AS name FROM users UNION ALL SELECT displayName FROM groups
    UNION ALL SELECT displayName FROM servicePrincipals
    UNION ALL SELECT displayName FROM conditionalAccessPolicies
) WHERE name IS NOT NULL AND length(name) >= 4 AND contains($text, name)
"""


class GroundingError(AssertionError):
    """A composed answer named an entity absent from its evidence (a bug in idpilot)."""


def plain_text(markdown: str) -> str:
    """The answer with markdown escapes removed, as a reader sees it."""
    return _ESCAPE.sub(r"\1", markdown)


def ungrounded_entities(
    store: Store, answer: str, evidence: list[EvidenceItem], prompt: str = ""
) -> list[str]:
    """Entities the answer names that no evidence record carries (nor the prompt itself)."""
    text = plain_text(answer)
    corpus = (
        "\n".join(
            f"{item.id}\n{json.dumps(item.fields, default=str, ensure_ascii=False)}"
            for item in evidence
        ).lower()
        + "\n"
        + prompt.lower()
    )
    named = set(_GUID.findall(text)) | set(_EMAIL.findall(text)) | set(_IPV4.findall(text))
    names = store.con.execute(_NAMES_SQL, {"text": text}).fetchall()
    named |= {row[0] for row in names}
    return sorted(entity for entity in named if entity.lower().rstrip(".") not in corpus)

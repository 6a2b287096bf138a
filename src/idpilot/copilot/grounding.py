"""The grounding check: an answer may name only entities present in its evidence.

Entities are GUIDs, UPNs and mail addresses, IP addresses, and display names of directory
objects (users, groups, service principals, roles, Conditional Access policies) in the store.
"""

from __future__ import annotations

import json
import re

from idpilot.copilot.answer import EvidenceItem
from idpilot.copilot.entities import EMAIL, GUID, IPV4
from idpilot.store import Store

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
    named = set(GUID.findall(text)) | set(EMAIL.findall(text)) | set(IPV4.findall(text))
    names = store.con.execute(_NAMES_SQL, {"text": text}).fetchall()
    named |= {row[0] for row in names}
    return sorted(entity for entity in named if entity.lower().rstrip(".") not in corpus)

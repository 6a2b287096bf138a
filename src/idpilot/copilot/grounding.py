"""The grounding check: an answer may name only entities present in its evidence.

Entities are GUIDs, UPNs and mail addresses, IP addresses, and display names of directory
objects (users, groups, service principals, roles, Conditional Access policies) in the store.
Names are compared as the answer shows them (`inert_text`: one line, invisible characters as
code points), so a displayName holding newlines, terminal sequences or bidi marks is checked
like any other.
"""

from __future__ import annotations

import re

from idpilot.copilot.answer import published_fields
from idpilot.copilot.entities import EMAIL, GUID, IPV4
from idpilot.copilot.inert import inert_text
from idpilot.errors import IdpilotError
from idpilot.model.records import Record, text_leaves
from idpilot.store import Store
from idpilot.store.queries.names import directory_names_in

_ESCAPE = re.compile(r"\\(.)")


class GroundingError(IdpilotError, AssertionError):
    """A composed answer named an entity absent from its evidence (a bug in idpilot): the
    answer is withheld and the person told so, never shown a traceback."""


def plain_text(markdown: str) -> str:
    """The answer with markdown escapes removed, as a reader sees it."""
    return _ESCAPE.sub(r"\1", markdown)


def _corpus(evidence: list[Record], prompt: str) -> str:
    """The evidence and the prompt as the answer would show them, in lower case."""
    parts = [prompt]
    for item in evidence:
        parts.append(item.id)
        parts.extend(text_leaves(published_fields(item)))
    return "\n".join(inert_text(part) for part in parts).lower()


def ungrounded_entities(
    store: Store, answer: str, evidence: list[Record], prompt: str = ""
) -> list[str]:
    """Entities the answer names that no evidence record carries (nor the prompt itself)."""
    text = plain_text(answer)
    corpus = _corpus(evidence, prompt)
    named = set(GUID.findall(text)) | set(EMAIL.findall(text)) | set(IPV4.findall(text))
    for name in directory_names_in(store, text):
        shown = inert_text(name)
        if len(shown) >= 4 and shown in text:
            named.add(shown)
    # Identifiers are looked up as whole tokens of the corpus first (an answer listing thousands
    # of accounts must not scan the corpus once per account), then as substrings.
    tokens = {
        token.lower().rstrip(".")
        for pattern in (GUID, EMAIL, IPV4)
        for token in pattern.findall(corpus)
    }
    return sorted(
        entity
        for entity in named
        if (key := entity.lower().rstrip(".")) not in tokens and key not in corpus
    )

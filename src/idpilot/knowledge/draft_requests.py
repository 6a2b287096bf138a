"""How admins ask for a Conditional Access policy to be drafted ("Draft a CA policy: ...",
"can you make me a rule that stops ..."): one pattern for the understanding layer, which
routes such a prompt to the drafting skill, and for the description reader, which drops the
request's own words before reading the policy's."""

from __future__ import annotations

import re

ASKED_TO_DRAFT = (
    r"(?:(?:^|[.!?;]\s+)\W*(?:(?:please|pls|can\s+you|could\s+you|would\s+you|help\s+me|i\s+need\s+to|"
    r"i\s+want\s+to|let['’]?s)\W+)*(?:draft|write|create|design|propose|build|suggest|make|"
    r"set\s+up)\s+(?:me\s+|us\s+)?(?:an?\s+|the\s+|new\s+|one\s+)*"
    r"(?:ca\s+|conditional\s+access\s+)?(?:polic(?:y|ies)\b|(?:rule|thing|replacement|one|version)"
    r"\b(?=\s+(?:that|which|to)\s+(?:stops?|blocks?|requires?|forces?|prevents?|denies?|makes?|"
    r"only\s+lets?)\b)"
    r"|(?:ca|conditional\s+access)\s*[:\-–])"
    r"|\b(?:draft|write|create|build|make)\s+(?:it|that|this|one)(?:\s+(?:for\s+(?:me|us)|up))?"
    r"(?:\s*,?\s*please)?\W*$)"
)
"""The request itself, from the prompt's start to "policy" (or "rule" when what follows says
what the rule does, or "CA:" before the description), or said last of a policy described
before it ("a GPO that forces MFA for every admin ... Draft it for me.")."""

DRAFT_REQUEST = re.compile(ASKED_TO_DRAFT, re.I)

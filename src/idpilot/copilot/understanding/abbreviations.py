"""Abbreviations admins type for the tenant's features ("the MFA CAP", "EXO keeps bouncing her
IMAP client", "the TAP task in the pre-hire LCW") spelled out, so that the
words that name a feature, an app or a kind of event are read as such.

Only abbreviations written in capitals (as admins write them) whose letters mean nothing else in
identity work; a role's initials ("GA", "PRA") are read where roles are.
"""

from __future__ import annotations

import re

_SPELLED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bCAPs\b"), "Conditional Access policies"),
    (re.compile(r"\bCAP\b"), "Conditional Access policy"),
    (re.compile(r"\bEXO\b"), "Exchange Online"),
    (re.compile(r"\bSPO\b"), "SharePoint Online"),
    (re.compile(r"\bLCWs\b"), "lifecycle workflows"),
    (re.compile(r"\bLCW\b"), "lifecycle workflow"),
    (re.compile(r"\bTAP\b"), "Temporary Access Pass"),
    (re.compile(r"\bWHf[Bb]\b"), "Windows Hello for Business"),
)


def spelled_out(prompt: str) -> str:
    """The prompt with the feature abbreviations it types spelled out."""
    for pattern, words in _SPELLED:
        prompt = pattern.sub(words, prompt)
    return prompt

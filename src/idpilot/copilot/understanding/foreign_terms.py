"""Other identity products' words read as Entra's, for telling what is asked: an admin who
comes from AWS, Google Cloud, Google Workspace or Okta asks in the words they know ("any
service account keys already expired?", "the Entra equivalent of Okta's number challenge").

Only a prompt that speaks of this tenant is read so ("our", "we", "Entra", "Azure"): "how do I
create an IAM role in AWS for EC2?" is about AWS and stays so. Names are resolved on the prompt
as typed; this only changes the text the intent is read from.
"""

from __future__ import annotations

import re

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.prompt_names import NAMED_OUTRIGHT

_OURS = re.compile(
    r"\b(?:our|ours|we|we['’](?:re|ve|d)|us|my\s+tenant|the\s+tenant|entra|azure|aad|microsoft|"
    r"equivalent|here)\b"
    r"|^\W*(?:any|are|is|do|did|does|have|has|which|who|how\s+many)\b(?![^?]*\b(?:aws|gcp|okta)\b)",
    re.I,
)
"""Words that make a prompt about this tenant, whatever product it borrows words from (or a
question about the state of things that names no other product: "any service account keys
already expired?")."""
_TERMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), entra)
    for pattern, entra in (
        # Google Cloud and AWS credentials of a workload: an app's secrets and certificates.
        (r"\bservice[\s-]+account\s+keys?\b", "app secrets and certificates"),
        (r"\b(?:iam\s+)?access\s+keys?\b(?!\s+(?:vault|id\b))", "app secrets"),
        # AWS IAM and Organizations.
        (r"\biam\s+roles?\b", "admin roles"),
        (r"\biam\s+users?\b", "users"),
        (r"\biam\s+groups?\b", "groups"),
        (r"\b(?:scps?|service\s+control\s+polic(?:y|ies))\b", "Conditional Access policy"),
        (r"\bcloudtrail\b|\bcloud\s+audit\s+logs?\b", "audit log"),
        (r"\bguardduty\b", "Identity Protection"),
        # Google Workspace.
        (r"\bsuper\s+admins?\b", "Global Administrators"),
        (
            r"\b(?:organi[sz]ational\s+units?|ous?)\b(?=[^.?!]*\b(?:in|of|her|his|their)\b)|\bher\s+ou\b|\bhis\s+ou\b",
            "department",
        ),
        # Okta.
        (r"\bapp\s+integrations?\b", "enterprise apps"),
        (r"\blocked_out\b", "locked out"),
        (r"\bokta\s+verify\b", "Microsoft Authenticator"),
        (r"\bnumber\s+challenge\b", "number matching"),
        (
            r"\b(?:global\s+)?(?:session|sign-?on|authentication)\s+polic(?:y|ies)\b",
            "Conditional Access policy",
        ),
        (r"\bthreatinsight\b", "Identity Protection"),
        (r"\bfactors?\b(?=[^.?!]*\b(?:enrol\w*|registered|set\s+up)\b)", "MFA methods"),
    )
)


def in_entra_terms(text: str) -> str:
    """`text` with other products' identity words as Entra's, when it speaks of this tenant."""
    if not _OURS.search(text):
        return text
    for pattern, entra in _TERMS:
        text = pattern.sub(entra, text)
    return text


def drop_names_in_foreign_terms(entities: PromptEntities, prompt: str) -> None:
    """A loose match on a word of another product's term names nothing ("service account
    keys" and the apps with "Service" in their names), when the prompt speaks of this tenant."""
    if not _OURS.search(prompt):
        return
    spans = [m.group(0).lower() for pattern, _ in _TERMS for m in pattern.finditer(prompt)]
    if not spans:
        return
    entities.matches = [
        m
        for m in entities.matches
        if m.quality in NAMED_OUTRIGHT or not any(_within(m.phrase, span) for span in spans)
    ]


def _within(phrase: str, span: str) -> bool:
    return bool(phrase) and re.search(rf"\b{re.escape(phrase.lower())}\b", span) is not None


_APP_CALLED = r"(?:tenant|site|system|platform|instance|environment|tool|service)"
"""Other words admins use for an app after its name ("the payroll tenant", "the HR system")."""


def apps_said_otherwise(text: str, entities: PromptEntities) -> str:
    """`text` with "tenant", "system", "site" ... after an app's name read as "app" ("who is
    responsible for the payroll tenant?" asks about the payroll app, not the tenant)."""
    for match in entities.of_kind("servicePrincipal"):
        if not match.phrase:
            continue
        said = re.compile(rf"(\b{re.escape(match.phrase)})\s+{_APP_CALLED}\b", re.I)
        text = said.sub(r"\1 app", text)
    return text

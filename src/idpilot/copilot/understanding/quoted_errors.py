"""An error message quoted without its code ("the 'device is not in required device state:
compliant' error", "it says your account is locked because you tried too many times") names
the error whose text it is: the reason the tenant's own sign-ins give for a failure code, or
the message Microsoft publishes for it. Most of the quote's words must be that text's, and only
one code may fit; otherwise nothing is named."""

from __future__ import annotations

import re

from idpilot.copilot.entities import FUNCTION_WORDS, PromptEntities
from idpilot.store import Store
from idpilot.store.queries.sign_ins import failure_reasons
from idpilot.store.version_memo import per_snapshot

_QUOTE = re.compile(
    r"[\"“]([^\"“”\n]{12,300})[\"”]|(?<![\w'’])['‘]([^'‘’\n]{12,300}?)['’](?![\w'’])"
)
_WORD = re.compile(r"[a-z0-9]+")
MIN_WORDS = 4
"""Content words a quote has at least (shorter ones name nothing surely: "your account or
password is incorrect" fits a lockout's reason as well as a wrong password's)."""
SHARE = 0.75
"""At least this share of the quote's words are the error text's."""


def add_quoted_error_codes(store: Store, prompt: str, entities: PromptEntities) -> str:
    """Add the error code a quoted message without a code names (see the module); the prompt
    is returned with that quote read as the code ("error 53000"), as if it had been typed."""
    if entities.error_codes:
        return prompt
    for match in _QUOTE.finditer(prompt):
        code = _code_of(store, match.group(1) or match.group(2) or "")
        if code is not None:
            entities.error_codes.append(code)
            return f"{prompt[: match.start()]}error {code}{prompt[match.end() :]}"
    return prompt


def _code_of(store: Store, quoted: str) -> int | None:
    words = set(_WORD.findall(quoted.lower())) - FUNCTION_WORDS
    if len(words) < MIN_WORDS:
        return None
    fits = {
        code
        for code, text in _error_texts(store)
        if len(words & set(_WORD.findall(text.lower()))) >= SHARE * len(words)
    }
    return fits.pop() if len(fits) == 1 else None


def _error_texts(store: Store) -> list[tuple[int, str]]:
    """(code, text): the tenant's failure reasons, then Microsoft's published messages."""

    def read() -> list[tuple[int, str]]:
        from idpilot.knowledge.sign_in_errors import default_catalog  # only for a quote

        own = [(int(row["code"]), row["reason"]) for row in failure_reasons(store)]
        published = [
            (e.code, e.published_message) for e in default_catalog() if e.published_message
        ]
        return own + published

    return per_snapshot(store, "quoted error texts", read)

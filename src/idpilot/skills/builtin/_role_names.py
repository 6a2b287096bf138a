"""Roles as admins name them ("the global admins", a role's id or template id), found in the
store: what the understanding layer asks of every prompt, kept apart from the skills' audit
helpers so that reading a prompt loads only this."""

from __future__ import annotations

import re
from typing import Any

from idpilot.store import Store
from idpilot.store.queries.roles import role_definitions_named, role_definitions_with_keys


def find_role(store: Store, reference: str) -> list[dict[str, Any]]:
    """Role definitions a reference names: id, template id, display name, or 'global admins'."""
    return role_definitions_named(store, list(_role_forms(reference)))


def _role_forms(reference: str) -> set[str]:
    """The lower-case forms a role reference may take: as said, singular, 'admin' spelled out."""
    phrase = " ".join(reference.lower().split())
    forms = {phrase, phrase.removesuffix("s")}
    forms |= {f.replace(" admin", " administrator") for f in list(forms) if f.endswith(" admin")}
    forms |= {ROLE_SYNONYMS[f] for f in forms if f in ROLE_SYNONYMS}
    return forms


def said_by_synonym(said: str) -> bool:
    """Whether the words that named a role are one of its other names ("domain admins")."""
    phrase = " ".join(said.lower().split())
    return any(form in ROLE_SYNONYMS for form in (phrase, phrase.removesuffix("s")))


ROLE_SYNONYMS = {
    "domain admin": "global administrator",
    "domain administrator": "global administrator",
    "enterprise admin": "global administrator",
    "enterprise administrator": "global administrator",
    "company administrator": "global administrator",
    "tenant admin": "global administrator",
    "tenant administrator": "global administrator",
    "exo admin": "exchange administrator",
    "exchange online admin": "exchange administrator",
    "exchange admin": "exchange administrator",
    "spo admin": "sharepoint administrator",
    "sharepoint admin": "sharepoint administrator",
}
"""Other names of a role: Active Directory's all-powerful groups, whose Entra counterpart
Microsoft's comparison of the two gives as Global Administrator, and its own former name
(Company Administrator, as MSOnline and the audit log still call it)."""


ROLE_ACRONYMS = {
    "GA": "global administrator",
    "PRA": "privileged role administrator",
    "PAA": "privileged authentication administrator",
    "CAA": "conditional access administrator",
}
"""Roles admins name by their initials, written in capitals ("someone holding GA", "the PRAs");
only these, whose initials mean nothing else in identity work ("CA" is Conditional Access)."""
_ACRONYM = re.compile(r"\b(" + "|".join(ROLE_ACRONYMS) + r")(?:s|'s|’s)?\b")


def role_in_text(store: Store, prompt: str | None) -> list[dict[str, Any]]:
    """A role a prompt names in words ("the global admins"), longest phrase first; `said` holds
    the words that named it."""
    if not prompt:
        return []
    words = " ".join(re.sub(r"[?!.,]", " ", prompt.lower()).split()).split()
    definitions: list[dict[str, Any]] | None = None  # read once, when a word group is tried
    for size in (4, 3, 2):
        for start in range(len(words) - size + 1):
            if definitions is None:
                definitions = role_definitions_with_keys(store)
            forms = _role_forms(" ".join(words[start : start + size]))
            found = [d for d in definitions if forms.intersection(d["keys"])]
            if found:
                said = " ".join(words[start : start + size])
                return [
                    {**{k: v for k, v in d.items() if k != "keys"}, "said": said} for d in found
                ]
    if initials := _ACRONYM.search(prompt):
        definitions = definitions or role_definitions_with_keys(store)
        name = ROLE_ACRONYMS[initials.group(1)]
        return [
            {**{k: v for k, v in d.items() if k != "keys"}, "said": initials.group(0)}
            for d in definitions
            if name in d["keys"]
        ]
    return []

"""What a promptbook step's answer offers later steps: the objects it cited most (`top_user`,
`top_ip` ...) and the object it was about (`subject`), each as a name a prompt can use.

A name comes from tenant data and becomes part of the next prompt, so only a plain one is
used (letters, digits and a few separators, at most PLAIN_NAME_CHARS); any other is replaced
by the object's id, which the prompt's name lookup resolves as well.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable

from idpilot.copilot.answer import Answer
from idpilot.copilot.session import Turn
from idpilot.model.records import Record

PLAIN_NAME_CHARS = 64
_PLAIN = re.compile(r"^[^\W_](?:[\w .@'&()/,+:-]*[\w)])?$")
_ID = re.compile(r"^[\w.@:-]{1,100}$")
_USERS = frozenset({"user", "riskyUser", "userRegistrationDetails"})
_APPS = frozenset({"servicePrincipal", "application", "riskyServicePrincipal"})

Named = tuple[str, str | None]
"""An object a record is or names: its identity (an id, counted), and its name if any."""


def _text(value: object) -> str | None:
    """A field's value as one line of text, or None for nothing."""
    if value is None or isinstance(value, dict | list) or str(value).strip() == "":
        return None
    return " ".join(str(value).split())


def _user(record: Record) -> Named | None:
    fields = record.fields
    upn = _text(fields.get("userPrincipalName"))
    if record.kind in _USERS:
        return record.id, upn or _text(fields.get("displayName"))
    key = _text(fields.get("userId")) or upn
    return (key, upn) if key else None


def _app(record: Record) -> Named | None:
    if record.kind in _APPS:
        return record.id, _text(record.fields.get("displayName"))
    name = _text(record.fields.get("appDisplayName"))
    key = _text(record.fields.get("appId")) or name
    return (key, name) if key else None


def _of_kind(kind: str) -> Callable[[Record], Named | None]:
    def named(record: Record) -> Named | None:
        if record.kind != kind:
            return None
        return record.id, _text(record.fields.get("displayName"))

    return named


def _ip(record: Record) -> Named | None:
    text = _text(record.fields.get("ipAddress"))
    try:
        address = str(ipaddress.ip_address(text)) if text else None
    except ValueError:
        return None
    return (address, address) if address else None


def _error(record: Record) -> Named | None:
    code = record.fields.get("errorCode")
    if isinstance(code, bool) or not isinstance(code, int) or code == 0:
        return None
    return str(code), str(code)


_FINDERS: dict[str, Callable[[Record], Named | None]] = {
    "top_user": _user,
    "top_group": _of_kind("group"),
    "top_app": _app,
    "top_policy": _of_kind("conditionalAccessPolicy"),
    "top_role": _of_kind("unifiedRoleDefinition"),
    "top_ip": _ip,
    "top_error": _error,
}
OBJECTS: tuple[str, ...] = (*_FINDERS, "subject")
"""What a step's answer offers: the user, group, app, policy, role, IP address and error
code its citations name most often (ties: the first cited), and `subject`, the object the
step was about (what "this user" in the next step points at)."""
_DESCRIBED = {
    "top_user": "user",
    "top_group": "group",
    "top_app": "app",
    "top_policy": "Conditional Access policy",
    "top_role": "role",
    "top_ip": "IP address",
    "top_error": "sign-in error code",
    "subject": "object it was about",
}


def describe(name: str) -> str:
    """What an object is, in words (`top_ip` -> `IP address`)."""
    return _DESCRIBED[name]


def prompt_name(key: str, names: list[str]) -> str | None:
    """How a prompt names an object: its first plain name (a UPN first), else its id when
    that is plain; None when neither is."""
    plain = [n for n in names if len(n) <= PLAIN_NAME_CHARS and _PLAIN.match(n)]
    best = [n for n in plain if "@" in n] or plain
    if best:
        return best[0]
    return key if _ID.match(key) else None


def _top(cited: list[Record], finder: Callable[[Record], Named | None]) -> str | None:
    found = [named for record in cited if (named := finder(record)) is not None]
    if not found:
        return None
    key = Counter(k for k, _ in found).most_common(1)[0][0]
    return prompt_name(key, [name for k, name in found if k == key and name])


def answer_objects(answer: Answer, turn: Turn | None = None) -> dict[str, str]:
    """The objects an answer offers later steps (those it has), by name; `turn` is what the
    session remembered of it (its subject)."""
    evidence = {(record.kind, record.id): record for record in answer.evidence}
    cited = [evidence[key] for c in answer.citations if (key := (c.kind, c.id)) in evidence]
    found = {name: top for name, finder in _FINDERS.items() if (top := _top(cited, finder))}
    if turn is not None and turn.subjects:
        subject = turn.subjects[0]
        finder = {"user": _user, "servicePrincipal": _app}.get(subject.kind, _of_kind(subject.kind))
        same = [n for r in answer.evidence if (n := finder(r)) is not None and n[0] == subject.id]
        named = prompt_name(subject.id, [name for _, name in same if name])
        if named is not None:
            found["subject"] = named
    return found

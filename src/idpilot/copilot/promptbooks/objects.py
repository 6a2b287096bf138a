"""What a promptbook step's answer offers later steps: the objects it cited most (`top_user`,
`top_ip` ...) and the object it was about (`subject`), each as a name a prompt can use."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from idpilot.copilot.answer import Answer
from idpilot.copilot.inert import inert_text
from idpilot.copilot.session import Turn
from idpilot.model.records import Record

MAX_NAME_CHARS = 200
_USERS = frozenset({"user", "riskyUser", "userRegistrationDetails"})
_APPS = frozenset({"servicePrincipal", "application", "riskyServicePrincipal"})


def _text(value: object) -> str | None:
    """A field's value as one line of text, or None for nothing."""
    if value is None or isinstance(value, dict | list) or str(value).strip() == "":
        return None
    return str(value).strip()


def _user(record: Record) -> str | None:
    """The user a record is or names: its UPN, else its display name, else its id."""
    fields = record.fields
    name = _text(fields.get("userPrincipalName"))
    if name is None and record.kind in _USERS:
        name = _text(fields.get("displayName")) or record.id
    return name


def _user_id(record: Record) -> str | None:
    """The object id of the user a record is or names, else the UPN it names (None when it
    names no user)."""
    if record.kind in _USERS:
        return record.id
    return _text(record.fields.get("userId")) or _text(record.fields.get("userPrincipalName"))


def _app(record: Record) -> str | None:
    if record.kind in _APPS:
        return _text(record.fields.get("displayName")) or record.id
    return _text(record.fields.get("appDisplayName"))


def _of_kind(kind: str) -> Callable[[Record], str | None]:
    def name(record: Record) -> str | None:
        if record.kind != kind:
            return None
        return _text(record.fields.get("displayName")) or record.id

    return name


def _error(record: Record) -> str | None:
    code = record.fields.get("errorCode")
    return str(code) if isinstance(code, int) and code != 0 else None


def _ip(record: Record) -> str | None:
    return _text(record.fields.get("ipAddress"))


_NAMERS: dict[str, Callable[[Record], str | None]] = {
    "top_user": _user,
    "top_group": _of_kind("group"),
    "top_app": _app,
    "top_policy": _of_kind("conditionalAccessPolicy"),
    "top_role": _of_kind("unifiedRoleDefinition"),
    "top_ip": _ip,
    "top_error": _error,
}
OBJECTS: tuple[str, ...] = (*_NAMERS, "subject")
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


def _shown(value: str) -> str:
    """A tenant value as a prompt may carry it: inert, on one line, not too long."""
    return " ".join(inert_text(value).split())[:MAX_NAME_CHARS]


def answer_objects(answer: Answer, turn: Turn | None = None) -> dict[str, str]:
    """The objects an answer offers later steps (those it has), by name; `turn` is what the
    session remembered of it (its subject)."""
    evidence = {(record.kind, record.id): record for record in answer.evidence}
    cited = [evidence[key] for c in answer.citations if (key := (c.kind, c.id)) in evidence]
    found: dict[str, str] = {}
    for name, namer in _NAMERS.items():
        key = _user_id if namer is _user else namer  # one user, however each record names them
        counts = Counter(value for record in cited if (value := key(record)) is not None)
        if counts:
            top = counts.most_common(1)[0][0]
            names = [n for r in cited if key(r) == top and (n := namer(r)) is not None]
            best = [n for n in names if "@" in n] or names or [top]
            found[name] = _shown(best[0])
    if turn is not None and turn.subjects:
        subject = turn.subjects[0]
        records = [r for r in answer.evidence if r.id == subject.id]
        namer = (
            _user
            if subject.kind == "user"
            else _app
            if subject.kind == "servicePrincipal"
            else _of_kind(subject.kind)
        )
        names = [n for r in records if (n := namer(r)) is not None]
        found["subject"] = _shown(names[0] if names else subject.id)
    return found

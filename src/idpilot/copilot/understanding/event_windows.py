"""A time said by what happened to the person asked about: "since Jörg's account was disabled",
"after her password was reset", "before his account was re-enabled". The window starts (or
ends) at that change's latest audit event; without such an event nothing is dated, and the
question's other words decide.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.time_phrases import TimeWindow
from idpilot.copilot.understanding.prompt_names import maskable
from idpilot.store import Store
from idpilot.store.audit_activities import UserChange

_CHANGE = (
    r"(?P<change>(?:(?:his|her|their|the|its|\w+['’]s)\s+)?account\s+(?:was\s+|got\s+|had\s+been\s+"
    r"|has\s+been\s+)?(?:disabled|deactivated|blocked|switched\s+off|re-?enabled|enabled)"
    r"|(?:(?:his|her|their|the|\w+['’]s)\s+)?password\s+(?:was\s+|got\s+|had\s+been\s+|has\s+been\s+)?"
    r"(?:reset|changed)"
    r"|(?:[\w-]+\s+){1,3}reset\s+(?:his|her|their)\s+password"
    r"|(?:the\s+)?(?:password\s+)?reset)"
)
_SAID = re.compile(rf"\b(?P<how>since|after|before)\s+{_CHANGE}\b", re.I)
_KINDS = (
    (re.compile(r"re-?enabled|\benabled", re.I), UserChange.enabled),
    (re.compile(r"disabled|deactivated|blocked|switched\s+off", re.I), UserChange.disabled),
    (re.compile(r"reset|changed", re.I), UserChange.password),
)


def event_phrase(prompt: str) -> str | None:
    """The words that date a question by a change to a person ("since Jörg's account was
    disabled"), if any: they date it, they are not what it asks."""
    said = _SAID.search(prompt)
    return said.group(0) if said else None


def event_window(
    store: Store, prompt: str, user_ids: list[str], anchor: datetime
) -> TimeWindow | None:
    """The window a change to one of `user_ids` dates ("since Jörg's account was disabled":
    from that event to the snapshot time), or None when the prompt says no such change or
    the audit log holds none."""
    said = _SAID.search(prompt)
    if said is None or not user_ids:
        return None
    change = said.group("change")
    kind = next((k for pattern, k in _KINDS if pattern.search(change)), None)
    if kind is None:
        return None
    from idpilot.store.audit_changes import user_changes  # the audit log, only when asked

    moments = [
        c.event.when
        for user in user_ids
        for c in user_changes(store, user, kinds=frozenset({kind}))
        if c.event.when is not None and c.event.when <= anchor
    ]
    if not moments:
        return None
    when = max(moments)
    phrase = said.group(0)[:1].lower() + said.group(0)[1:]
    if said.group("how").lower() == "before":
        return TimeWindow(start=when - timedelta(days=30), end=when, phrase=phrase)
    return TimeWindow(start=when, end=anchor + timedelta(microseconds=1), phrase=phrase)


def dated_by_a_change(
    store: Store, prompt: str, entities: PromptEntities, anchor: datetime
) -> tuple[TimeWindow | None, str | None]:
    """The window a change to a person the prompt names dates, and the words that say it.

    A person named only inside those words, when the prompt asks about someone else ("since
    Marcus reset his password, has Tomas had more failures?"), only dates the question: their
    match is dropped from `entities`."""
    people = [m.id for m in entities.matches if m.kind == "user" and maskable(m)]
    window = event_window(store, prompt, list(dict.fromkeys(people)), anchor)
    phrase = event_phrase(prompt) if window is not None else None
    if phrase is None:
        return None, None
    rest = prompt.replace(phrase, " ")
    users = [m for m in entities.matches if m.kind == "user" and m.phrase]
    outside = [m for m in users if re.search(rf"\b{re.escape(m.phrase)}\b", rest, re.I)]
    if outside:
        entities.matches = [m for m in entities.matches if m not in users or m in outside]
    return window, phrase

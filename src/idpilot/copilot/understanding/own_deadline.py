"""A time that dates what the admin will do, not what to look at: "which admins have no MFA?
I'd like to chase them up before Monday", "I need the onboarding list for Monday's welcome",
"three bullet points for the 2pm meeting". Such a time filters nothing; read as a window it
would be reported as a condition not applied, or worse, narrow the answer to the wrong days."""

from __future__ import annotations

import re

_ASKER_WILL = re.compile(
    r"\b(?:i|we)(?:['’]d|['’]ll|\s+would|\s+will|\s+need|\s+want|\s+have\s+to|\s+must|"
    r"\s+should|\s+plan|\s+am\s+going|\s+are\s+going|\s+hope)\b[^.?!]*$",
    re.I,
)
"""The asker speaks of their own coming action, in the same sentence, before the time."""
_ASKED_INSIDE = re.compile(r"\b(?:who|what|which|when|whether|if|why|how|where)\b", re.I)
"""A question inside the asker's sentence ("I need to know who ..."): the time may date it."""
_DEADLINE = re.compile(
    r"\b(?:before|by|for|until|till|ahead\s+of|in\s+time\s+for)\s+(?:the\s+)?$", re.I
)
"""Words that make the time a deadline or an occasion ("before Monday", "for the meeting")."""


def dates_the_askers_own_action(prompt: str, phrase: str | None) -> bool:
    """Whether the window's phrase is a deadline of the asker's own action (see the module)."""
    if not phrase:
        return False
    at = prompt.lower().find(phrase.lower().split()[0])
    if at < 0:
        return False
    before = prompt[:at]
    will = _ASKER_WILL.search(before)
    # "I need to know who reset it before Monday": the time dates what is asked after all.
    return bool(_DEADLINE.search(before) and will and not _ASKED_INSIDE.search(will.group(0)))

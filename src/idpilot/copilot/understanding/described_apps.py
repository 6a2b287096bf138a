"""An app named by when its secret or certificate runs out: "that app whose client secret runs
out in January", "the app with the certificate expiring next month". Credentials end in the
future, so a month is its next occurrence on or after the snapshot's month. When exactly one
app has a credential ending then, the words name it; otherwise nothing is named."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from idpilot.copilot.entities import PromptEntities
from idpilot.store import Store
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.apps import apps_with_credentials_ending

_MONTHS = [
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
]
_MONTH_WORDS = "|".join(_MONTHS)
_ENDING = re.compile(
    r"\b(?:apps?|applications?|one)\s+(?:whose|with\s+(?:a|the|its))\s+(?:client\s+)?"
    r"(?:secrets?|certificates?|certs?|credentials?|keys?)\s+(?:runs?\s+out|expir\w*|ends?|"
    r"lapses?)\s+(?:in\s+|at\s+the\s+end\s+of\s+)?(?P<month>"
    + "|".join(_MONTHS)
    + r"|next\s+month)\b",
    re.I,
)


def swap_for_app_by_credential(store: Store, prompt: str, entities: PromptEntities) -> None:
    """Name the one app whose secret or certificate ends in the month the prompt says, when
    the prompt names no app surely itself."""
    if any(m.kind == "servicePrincipal" and m.quality is not MatchQuality.partial
           for m in entities.matches):  # fmt: skip
        return
    said = _ENDING.search(prompt)
    if said is None:
        return
    start, end = _month(said.group("month").lower(), store.captured_at())
    apps = apps_with_credentials_ending(store, start, end)
    if len(apps) != 1:
        return
    entities.matches = [m for m in entities.matches if m.kind != "servicePrincipal"]
    entities.matches.append(
        EntityMatch(
            kind="servicePrincipal",
            id=apps[0]["id"],
            label=apps[0]["displayName"] or apps[0]["id"],
            detail="",
            phrase=said.group(0).lower(),
            quality=MatchQuality.alias,
        )
    )


def _month(said: str, now: datetime) -> tuple[datetime, datetime]:
    """The month said, as [start, end): its next occurrence on or after `now`'s month."""
    if said.startswith("next"):
        number = now.month % 12 + 1
        year = now.year + (1 if now.month == 12 else 0)
    else:
        number = _MONTHS.index(said) + 1
        year = now.year + (1 if number < now.month else 0)
    start = datetime(year, number, 1, tzinfo=UTC)
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=UTC)
    return start, end

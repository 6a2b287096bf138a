"""Real values from a tenant's store for the phrasing corpus's placeholders ({user}, {app}...).

Each value is chosen by a query over the store, so the same corpus instantiates on any tenant:
a user with sign-ins whose first name is unique, the largest groups, the most used app, an IP
and an AADSTS code that occur, the weekday and date of the latest failure.
"""

from __future__ import annotations

from datetime import datetime

from idpilot.store import Store
from idpilot.store.queries.samples import (
    SAMPLE_VALUE_NAMES,
    largest_group_names,
    latest_failure_time,
    sample_user,
    sample_value,
)

DAYS = "30"


def placeholder_values(store: Store) -> dict[str, str]:
    """Every placeholder of the phrasing corpus, filled from this store (missing ones left out)."""
    values: dict[str, str] = {"days": DAYS}
    user = sample_user(store)
    if user:
        values.update(user=user[0], user_upn=user[1], first_name=user[2])
    groups = largest_group_names(store)
    if groups:
        values["group"] = groups[0]
        values["other_group"] = groups[-1]
    for name in SAMPLE_VALUE_NAMES:
        value = sample_value(store, name)
        if value is not None:
            values[name] = value
    latest = latest_failure_time(store)
    if isinstance(latest, datetime):
        values["weekday"] = latest.strftime("%A")
        values["date"] = f"{latest.strftime('%b')} {latest.day}"
    return values

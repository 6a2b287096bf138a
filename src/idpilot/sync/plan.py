"""`idpilot sync --dry-run`: the requests a sync would make and the permissions they need.

Nothing is sent: the list comes from the endpoint table and the folder's checkpoint (a saved
deltaLink is the request a delta collection makes next; a log's window starts where the last
one ended, less the overlap).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from idpilot.sync.checkpoint import CollectionState, load_checkpoint
from idpilot.sync.endpoints import BATCH_LIMIT, ReadMode, log_filter
from idpilot.sync.options import SyncOptions
from idpilot.sync.windows import graph_time, window_start


@dataclass(frozen=True)
class PlannedRequest:
    """One request of the plan: collection, method, URL, permission, licence, how it is sent."""

    collection: str
    method: str
    url: str
    permission: str
    licence: str | None
    note: str


def planned_requests(options: SyncOptions, now: datetime) -> list[PlannedRequest]:
    """The first request of each collection, in the order a sync makes them."""
    checkpoint = load_checkpoint(options.out, options.tenant)
    base = options.base_url
    plan: list[PlannedRequest] = []
    for endpoint in options.endpoints():
        state = checkpoint.collections.get(endpoint.collection.value) or CollectionState()
        url, note = endpoint.url(base), "then each @odata.nextLink"
        if endpoint.mode is ReadMode.delta:
            if state.delta_link:
                url, note = state.delta_link, "changes since the last sync (saved deltaLink)"
            else:
                note = "full delta round, then each @odata.nextLink; the deltaLink is kept"
        elif endpoint.mode is ReadMode.log:
            start = window_start(state.high_water, now, options.since, options.overlap)
            window = quote(log_filter(endpoint, start, graph_time(now)), safe="")
            url = f"{url}?$filter={window}"
            note = "events in the window (overlap removed by id), then each @odata.nextLink"
        elif endpoint.mode is ReadMode.per_parent and endpoint.parent is not None:
            note = f"one GET per {endpoint.parent.value} record, {BATCH_LIMIT} to a POST $batch"
        elif endpoint.small:
            note = f"first page in a POST $batch of up to {BATCH_LIMIT}"
        licence = endpoint.licence.value if endpoint.licence else None
        plan.append(
            PlannedRequest(
                endpoint.collection.value, "GET", url, endpoint.permission, licence, note
            )
        )
    return plan

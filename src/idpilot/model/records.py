"""The one record type idpilot points at: a tenant object by Graph kind, id, label and fields.

Evidence behind a skill's facts, the objects a posture check or a proposal names, the candidates
offered for an ambiguous name and the objects a phrase of the prompt matches are all `Record`s
(a name match adds the phrase and match quality, `store.lookup.EntityMatch`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """A tenant object: its Graph kind and id, a short label, a detail line, the fields used.

    `detail` is what tells two objects with one label apart or says why the object is named
    (a user's UPN, an app's appId, why a posture check failed on it); `fields` are the
    object's own values an answer shows and cites.
    """

    model_config = ConfigDict(frozen=True)

    kind: str
    id: str
    label: str = ""
    detail: str = ""
    fields: dict[str, Any] = Field(default_factory=dict)


def text_leaves(value: Any) -> Iterator[str]:
    """Every leaf of a field value as text (nested dicts and lists walked; None skipped)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from text_leaves(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from text_leaves(item)
    elif value is not None:
        yield str(value)

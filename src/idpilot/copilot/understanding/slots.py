"""Typed slots of a prompt: the values its conditions state, read once, with no store access.

`extract_slots` turns a prompt into a `PromptSlots`: the time window, places, how the sign-in is
made (platform, client app, device, risk), network identifiers, numbers and the form of the
question. It is pure and offline: names of users, groups and apps are resolved elsewhere
(against the store); only the cities the tenant records are passed in.

Each parser's rules are in its module's docstring (`idpilot.copilot.time_phrases`,
`_slot_places`, `_slot_devices`, `_slot_network`, `_slot_numbers`). Two rules hold for all:

* **Quoted text is a name or a message, not a condition.** Words inside quotes ("the 'Block
  legacy auth' policy", "gets 'your device needs to be managed'") are not read as places,
  platforms, client apps, device state, risk, numbers or time; IPs and error codes inside them
  are.
* **Nothing recognised is dropped silently.** A phrase read as a condition that no value can
  express ("outside the EU", "non-Windows", "over the holidays", "999.1.1.1") is listed in
  `unparsed_conditions`, so an answer can say what it could not apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, Field

from idpilot.copilot.time_phrases import TimeWindow, parse_time_window, unresolved_time_phrase
from idpilot.copilot.understanding._slot_devices import DeviceState, find_how
from idpilot.copilot.understanding._slot_network import find_network
from idpilot.copilot.understanding._slot_numbers import (
    QuestionForm,
    find_days,
    find_number,
    question_form,
)
from idpilot.copilot.understanding._slot_places import find_places

__all__ = ["DeviceState", "PromptSlots", "QuestionForm", "extract_slots"]

# Double quotes always pair; a single quote opens only after a blank or bracket and closes only
# before one, so "Dana's" and "can't" are not quotes.
_QUOTED = re.compile(
    r"[\"“”]([^\"“”\n]{1,200})[\"“”]|(?<![\w’'])['‘]([^'‘’\n]{1,200}?)['’](?![\w’'])"
)
# Control characters (other than blanks) read as blanks: they never join or split words.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")


class PromptSlots(BaseModel):
    """The typed values a prompt states, and the conditions it states that have no value."""

    window: TimeWindow | None = None
    countries: list[str] = Field(default_factory=list)  # ISO 3166-1 alpha-2
    cities: list[str] = Field(default_factory=list)  # as the tenant records them
    places_said: list[tuple[str, str]] = Field(default_factory=list)  # (as typed, country|city)
    platforms: list[str] = Field(default_factory=list)  # conditionalAccessDevicePlatform
    client_apps: list[str] = Field(default_factory=list)  # conditionalAccessClientApp
    device: DeviceState | None = None
    risk_levels: list[str] = Field(default_factory=list)  # low, medium, high
    ips: list[str] = Field(default_factory=list)
    ip_ranges: list[str] = Field(default_factory=list)  # CIDR
    error_codes: list[int] = Field(default_factory=list)
    number: int | None = None  # a limit or threshold ("top 5", "more than 10")
    days: int | None = None  # an inactivity span or horizon ("no sign-in for 90 days")
    question: str = QuestionForm.other.value  # yes_no | count | list | explain | other
    unparsed_conditions: list[str] = Field(default_factory=list)


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with the characters of `spans` replaced by blanks (positions are kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _QUOTED.finditer(text)]


def extract_slots(prompt: str, anchor: datetime, known_cities: Iterable[str] = ()) -> PromptSlots:
    """The slots `prompt` fills, with times relative to `anchor` (the snapshot time).

    `known_cities` are the city names the tenant's records hold (sign-in locations); a city is
    returned in the tenant's spelling. Pure: no store, no network, no wall clock.
    """
    text = _CONTROL.sub(" ", prompt)
    network = find_network(text)
    conditions = _blank(text, _quoted_spans(text))
    unquantified = _blank(conditions, network.spans)
    places = find_places(conditions, known_cities)
    how = find_how(conditions)
    unparsed = [*places.unparsed, *how.unparsed, *network.unparsed]
    if (vague := unresolved_time_phrase(conditions)) is not None:
        unparsed.append(vague)
    return PromptSlots(
        window=parse_time_window(unquantified, anchor),
        countries=places.countries,
        cities=places.cities,
        places_said=places.said,
        platforms=how.platforms,
        client_apps=how.client_apps,
        device=how.device,
        risk_levels=how.risk_levels,
        ips=network.ips,
        ip_ranges=network.ip_ranges,
        error_codes=network.error_codes,
        number=find_number(unquantified),
        days=find_days(unquantified),
        question=question_form(text).value,
        unparsed_conditions=list(dict.fromkeys(unparsed)),
    )

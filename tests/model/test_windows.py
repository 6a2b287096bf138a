"""One time-window type from the parsed phrase to a skill's input to SQL parameters."""

from __future__ import annotations

import typing
from datetime import UTC, datetime, timedelta

from idpilot.copilot.time_phrases import parse_time_window
from idpilot.model.windows import TimeWindow
from idpilot.skills import Slot, default_registry

START = datetime(2026, 11, 1, tzinfo=UTC)
WEEK = TimeWindow(start=START, end=START + timedelta(days=7), phrase="first week")


def test_a_window_is_half_open() -> None:
    assert WEEK.contains(START)
    assert not WEEK.contains(WEEK.end)
    assert not WEEK.contains(START - timedelta(microseconds=1))


def test_a_window_binds_start_and_end_for_sql() -> None:
    assert WEEK.params() == {"start": START, "end": START + timedelta(days=7)}


def test_every_window_slot_takes_the_type_the_parser_returns() -> None:
    parsed = parse_time_window("sign-ins last week", START)
    assert isinstance(parsed, TimeWindow)
    slots = [
        (skill, name)
        for skill in default_registry().all()
        for name, kind in skill.slots().items()
        if kind is Slot.time_window
    ]
    assert slots
    for skill, name in slots:
        annotation = skill.input_model.model_fields[name].annotation
        assert TimeWindow in typing.get_args(annotation), skill.name

"""Kusto's typed cells read as Python values: the shapes both services document."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from idpilot.kql.remote.values import (
    kusto_datetime,
    kusto_decimal,
    kusto_dynamic_text,
    kusto_real,
    kusto_timespan,
    typed_rows,
)


def test_datetimes_keep_microseconds_of_kustos_seven_digits_and_are_utc() -> None:
    assert kusto_datetime("2026-11-19T08:15:02.1234567Z") == datetime(
        2026, 11, 19, 8, 15, 2, 123456, tzinfo=UTC
    )
    assert kusto_datetime("2026-11-19T09:00:00Z") == datetime(2026, 11, 19, 9, tzinfo=UTC)
    assert kusto_datetime("2026-11-19T10:00:00+01:00") == datetime(2026, 11, 19, 9, tzinfo=UTC)
    assert kusto_datetime("not a time") == "not a time"  # kept, never dropped


def test_timespans_with_days_fractions_and_sign() -> None:
    assert kusto_timespan("00:00:01.5000000") == timedelta(seconds=1.5)
    assert kusto_timespan("1.02:03:04") == timedelta(days=1, hours=2, minutes=3, seconds=4)
    assert kusto_timespan("-00:00:01.2500000") == -timedelta(seconds=1.25)
    assert kusto_timespan("soon") == "soon"


def test_reals_decimals_and_dynamic_text() -> None:
    assert math.isnan(kusto_real("NaN")) and kusto_real("-Infinity") == float("-inf")
    assert kusto_real(3) == 3.0 and isinstance(kusto_real(3), float)
    assert kusto_decimal("12.3400") == Decimal("12.3400")
    assert kusto_dynamic_text('{"city":"Lagos"}') == {"city": "Lagos"}
    assert kusto_dynamic_text("[]") == []
    assert kusto_dynamic_text("plain words") == "plain words"


def test_typed_rows_read_dynamic_as_text_only_when_told() -> None:
    rows = [['{"a":1}', "1", None]]
    types = ["dynamic", "long", "bool"]
    assert typed_rows(types, rows, dynamic_as_text=True) == [({"a": 1}, "1", None)]
    assert typed_rows(types, rows, dynamic_as_text=False) == [('{"a":1}', "1", None)]
    assert typed_rows(["BOOL"], [[1], [0], [True]], dynamic_as_text=True) == [
        (True,),
        (False,),
        (True,),
    ]

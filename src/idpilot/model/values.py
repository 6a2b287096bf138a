"""Annotated value types for Graph properties: timestamps, evolvable enums, placeholders.

Graph's published examples sometimes hold the *type name* instead of a value (`"Boolean"`,
`"String (timestamp)"`); a typed field reads such a documentation placeholder as None and the
record remembers the text, so serialising gives it back (see `GraphRecord.placeholders`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, PlainValidator

# An OData primitive type name, optionally followed by a note: how Graph's docs write a
# placeholder where the example should hold a value ("Boolean", "String (timestamp)", "Int32").
_PLACEHOLDER = re.compile(
    r"(?:Boolean|Int16|Int32|Int64|Integer|Double|Single|Decimal|Byte|DateTimeOffset|Date"
    r"|TimeOfDay|Duration|Guid|Binary|String)(?: \([^)]*\))?"
)


def is_placeholder(value: object) -> bool:
    """Whether `value` is a documentation placeholder (a type name) rather than a value."""
    return isinstance(value, str) and _PLACEHOLDER.fullmatch(value) is not None


def _placeholder_to_none(value: Any) -> Any:
    return None if is_placeholder(value) else value


class GraphDateTime(datetime):
    """An aware UTC-comparable datetime that remembers the exact text Graph sent.

    Graph writes up to seven fractional digits; Python keeps six. Keeping the text lets a record
    serialise back to the very string it was read from.
    """

    __slots__ = ("text",)
    text: str


def _format(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_graph_datetime(value: Any) -> GraphDateTime | None:
    """Read a Graph timestamp (ISO 8601, naive means UTC); placeholders and null become None."""
    if value is None or is_placeholder(value):
        return None
    if isinstance(value, GraphDateTime):
        return value
    if isinstance(value, datetime):
        text = None
    elif isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{text}' is not an ISO 8601 timestamp") from None
    else:
        raise ValueError("expected an ISO 8601 timestamp string")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    parsed = GraphDateTime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=value.tzinfo,
    )
    parsed.text = text if text is not None else _format(value)
    return parsed


def _graph_datetime_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    return getattr(value, "text", None) or _format(value)


Timestamp = Annotated[
    datetime | None,
    PlainValidator(parse_graph_datetime),
    PlainSerializer(_graph_datetime_text, return_type=str | None),
]
"""A Graph `DateTimeOffset`: an aware datetime in Python, Graph's exact text when serialised."""

Bool = Annotated[bool | None, BeforeValidator(_placeholder_to_none)]
"""A Graph `Boolean`; a documentation placeholder reads as None."""

Int = Annotated[int | None, BeforeValidator(_placeholder_to_none)]
"""A Graph `Int32`/`Int64`; a documentation placeholder reads as None."""

Float = Annotated[float | None, BeforeValidator(_placeholder_to_none)]
"""A Graph `Double`; a documentation placeholder reads as None."""


def _to_member(enum: type[StrEnum], value: Any) -> StrEnum | str:
    if isinstance(value, enum):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a {enum.__name__} string")
    try:
        return enum(value)
    except ValueError:
        return value


class Open:
    """`Open[E]`: a Graph evolvable enum: known values become `E` members, others stay `str`.

    Graph documents its enums as evolvable (new members arrive after `unknownFutureValue`), so a
    value we do not know is kept as the string it was, never refused.
    """

    def __class_getitem__(cls, enum: type[StrEnum]) -> Any:
        def validate(value: Any) -> StrEnum | str:
            return _to_member(enum, value)

        return Annotated[enum | str, PlainValidator(validate), PlainSerializer(str)]

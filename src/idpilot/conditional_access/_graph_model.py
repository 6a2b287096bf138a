"""Shared pydantic building blocks for parsing Graph JSON as Graph returns it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, PlainValidator
from pydantic.alias_generators import to_camel


class GraphModel(BaseModel):
    """Base for Graph resources: camelCase aliases, unknown properties kept, nulls tolerated."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")


def _none_to_empty_list(value: Any) -> Any:
    return [] if value is None else value


def _open_enum_list(enum: type[StrEnum]) -> Any:
    def coerce(value: Any) -> list[StrEnum | str]:
        if value is None:
            return []
        if isinstance(value, str):  # Graph sometimes sends flag enums as "a,b"
            value = [part.strip() for part in value.split(",") if part.strip()]
        return [_to_enum(enum, item) for item in value]

    return coerce


def _to_enum(enum: type[StrEnum], item: Any) -> StrEnum | str:
    try:
        return enum(item)
    except ValueError:
        return str(item)


def open_enum(enum: type[StrEnum]) -> Any:
    """An annotated type holding `enum` members, or the raw string for values we do not know."""

    def coerce(value: Any) -> StrEnum | str | None:
        return None if value is None else _to_enum(enum, value)

    return Annotated[enum | str | None, PlainValidator(coerce), PlainSerializer(_plain_str)]


def open_enum_list(enum: type[StrEnum]) -> Any:
    """A list of `open_enum` values; null becomes [] and a comma-separated string is split."""
    return Annotated[
        list[enum | str],
        PlainValidator(_open_enum_list(enum)),
        PlainSerializer(lambda items: [str(item) for item in items]),
    ]


def _plain_str(value: Any) -> Any:
    return None if value is None else str(value)


StrList = Annotated[list[str], BeforeValidator(_none_to_empty_list)]
"""A list of strings where Graph's null means empty."""

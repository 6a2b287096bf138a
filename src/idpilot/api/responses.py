"""JSON responses with tenant text made safe to print: invisible characters \\u-escaped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from idpilot.copilot.inert import inert_json
from idpilot.kql.output import timespan_text

_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC | orjson.OPT_NON_STR_KEYS


def _fallback(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, timedelta):
        return timespan_text(value)
    return str(value)


def json_text(content: Any) -> str:
    """`content` as compact JSON text with control, bidi and invisible characters escaped."""
    if isinstance(content, BaseModel):
        content = content.model_dump(mode="json")
    return inert_json(orjson.dumps(content, default=_fallback, option=_OPTIONS).decode())


class InertJSONResponse(JSONResponse):
    """The API's JSON: orjson, datetimes in UTC with a Z, invisible characters \\u-escaped."""

    def render(self, content: Any) -> bytes:
        """The body bytes."""
        return json_text(content).encode("utf-8")

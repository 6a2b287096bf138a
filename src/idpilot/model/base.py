"""The base of every typed Graph record: camelCase aliases, unknown properties kept.

A record reads a Graph object as Graph returns it and serialises back to the same object:
`Model.model_validate(obj).model_dump(by_alias=True, exclude_unset=True) == obj`. Properties the
model does not declare are kept in `model_extra`; a typed field that received a documentation
placeholder (`"Boolean"`, `"String (timestamp)"`) holds None and `placeholders` keeps the text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic.alias_generators import to_camel

from idpilot.model.values import is_placeholder

ODATA_TYPE = "@odata.type"


class GraphRecord(BaseModel):
    """A Microsoft Graph object (resource or complex type) as Graph returns it."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=to_camel)

    odata_type: str | None = Field(default=None, alias=ODATA_TYPE)
    _placeholders: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def placeholders(self) -> dict[str, str]:
        """Graph property name -> documentation placeholder a typed field read as None."""
        return self._placeholders

    @model_validator(mode="wrap")
    @classmethod
    def _remember_placeholders(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        record = handler(data)
        if isinstance(data, dict) and any(is_placeholder(v) for v in data.values()):
            names = _field_names(cls)
            record._placeholders = {
                key: value
                for key, value in data.items()
                if key in names
                and is_placeholder(value)
                and getattr(record, names[key]) is None
                and key not in (record.model_extra or {})
            }
        return record

    @model_serializer(mode="wrap")
    def _restore_placeholders(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        dumped = handler(self)
        if self._placeholders and isinstance(dumped, dict):
            names = _field_names(type(self))
            for key, text in self._placeholders.items():
                name = key if info.by_alias else names[key]
                if name in dumped and dumped[name] is None:
                    dumped[name] = text
        return dumped


class GraphEntity(GraphRecord):
    """A Graph resource with an `id` (the key the store merges and looks records up by)."""

    id: str | None = None


@cache
def _field_names(model: type[BaseModel]) -> dict[str, str]:
    """Alias and field name -> field name, for the keys a Graph object may use."""
    names: dict[str, str] = {}
    for name, field in model.model_fields.items():
        names[name] = name
        if field.alias:
            names[field.alias] = name
    return names

"""JSON Schema of scenario files, for editors that validate YAML as you type.

Defaults appear in the units a person writes (``15m``, ``07:00-22:00``), not pydantic's
ISO 8601 forms. Example (VS Code YAML extension), first line of a scenario file::

    # yaml-language-server: $schema=scenario.schema.json
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from ._clock import FaultTime, HoursRange, format_time
from ._duration import format_duration
from ._scenario import Scenario

__all__ = ["json_schema"]


def _as_written(value: Any) -> Any:
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, HoursRange | FaultTime):
        return str(value)
    if isinstance(value, time):
        return format_time(value)
    if isinstance(value, BaseModel):
        return _as_written(value.model_dump(by_alias=True))
    if isinstance(value, dict):
        return {key: _as_written(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_written(item) for item in value]
    return value


class _HumanUnits(GenerateJsonSchema):
    def encode_default(self, dft: Any) -> Any:
        return super().encode_default(_as_written(dft))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (``extends`` and ``returns: 0.08`` included)."""
    schema = Scenario.model_json_schema(schema_generator=_HumanUnits)
    schema["properties"]["extends"] = {
        "type": "string",
        "description": "A bundled scenario name or a path relative to this file to build on.",
    }
    returns = schema["properties"]["returns"]
    shorthand = {"type": "number", "minimum": 0, "maximum": 1, "description": "Return rate."}
    schema["properties"]["returns"] = {
        "anyOf": [{"$ref": returns.pop("$ref")}, shorthand],
        **returns,
    }
    schema["required"] = []
    return schema

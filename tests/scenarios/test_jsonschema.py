"""The JSON Schema for editors accepts the bundled files and flags broken ones."""

from __future__ import annotations

from datetime import date
from typing import Any

import jsonschema
import pytest

from scenarios import json_schema, library, library_path
from scenarios._yaml import read_yaml


def _as_editor_sees_it(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _as_editor_sees_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees_it(item) for item in value]
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", library())
def test_bundled_files_match_the_schema(
    name: str, validator: jsonschema.Draft202012Validator
) -> None:
    document = _as_editor_sees_it(read_yaml(library_path(name).read_text(encoding="utf-8")))
    assert list(validator.iter_errors(document)) == []


def test_schema_flags_what_the_loader_flags(validator: jsonschema.Draft202012Validator) -> None:
    document = {"erp": {"concurrency": 0, "concurency": 1}, "integration": {"mode": "sometimes"}}
    paths = {"/".join(map(str, error.absolute_path)) for error in validator.iter_errors(document)}
    assert paths == {"erp", "erp/concurrency", "integration/mode"}


def test_schema_defaults_use_human_units() -> None:
    definitions = json_schema()["$defs"]
    assert definitions["Integration"]["properties"]["interval"]["default"] == "15m"
    assert definitions["Chain"]["properties"]["hours"]["default"] == "07:00-22:00"
    assert definitions["Erp"]["properties"]["concurrency"]["description"]

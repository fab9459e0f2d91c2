"""Helpers for the mock POS tests: settings, seeding the catalogue and validating against
Square's OpenAPI description (``shared/reference/`` in a folder above the checkout, as in
the development workspace; the tests that need it skip without it)."""

from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mocks.pos.square import SquareSettings

_SPEC = Path("shared", "reference", "square-api-2025-08-20.json")
SPEC_PATH = next(
    (folder / _SPEC for folder in Path(__file__).resolve().parents if (folder / _SPEC).exists()),
    Path(__file__).resolve().parents[3].parent / _SPEC,
)
EXTRA_ERROR_CODES = ["VERSION_MISMATCH"]
"""Codes the real API returns that its published ErrorCode enum lacks (stale order or
catalogue version)."""

API = {"Authorization": "Bearer pos-test-token"}
ADMIN = {"Authorization": "Bearer pos-test-admin"}

_keys = itertools.count()


def make_settings(tmp_path: Path, **overrides: Any) -> SquareSettings:
    """Settings for one test: own database, no background loop, instant payments."""
    values: dict[str, Any] = {
        "db_url": f"sqlite:///{tmp_path / 'pos.sqlite3'}",
        "api_tokens": {"pos-test-token": "qa"},
        "admin_token": "pos-test-admin",
        "run_background": False,
        "payment_settle_seconds": 0,
        "journal_flush_interval": 0.05,
    }
    values.update(overrides)
    return SquareSettings.model_validate(values)


def key(prefix: str = "k") -> str:
    """A fresh idempotency key."""
    return f"{prefix}-{next(_keys)}"


def seed_item(client: TestClient, sku: str, price: int = 250, name: str = "Thing") -> str:
    """Create an item with one tracked variation; returns the variation id."""
    body = {
        "idempotency_key": key("item"),
        "object": {
            "type": "ITEM",
            "id": "#item",
            "item_data": {
                "name": name,
                "variations": [
                    {
                        "type": "ITEM_VARIATION",
                        "id": "#var",
                        "item_variation_data": {
                            "item_id": "#item",
                            "name": "Regular",
                            "sku": sku,
                            "pricing_type": "FIXED_PRICING",
                            "price_money": {"amount": price, "currency": "USD"},
                            "track_inventory": True,
                        },
                    }
                ],
            },
        },
    }
    response = client.post("/v2/catalog/object", json=body)
    assert response.status_code == 200, response.text
    mapping = {m["client_object_id"]: m["object_id"] for m in response.json()["id_mappings"]}
    return mapping["#var"]


def location_id(client: TestClient) -> str:
    """The id of the merchant's first location."""
    return str(client.get("/v2/locations").json()["locations"][0]["id"])


def _jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema draft 4: `nullable` becomes a null alternative."""
    if isinstance(node, list):
        return [_jsonschema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _jsonschema(v) for k, v in node.items() if not k.startswith("x-")}
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        elif "$ref" in out:
            out = {"anyOf": [{"$ref": out.pop("$ref")}, {"type": "null"}], **out}
    return out


@cache
def _document() -> dict[str, Any]:
    raw = json.loads(SPEC_PATH.read_text())
    doc = {"components": {"schemas": _jsonschema(raw["components"]["schemas"])}}
    codes = doc["components"]["schemas"]["ErrorCode"]
    codes["enum"] = [*codes["enum"], *EXTRA_ERROR_CODES]
    return doc


@cache
def _registry() -> Any:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    resource = Resource.from_contents(_document(), default_specification=DRAFT4)
    return Registry().with_resource("urn:square", resource)


@cache
def _validator(schema_name: str) -> Any:
    import jsonschema

    schema = {"$ref": f"urn:square#/components/schemas/{schema_name}"}
    return jsonschema.Draft4Validator(schema, registry=_registry())


def square_validator(schema_name: str) -> Any:
    """A jsonschema validator for `#/components/schemas/<schema_name>`; skips without the file."""
    if not SPEC_PATH.exists():
        pytest.skip(f"Square OpenAPI description not found at {SPEC_PATH}")
    return _validator(schema_name)


def assert_square(schema_name: str, payload: Any) -> None:
    """Fail with every schema violation of `payload` against Square's `schema_name`."""
    validator = square_validator(schema_name)
    problems = [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(payload)
    ]
    assert not problems, f"{schema_name}: " + "; ".join(problems[:10])

"""master_spec: a world in plain values as Tryton master data, deterministic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from erps.tryton import SpecProduct, master_spec, spec_hash
from erps.tryton.resources import loader_hash, module_hash


def spec(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "scenario": "tiny",
        "seed": 3,
        "currency": "USD",
        "exponent": 2,
        "start": dt.date(2026, 11, 23),
        "end": dt.date(2026, 11, 24),
        "taxes": [("standard", Decimal("0.0825")), ("food", Decimal("0"))],
        "products": [
            SpecProduct("SKU-1", "Tea " * 50, "standard", Decimal("1.99")),
            SpecProduct("SKU-2", "Bread", "food", Decimal("2.50")),
        ],
        "stores": [("S0001", "Main street")],
        "stock": [("S0001", "SKU-1", 12), ("S0001", "SKU-2", 0)],
        "tenders": ["credit", "mobile", "credit"],
    }
    return master_spec(**{**values, **overrides})


def test_the_spec_of_a_small_world() -> None:
    made = spec()

    assert made["company"] == {"name": "tillbench tiny", "currency": "USD", "exponent": 2}
    assert made["dates"] == {"start": "2026-11-23", "end": "2026-11-24"}
    assert made["inventory_date"] == "2026-11-22"
    assert made["taxes"] == [
        {"name": "standard", "rate": "0.0825"},
        {"name": "food", "rate": "0"},
    ]
    assert made["tenders"] == ["cash", "credit", "mobile"]
    assert made["stores"] == [{"id": "S0001", "name": "Main street"}]
    assert made["stock"] == [["S0001", "SKU-1", 12]]
    assert (made["module"], made["loader"]) == (module_hash(), loader_hash())


def test_gross_prices_carry_the_class_tax_to_four_places() -> None:
    first, second = spec()["products"]

    assert (first["list_price"], first["gross_price"]) == ("1.99", "2.1542")
    assert (second["list_price"], second["gross_price"]) == ("2.50", "2.5000")
    assert len(first["name"]) == 120


def test_an_unknown_tax_class_names_the_product() -> None:
    with pytest.raises(ValueError, match="product SKU-3: tax class 'luxury' is not one of"):
        spec(products=[SpecProduct("SKU-3", "Gold", "luxury", Decimal(1))])


def test_the_hash_follows_the_content() -> None:
    assert spec_hash(spec()) == spec_hash(spec())
    assert spec_hash(spec(seed=4)) != spec_hash(spec())
    assert len(spec_hash(spec())) == 16

"""The master data a Tryton database needs for a scenario, as a JSON-able spec.

Built from the simulator's world, so Tryton holds the same catalogue, stores and opening
stock the POS starts with: a company in the scenario's currency, one tax per tax class, one
product per SKU (code = SKU, list price = the POS's tax-exclusive shelf price, gross price =
list price with the class's tax), one `sale.point` per store named by its store id, one
payment method per tender of the scenario's payment mix (plus ``cash``, the method Tryton
refunds in), and the opening stock per store and SKU. The spec is deterministic: its hash is
the key of the database cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from erps.tryton.env import module_hash

__all__ = ["SPEC_VERSION", "master_data", "spec_hash"]

SPEC_VERSION = 1
_LOADER_HASH = hashlib.sha256(Path(__file__).with_name("load_master.py").read_bytes()).hexdigest()[
    :16
]
_PRICE_PLACES = Decimal("0.0001")


def master_data(scenario: Any, *, seed: int | None = None) -> dict[str, Any]:
    """The spec of `scenario`'s world (``seed`` overrides the scenario's), for `init_database`."""
    from simulator import build_world
    from simulator.engine import RunState

    world = build_world(scenario, seed=seed)
    p = world.params
    cat = world.catalog
    scale = Decimal(1).scaleb(-p.exponent)
    rates = [tc.rate for tc in p.tax_classes]
    products = []
    for sku, name, price, tax_class in zip(
        cat.sku_ids, cat.names, cat.price_minor.tolist(), cat.tax_class.tolist(), strict=True
    ):
        list_price = Decimal(int(price)) * scale
        gross = (list_price * (1 + rates[tax_class])).quantize(_PRICE_PLACES)
        products.append(
            {
                "code": sku,
                "name": name[:120],
                "tax_class": cat.tax_class_names[tax_class],
                "list_price": str(list_price),
                "gross_price": str(gross),
            }
        )
    initial = RunState.create(world).stock.initial.reshape(world.stores, len(cat))
    stock = [
        [store_id, sku, int(units)]
        for store_id, row in zip(world.store_ids, initial.tolist(), strict=True)
        for sku, units in zip(cat.sku_ids, row, strict=True)
        if units
    ]
    start = p.start.date()
    end = (p.start + dt.timedelta(seconds=p.duration_s)).date()
    tenders = sorted({name for name, _share in p.pay_mix} | {"cash"})
    return {
        "version": SPEC_VERSION,
        "module": module_hash(),
        "loader": _LOADER_HASH,
        "scenario": p.name,
        "seed": p.seed,
        "company": {"name": f"tillbench {p.name}", "currency": p.currency, "exponent": p.exponent},
        "dates": {"start": start.isoformat(), "end": end.isoformat()},
        "inventory_date": (start - dt.timedelta(days=1)).isoformat(),
        "taxes": [{"name": tc.name, "rate": str(tc.rate)} for tc in p.tax_classes],
        "tenders": tenders,
        "stores": [
            {"id": sid, "name": name[:120]}
            for sid, name in zip(world.store_ids, world.store_names, strict=True)
        ],
        "products": products,
        "stock": stock,
    }


def spec_hash(spec: dict[str, Any]) -> str:
    """A short digest of the spec: the cache key of its initialised database."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]

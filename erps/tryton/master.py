"""The master data a Tryton database needs, as a JSON-able spec: `master_spec`.

The caller describes the world in plain values (the harness takes them from the simulator's
world, so Tryton holds the same catalogue, stores and opening stock the POS starts with);
this module turns them into what ``load_master.py`` loads: a company in the scenario's
currency, one tax per tax class, one product per SKU (code = SKU, list price = the POS's
tax-exclusive shelf price, gross price = list price with the class's tax, to 4 places),
one `sale.point` per store named by its store id, one payment method per tender (plus
``cash``, the method Tryton refunds in), the opening stock per store and SKU dated the day
before the start. The spec is deterministic and names the module's and the loader's
digests: its hash (`spec_hash`) is the key of the database cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from erps.tryton.resources import loader_hash, module_hash

__all__ = ["SPEC_VERSION", "SpecProduct", "master_spec", "spec_hash"]

SPEC_VERSION = 1
_PRICE_PLACES = Decimal("0.0001")
_NAME_LENGTH = 120


@dataclasses.dataclass(frozen=True, slots=True)
class SpecProduct:
    """One product of the catalogue."""

    code: str
    """the SKU"""
    name: str
    tax_class: str
    """the name of one of the spec's taxes"""
    list_price: Decimal
    """the shelf price excluding tax, in currency units"""


def master_spec(
    *,
    scenario: str,
    seed: int,
    currency: str,
    exponent: int,
    start: dt.date,
    end: dt.date,
    taxes: Sequence[tuple[str, Decimal]],
    products: Iterable[SpecProduct],
    stores: Iterable[tuple[str, str]],
    stock: Iterable[tuple[str, str, int]],
    tenders: Iterable[str],
) -> dict[str, Any]:
    """The spec for `init_database`.

    ``taxes`` are (tax class, rate as a fraction); ``stores`` (store id, name); ``stock``
    (store id, SKU, units) of the opening stock, zeros left out; ``tenders`` the payment
    methods the POS uses. Dates are the first and last day the POS trades.
    """
    rates = dict(taxes)
    product_rows = []
    for product in products:
        if product.tax_class not in rates:
            raise ValueError(
                f"product {product.code}: tax class {product.tax_class!r} is not one of "
                f"{sorted(rates)}"
            )
        gross = (product.list_price * (1 + rates[product.tax_class])).quantize(_PRICE_PLACES)
        product_rows.append(
            {
                "code": product.code,
                "name": product.name[:_NAME_LENGTH],
                "tax_class": product.tax_class,
                "list_price": str(product.list_price),
                "gross_price": str(gross),
            }
        )
    return {
        "version": SPEC_VERSION,
        "module": module_hash(),
        "loader": loader_hash(),
        "scenario": scenario,
        "seed": seed,
        "company": {"name": f"tillbench {scenario}", "currency": currency, "exponent": exponent},
        "dates": {"start": start.isoformat(), "end": end.isoformat()},
        "inventory_date": (start - dt.timedelta(days=1)).isoformat(),
        "taxes": [{"name": name, "rate": str(rate)} for name, rate in taxes],
        "tenders": sorted(set(tenders) | {"cash"}),
        "stores": [{"id": sid, "name": name[:_NAME_LENGTH]} for sid, name in stores],
        "products": product_rows,
        "stock": [[store, sku, int(units)] for store, sku, units in stock if units],
    }


def spec_hash(spec: dict[str, Any]) -> str:
    """A short digest of the spec: the cache key of its initialised database."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]

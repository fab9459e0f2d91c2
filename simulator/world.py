"""World building, once per scenario: catalog, stores, lanes, cashiers, loyalty customers.

Faker (seeded, the scenario's locale) fills small pools — brand names, store addresses,
first and last names, e-mail domains — and numpy combines them, so a chain of 1,000 stores
and 20,000 loyalty customers costs a few hundred Faker calls, never one per transaction.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from faker import Faker
from numpy.typing import NDArray

from domain.rundir.truth import CASHIERS, CUSTOMERS, REGISTERS, STORES
from simulator.catalog import Catalog, build_catalog
from simulator.params import Params
from simulator.rng import stream

__all__ = ["World", "build_world", "build_world_from_params"]

_NAME_POOL = 160
_SIZE_CLASSES = ("small", "medium", "large", "xl")
_SIZE_EDGES = np.array([0.75, 1.25, 1.75])


@dataclasses.dataclass(frozen=True, slots=True)
class World:
    """Everything drawn once per scenario; transactions draw from these pools."""

    params: Params
    catalog: Catalog
    store_ids: list[str]
    store_names: list[str]
    store_addresses: list[str]
    size_factor: NDArray[np.float64]
    size_class: NDArray[np.int64]
    n_registers: NDArray[np.int64]
    """staffed registers per store"""
    n_self_checkouts: NDArray[np.int64]
    lane_offset: NDArray[np.int64]
    """global index of each store's first lane; staffed lanes first, then self-checkouts"""
    lane_ids: list[str]
    lane_store: NDArray[np.int64]
    lane_self_checkout: NDArray[np.bool_]
    cashier_offset: NDArray[np.int64]
    n_cashiers: NDArray[np.int64]
    cashier_ids: list[str]
    cashier_names: list[str]
    customer_ids: pa.StringArray
    customer_names: pa.StringArray
    customer_emails: pa.StringArray
    loyalty_ids: pa.StringArray
    vocab: dict[str, pa.StringArray] = dataclasses.field(default_factory=dict)
    """id lists as Arrow arrays, the dictionaries of the truth tables' encoded columns"""

    @property
    def stores(self) -> int:
        return len(self.store_ids)

    def tables(self) -> dict[str, pa.Table]:
        """The world as truth tables: catalog, stores, registers, cashiers, customers."""
        p = self.params
        lane_kind = self.lane_self_checkout.astype(np.int32)
        return {
            "catalog": self.catalog.table(p),
            "stores": pa.table(
                {
                    "store_id": self.store_ids,
                    "name": self.store_names,
                    "address": self.store_addresses,
                    "timezone": [p.timezone] * self.stores,
                    "size_class": _dict(self.size_class, list(_SIZE_CLASSES)),
                    "size_factor": self.size_factor,
                    "registers": self.n_registers.astype(np.int32),
                    "self_checkouts": self.n_self_checkouts.astype(np.int32),
                },
                schema=STORES.schema,
            ),
            "registers": pa.table(
                {
                    "register_id": self.lane_ids,
                    "store_id": _dict(self.lane_store, self.store_ids),
                    "kind": _dict(lane_kind, ["staffed", "self_checkout"]),
                },
                schema=REGISTERS.schema,
            ),
            "cashiers": pa.table(
                {
                    "cashier_id": self.cashier_ids,
                    "store_id": _dict(
                        np.repeat(np.arange(self.stores), self.n_cashiers), self.store_ids
                    ),
                    "name": self.cashier_names,
                },
                schema=CASHIERS.schema,
            ),
            "customers": pa.table(
                {
                    "customer_id": self.customer_ids,
                    "name": self.customer_names,
                    "email": self.customer_emails,
                    "loyalty_id": self.loyalty_ids,
                },
                schema=CUSTOMERS.schema,
            ),
        }


def _vocab(world: World) -> None:
    world.vocab.update(
        store_ids=pa.array(world.store_ids, pa.string()),
        lane_ids=pa.array(world.lane_ids, pa.string()),
        cashier_ids=pa.array(world.cashier_ids, pa.string()),
        sku_ids=pa.array(world.catalog.sku_ids, pa.string()),
        gtins=pa.array(world.catalog.gtins, pa.string()),
        tax_classes=pa.array(world.catalog.tax_class_names, pa.string()),
    )


def build_world(scenario: Any, *, seed: int | None = None) -> World:
    """Build the world of a `scenarios.Scenario` (``seed`` overrides the scenario's)."""
    return build_world_from_params(Params.from_scenario(scenario, seed=seed))


def build_world_from_params(params: Params) -> World:
    rng = stream(params.seed, "world")
    fake = Faker(params.locale)
    fake.seed_instance(params.seed)
    catalog: Catalog = build_catalog(params, rng, fake)

    n = params.stores
    store_ids = [f"S{i + 1:04d}" for i in range(n)]
    sigma = params.size_spread
    size = np.exp(sigma * rng.standard_normal(n) - sigma**2 / 2)
    size_class = np.searchsorted(_SIZE_EDGES, size).astype(np.int64)
    n_reg = _lanes(params.registers, size)
    n_sco = _lanes(params.self_checkouts, size)
    lane_offset = np.concatenate([[0], np.cumsum(n_reg + n_sco)[:-1]]).astype(np.int64)
    lane_ids: list[str] = []
    for sid, r, k in zip(store_ids, n_reg.tolist(), n_sco.tolist(), strict=True):
        lane_ids += [f"{sid}-R{j + 1:02d}" for j in range(r)]
        lane_ids += [f"{sid}-K{j + 1:02d}" for j in range(k)]
    lane_store = np.repeat(np.arange(n), n_reg + n_sco)
    lane_sco = np.concatenate(
        [np.r_[np.zeros(r, bool), np.ones(k, bool)] for r, k in zip(n_reg, n_sco, strict=True)]
    )

    cities = [fake.city() for _ in range(min(n, 200))]
    store_names = [f"{cities[i % len(cities)]} #{i + 1}" for i in range(n)]
    addresses = [fake.address().replace("\n", ", ") for _ in range(n)]

    firsts = [fake.first_name() for _ in range(_NAME_POOL)]
    lasts = [fake.last_name() for _ in range(_NAME_POOL)]
    domains = [fake.free_email_domain() for _ in range(8)]

    n_cash = np.maximum(1, np.ceil(params.cashiers_per_register * n_reg)).astype(np.int64)
    cashier_offset = np.concatenate([[0], np.cumsum(n_cash)[:-1]]).astype(np.int64)
    cashier_ids = [
        f"{sid}-C{j + 1:02d}" for sid, c in zip(store_ids, n_cash.tolist(), strict=True)
        for j in range(c)
    ]  # fmt: skip
    cashier_names = _names(rng, firsts, lasts, len(cashier_ids))

    m = params.loyalty_customers
    fi, la = rng.integers(0, _NAME_POOL, m), rng.integers(0, _NAME_POOL, m)
    dom = rng.integers(0, len(domains), m)
    loyalty_numbers = rng.choice(10**9, size=m, replace=False) if m else np.zeros(0, np.int64)
    first_col = pc.take(pa.array(firsts), pa.array(fi))
    last_col = pc.take(pa.array(lasts), pa.array(la))
    serial = _numbered("", np.arange(1, m + 1), 1)
    customer_names = pc.binary_join_element_wise(first_col, last_col, " ")
    emails = pc.binary_join_element_wise(
        pc.take(pa.array([_ascii(f) for f in firsts]), pa.array(fi)),
        ".",
        pc.take(pa.array([_ascii(n) for n in lasts]), pa.array(la)),
        serial,
        "@",
        pc.take(pa.array(domains), pa.array(dom)),
        "",
    )
    world = World(
        params=params,
        catalog=catalog,
        store_ids=store_ids,
        store_names=store_names,
        store_addresses=addresses,
        size_factor=size,
        size_class=size_class,
        n_registers=n_reg,
        n_self_checkouts=n_sco,
        lane_offset=lane_offset,
        lane_ids=lane_ids,
        lane_store=lane_store,
        lane_self_checkout=lane_sco,
        cashier_offset=cashier_offset,
        n_cashiers=n_cash,
        cashier_ids=cashier_ids,
        cashier_names=cashier_names,
        customer_ids=_numbered("CU", np.arange(1, m + 1), 7),
        customer_names=customer_names,
        customer_emails=emails,
        loyalty_ids=_numbered("LY", loyalty_numbers, 9),
    )
    _vocab(world)
    return world


def _lanes(per_store: int, size: NDArray[np.float64]) -> NDArray[np.int64]:
    """Lanes scale with store size; a store keeps at least one of each kind configured."""
    if per_store <= 0:
        return np.zeros(len(size), np.int64)
    return np.maximum(1, np.rint(per_store * size)).astype(np.int64)


def _names(rng: np.random.Generator, firsts: list[str], lasts: list[str], n: int) -> list[str]:
    fi, la = rng.integers(0, len(firsts), n), rng.integers(0, len(lasts), n)
    return [f"{firsts[a]} {lasts[b]}" for a, b in zip(fi.tolist(), la.tolist(), strict=True)]


def _numbered(prefix: str, numbers: NDArray[np.int64], width: int) -> pa.StringArray:
    """``prefix`` + zero-padded numbers, built by pyarrow (no Python loop per row)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, pa.int64()), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum()) or "customer"


def _dict(indices: NDArray[Any], values: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(indices, np.int32)), values)

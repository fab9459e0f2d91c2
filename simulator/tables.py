"""Turn a chunk's numpy columns into Arrow tables with the schemas of `domain.rundir.truth`.

Strings are built by pyarrow compute (take, join, pad) or as dictionary arrays over the
world's id lists, so no Python loop runs per row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from domain import StockMovementKind
from domain.rundir import truth
from simulator.tenders import DOMAIN_BRANDS, OTHER_KINDS, WALLETS
from simulator.world import World

__all__ = ["ChunkTables", "build_tables", "micros"]

ChunkTables = dict[str, pa.Table]
_EPOCH = dt.datetime(1970, 1, 1)


def micros(world: World, t: NDArray[np.float64]) -> pa.TimestampArray:
    """Local wall time of ``t`` seconds since the scenario start, as timestamp[us]."""
    base = (world.params.start - _EPOCH) // dt.timedelta(microseconds=1)
    return pa.array(base + np.rint(np.asarray(t) * 1e6).astype(np.int64), pa.timestamp("us"))


def _dict(
    indices: NDArray[Any], values: list[str], mask: NDArray[np.bool_] | None = None
) -> pa.Array:
    idx = pa.array(np.asarray(indices, np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(idx, pa.array(values, pa.string()))


def build_tables(
    world: World,
    *,
    business_day: dt.date,
    kinds: tuple[str, ...],
    doc: dict[str, Any],
    line: dict[str, Any],
    tender: dict[str, Any],
    stock_outs: dict[str, Any],
    shrink: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]],
    receipts: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]],
) -> ChunkTables:
    """The chunk's truth tables; ``doc``, ``line`` and ``tender`` are the engine's columns."""
    txn_ids: pa.StringArray = doc["txn_id"]
    return {
        "transactions": _transactions(world, business_day, kinds, doc),
        "lines": _lines(world, doc, line),
        "tenders": _tenders(world, txn_ids, tender),
        "queue": _queue(world, doc),
        "stock_movements": _movements(world, shrink, receipts, business_day),
        "stock_outs": _stock_outs(world, txn_ids, stock_outs),
    }


def _transactions(
    world: World, business_day: dt.date, kinds: tuple[str, ...], doc: dict[str, Any]
) -> pa.Table:
    """Documents in completion order; a post-void is a row of its own after its sale."""
    p = world.params
    txn_ids: pa.StringArray = doc["txn_id"]
    n = len(txn_ids)
    pv = np.flatnonzero(doc["post_voided"])
    n_pv = len(pv)
    all_idx = np.r_[np.arange(n), pv]
    pv_t = doc["post_void_t"][pv]
    completed = np.r_[doc["completed"], pv_t]
    order = np.argsort(completed, kind="stable")
    src = all_idx[order]
    is_pv = np.r_[np.zeros(n, bool), np.ones(n_pv, bool)][order]

    pv_ids = pc.binary_join_element_wise(pc.take(txn_ids, pa.array(pv)), pa.scalar("PV"), "-")
    ids_all = pa.concat_arrays([txn_ids, pv_ids]).take(pa.array(order))
    kind = np.where(is_pv, kinds.index("post_void"), doc["kind"][src])
    arrived = np.where(is_pv, completed[order], doc["arrived"][src])
    started = np.where(is_pv, completed[order], doc["started"][src])
    customer = doc["customer"][src]
    is_return = kind == kinds.index("return")
    original = pa.concat_arrays([pa.nulls(n, pa.string()), pc.take(txn_ids, pa.array(pv))]).take(
        pa.array(order)
    )
    return pa.table(
        {
            "txn_id": ids_all,
            "kind": _dict(kind, list(kinds)),
            "store_id": _dict(doc["store"][src], world.vocab["store_ids"]),
            "register_id": _dict(doc["lane"][src], world.vocab["lane_ids"]),
            "lane": _dict(doc["self_checkout"][src].astype(np.int32), ["staffed", "self_checkout"]),
            "cashier_id": _dict(doc["cashier"][src], world.vocab["cashier_ids"]),
            "customer_id": pc.take(
                world.customer_ids if len(world.customer_ids) else pa.array([""]),
                pa.array(np.maximum(customer, 0), mask=customer < 0),
            ),
            "business_day": pa.array(
                np.full(len(src), np.datetime64(business_day, "D")), pa.date32()
            ),
            "arrived_at": micros(world, arrived),
            "started_at": micros(world, started),
            "completed_at": micros(world, completed[order]),
            "t": completed[order],
            "currency": _dict(np.zeros(len(src)), [p.currency]),
            "lines": np.where(is_pv, 0, doc["lines"][src]).astype(np.int32),
            "units": doc["units"][src].astype(np.int32),
            "subtotal_minor": doc["subtotal"][src],
            "discount_minor": doc["discount"][src],
            "tax_minor": doc["tax"][src],
            "total_minor": doc["total"][src],
            "receipted": pa.array(doc["receipted"][src], mask=~is_return),
            "original_txn_id": original,
            "notes": pc.take(
                pa.array(doc["note_values"], pa.string()),
                pa.array(np.where(is_pv, 0, doc["note_index"][src])),
            ),
        },
        schema=truth.TRANSACTIONS.schema,
    )


def _lines(world: World, doc: dict[str, Any], line: dict[str, Any]) -> pa.Table:
    txn_ids: pa.StringArray = doc["txn_id"]
    owner = line["owner"]
    line_txn = pc.take(txn_ids, pa.array(owner))
    orig_index = np.full(len(owner), -1, np.int64)
    orig_index[line["original_pos"]] = np.arange(len(line["original_pos"]))
    has_orig = orig_index >= 0
    return pa.table(
        {
            "txn_id": line_txn,
            "line_no": line["line_no"].astype(np.int32),
            "store_id": _dict(doc["store"][owner], world.vocab["store_ids"]),
            "sku": _dict(line["sku"], world.vocab["sku_ids"]),
            "gtin": _dict(line["sku"], world.vocab["gtins"]),
            "quantity": line["quantity"].astype(np.int32),
            "unit_price_minor": line["unit_price"],
            "gross_minor": line["gross"],
            "discount_minor": line["discount"],
            "net_minor": line["net"],
            "tax_class": _dict(line["tax_class"], world.vocab["tax_classes"]),
            "voided": line["voided"],
            "original_txn_id": pc.take(
                line["original_txn_id"], pa.array(orig_index, mask=~has_orig)
            ),
            "original_line_no": pa.array(line["original_line_no"].astype(np.int32), mask=~has_orig),
            "t": doc["completed"][owner],
        },
        schema=truth.LINES.schema,
    )


def _tenders(world: World, txn_ids: pa.StringArray, tender: dict[str, Any]) -> pa.Table:
    p = world.params
    t_owner = tender["owner"]
    names: list[str] = tender["kind_names"]
    tk = tender["kind"]
    card = np.isin(tk, [i for i, k in enumerate(names) if k in ("credit", "debit")])
    mobile = tk == (names.index("mobile") if "mobile" in names else -1)
    other = ~card & ~mobile & (tk != (names.index("cash") if "cash" in names else -1))
    last4 = pc.utf8_lpad(pc.cast(pa.array(tender["last4"]), pa.string()), width=4, padding="0")
    detail_values = [*WALLETS, *OTHER_KINDS]
    detail = np.where(mobile, tender["wallet"], len(WALLETS) + tender["other"])
    return pa.table(
        {
            "txn_id": pc.take(txn_ids, pa.array(t_owner)),
            "tender_no": np.ones(len(t_owner), np.int32),
            "kind": _dict(tk, names),
            "amount_minor": tender["amount"],
            "tendered_minor": tender["tendered"],
            "change_minor": tender["tendered"] - tender["amount"],
            "brand": _dict(
                tender["brand"],
                [DOMAIN_BRANDS.get(b, "OTHER_BRAND") for b, _ in p.card_brands],
                mask=~card,
            ),
            "last4": pc.if_else(pa.array(card), last4, pa.scalar(None, pa.string())),
            "detail": _dict(detail, detail_values, mask=~(mobile | other)),
        },
        schema=truth.TENDERS.schema,
    )


def _queue(world: World, doc: dict[str, Any]) -> pa.Table:
    return pa.table(
        {
            "store_id": _dict(doc["store"], world.vocab["store_ids"]),
            "lane": _dict(doc["self_checkout"].astype(np.int32), ["staffed", "self_checkout"]),
            "register_id": _dict(doc["lane"], world.vocab["lane_ids"]),
            "txn_id": doc["txn_id"],
            "arrival_t": doc["arrived"],
            "start_t": doc["started"],
            "end_t": doc["completed"],
            "wait_s": doc["started"] - doc["arrived"],
            "queue_length": doc["queue_length"].astype(np.int32),
        },
        schema=truth.QUEUE.schema,
    )


def _stock_outs(world: World, txn_ids: pa.StringArray, stock_outs: dict[str, Any]) -> pa.Table:
    k = world.catalog
    n_sku = len(k)
    so_owner = stock_outs["owner"]
    so_key = stock_outs["key"]
    return pa.table(
        {
            "store_id": _dict(so_key // n_sku, world.vocab["store_ids"]),
            "sku": _dict(so_key % n_sku, world.vocab["sku_ids"]),
            "occurred_at": micros(world, stock_outs["t"]),
            "t": stock_outs["t"],
            "txn_id": pc.take(txn_ids, pa.array(np.maximum(so_owner, 0), mask=so_owner < 0))
            if len(txn_ids)
            else pa.nulls(len(so_owner), pa.string()),
            "requested": stock_outs["requested"].astype(np.int32),
            "sold": stock_outs["sold"].astype(np.int32),
            "lost": (stock_outs["requested"] - stock_outs["sold"]).astype(np.int32),
        },
        schema=truth.STOCK_OUTS.schema,
    )


def _movements(
    world: World,
    shrink: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]],
    receipts: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]],
    business_day: dt.date,
) -> pa.Table:
    n_sku = len(world.catalog)
    parts = [(k, -u, t, 1) for k, u, t in shrink] + [(k, u, t, 0) for k, u, t in receipts]
    key = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    qty = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
    t = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    kind = np.concatenate([np.full(len(p[0]), p[3]) for p in parts]) if parts else np.zeros(0, int)
    order = np.lexsort((key, t))
    key, qty, t, kind = key[order], qty[order], t[order], kind[order]
    store = key // n_sku
    day = business_day.strftime("%Y%m%d")
    ref_base = pa.array(np.where(kind == 0, f"DLV-{day}", f"SHRINK-{day}").tolist(), pa.string())
    ref = pc.binary_join_element_wise(
        ref_base, pc.take(world.vocab["store_ids"], pa.array(store)), "-"
    )
    return pa.table(
        {
            "store_id": _dict(store, world.vocab["store_ids"]),
            "sku": _dict(key % n_sku, world.vocab["sku_ids"]),
            "kind": _dict(kind, [StockMovementKind.RECEIPT.value, StockMovementKind.SHRINK.value]),
            "quantity": qty.astype(np.int32),
            "occurred_at": micros(world, t),
            "t": t,
            "ref": ref,
        },
        schema=truth.STOCK_MOVEMENTS.schema,
    )

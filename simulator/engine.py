"""The fast path: one calendar day of a batch of stores, from arrivals to truth tables.

Order of work in a chunk (all numpy columns except the queue's event loop):

1. arrivals (NHPP) → customer kind: sale, return, cancel;
2. baskets for sales and cancels → stock: lines clipped against the shelf in arrival order
   per store×SKU, between deliveries; lost units are stock-outs, and a customer left with
   nothing walks out (no transaction);
3. line voids (an extra scanned-then-voided line) → service times → checkout queues;
4. ids per register in completion order; receipted returns pick an earlier sale line;
5. prices, promotions, tax, tenders, loyalty, notes, post-voids;
6. returned and post-voided units go to the back room.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
from numpy.typing import NDArray

from simulator.arrivals import day_pieces, sample_arrivals
from simulator.baskets import basket_size_pmf
from simulator.checkout import run_checkout, service_times
from simulator.kinds import CANCEL, KINDS, RETURN, SALE
from simulator.params import DAY
from simulator.payment import dirty_notes, pay
from simulator.pricing import document_totals, line_amounts
from simulator.receipts import document_lines, register_sequence, txn_ids
from simulator.refunds import reference_returns, sample_for_returns
from simulator.returns import ReturnPool
from simulator.rng import stream
from simulator.shop import shop
from simulator.stock import StockState
from simulator.tables import ChunkTables, build_tables
from simulator.tenders import OTHER_KINDS
from simulator.world import World

__all__ = ["Chunk", "RunState", "run_chunk"]

I64 = NDArray[np.int64]
_POST_VOID_DELAY_S = (60.0, 1800.0)


@dataclasses.dataclass(slots=True)
class RunState:
    """What carries from one day to the next: stock, queues, register counters, returns."""

    stock: StockState
    servers: list[list[list[tuple[float, int]] | None]]
    lane_seq: I64
    pools: dict[int, ReturnPool]

    @classmethod
    def create(cls, world: World) -> RunState:
        p = world.params
        pmf = basket_size_pmf(p.basket_median, p.basket_sigma, p.max_items)
        mean_lines = float((np.arange(len(pmf)) * pmf).sum())
        q = p.quantity_max
        mean_qty = 1 + p.multi_unit_share * ((2 + q) / 2 - 1) if q >= 2 else 1.0
        sale_share = max(0.0, 1.0 - p.return_rate - p.cancel)
        stock = StockState.create(
            p,
            size_factor=world.size_factor,
            popularity=world.catalog.popularity,
            category=world.catalog.category,
            units_per_customer=mean_lines * mean_qty * sale_share,
            rng=stream(p.seed, "stock"),
        )
        return cls(
            stock=stock,
            servers=[[None, None] for _ in range(world.stores)],
            lane_seq=np.zeros(len(world.lane_ids), np.int64),
            pools={},
        )


@dataclasses.dataclass(slots=True)
class Chunk:
    tables: ChunkTables
    customers: int


def run_chunk(world: World, state: RunState, day: int, batch: int, stores: slice) -> Chunk:
    """Simulate calendar day ``day`` of the stores in ``stores`` (batch number ``batch``)."""
    p = world.params
    cat = world.catalog
    rng = stream(p.seed, "chunk", day, batch)
    midnight = p.day_start_t(day)
    day_lo, day_hi = max(0.0, midnight), min(p.duration_s, midnight + DAY)

    # 1. arrivals and kinds
    local, t = sample_arrivals(rng, day_pieces(p, day), world.size_factor[stores])
    store = local + stores.start
    u = rng.random(len(t))
    kind = np.full(len(t), SALE, np.int64)
    kind[u < p.return_rate + p.cancel] = CANCEL
    kind[u < p.return_rate] = RETURN

    # 2. baskets against the shelves; customers left with nothing walk out
    shopped = shop(
        rng, world, state.stock, stores, store=store, t=t, kind=kind, span=(day_lo, day_hi)
    )
    stay = (kind != SALE) | (np.bincount(shopped.lines.owner, minlength=len(t)) > 0)
    new_index = np.cumsum(stay) - 1
    walked = shopped.stock_outs["owner"]
    shopped.stock_outs["owner"] = np.where(stay[walked], new_index[walked], -1)
    store, t, kind = store[stay], t[stay], kind[stay]
    shopped.lines.owner = new_index[shopped.lines.owner]
    n = len(t)

    # 3. line voids and return slots → checkout
    lines, voided, is_return_line, line_no, counts = document_lines(rng, p, shopped.lines, kind)
    co = run_checkout(
        rng,
        world,
        state.servers,
        store=store,
        t=t,
        is_return=kind == RETURN,
        service=service_times(rng, p, counts),
        midnight_t=midnight,
    )

    # 4. ids per register in completion order; post-voids; returns find their receipts
    seq = register_sequence(state.lane_seq, co.lane, co.end)
    ids = txn_ids(world, co.lane, seq)
    pv_t = co.end + rng.uniform(*_POST_VOID_DELAY_S, n)
    post_voided = (kind == SALE) & (rng.random(n) < p.post_void) & (pv_t < p.duration_s)
    unit_price = cat.price_minor[lines.sku]
    gross, discount, net = line_amounts(p, lines.quantity, unit_price, lines.promo)
    pool = sample_for_returns(
        rng,
        state.pools.get(batch, ReturnPool()),
        stores,
        keep=(kind[lines.owner] == SALE) & ~voided & ~post_voided[lines.owner],
        lines=lines,
        line_no=line_no,
        net=net,
        store=store,
        lane=co.lane,
        seq=seq,
        end=co.end,
    )
    refs = reference_returns(
        rng,
        world,
        pool,
        stores,
        lines=lines,
        ret_line=np.flatnonzero(is_return_line),
        store=store,
        t=t,
        ids=ids,
    )
    state.pools[batch] = pool.without(refs.pool_hits).pruned(day_hi - p.return_window_s)
    lines.sku[refs.line] = refs.sku
    lines.quantity[refs.line] = refs.quantity
    unit_price[refs.line] = refs.unit
    gross[refs.line] = refs.quantity * refs.unit
    discount[refs.line] = 0
    net[refs.line] = gross[refs.line]

    # 5. totals, tenders, loyalty, notes
    tax_class = cat.tax_class[lines.sku]
    totals = document_totals(
        p,
        n_docs=n,
        owner=lines.owner,
        tax_class=tax_class,
        quantity=lines.quantity,
        discount=discount,
        net=net,
        voided=voided,
    )
    payment = pay(rng, p, kind=kind, receipted=refs.receipted, amount=totals.total)
    loyal = (kind != CANCEL) & (rng.random(n) < p.loyalty_share) & (len(world.customer_ids) > 0)
    customer = np.where(loyal, rng.integers(0, max(len(world.customer_ids), 1), n), -1)
    note_index, note_values = dirty_notes(
        rng, p, kind=kind, brand=payment.brand, last4=payment.last4
    )

    # 6. stock back: returns now, post-voids at their time (both to the back room)
    live_sale = ~voided & post_voided[lines.owner]
    back = np.flatnonzero(is_return_line | live_sale)
    state.stock.give_back(
        store[lines.owner[back]] * state.stock.skus + lines.sku[back], lines.quantity[back]
    )

    paying = np.flatnonzero(kind != CANCEL)
    tables = build_tables(
        world,
        business_day=p.start.date() + dt.timedelta(days=day),
        kinds=KINDS,
        doc={
            "txn_id": ids,
            "kind": kind,
            "store": store,
            "lane": co.lane,
            "self_checkout": co.self_checkout,
            "cashier": co.cashier,
            "customer": customer,
            "arrived": t,
            "started": co.start,
            "completed": co.end,
            "lines": totals.lines,
            "units": totals.units,
            "subtotal": totals.subtotal,
            "discount": totals.discount,
            "tax": totals.tax,
            "total": totals.total,
            "receipted": refs.receipted,
            "note_index": note_index,
            "note_values": note_values,
            "queue_length": co.queue_length,
            "post_voided": post_voided,
            "post_void_t": pv_t,
        },
        line={
            "owner": lines.owner,
            "line_no": line_no,
            "sku": lines.sku,
            "quantity": lines.quantity,
            "unit_price": unit_price,
            "gross": gross,
            "discount": discount,
            "net": net,
            "tax_class": tax_class,
            "voided": voided,
            "original_pos": refs.original_pos,
            "original_txn_id": refs.original_ids,
            "original_line_no": refs.original_line_no,
        },
        tender={
            "owner": paying,
            "kind": payment.kind[paying],
            "kind_names": [k for k, _ in p.pay_mix],
            "amount": totals.total[paying],
            "tendered": payment.tendered[paying],
            "brand": payment.brand[paying],
            "last4": payment.last4[paying],
            "wallet": payment.detail[paying],
            "other": payment.detail[paying] % len(OTHER_KINDS),
        },
        stock_outs=shopped.stock_outs,
        shrink=shopped.shrink,
        receipts=shopped.receipts,
    )
    return Chunk(tables=tables, customers=n)

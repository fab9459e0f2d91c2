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
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from simulator.arrivals import day_pieces, sample_arrivals
from simulator.baskets import Lines, basket_size_pmf, basket_sizes, draw_lines
from simulator.checkout import run_checkout, service_times
from simulator.params import DAY, Params
from simulator.pricing import document_totals, line_amounts
from simulator.returns import SAMPLE_PER_STORE_DAY, ReturnPool
from simulator.rng import stream
from simulator.stock import StockState, clip_sales
from simulator.tables import ChunkTables, build_tables
from simulator.tenders import OTHER_KINDS, card_pans, cash_tendered, draw_tenders
from simulator.world import World

__all__ = ["CANCEL", "POST_VOID", "RETURN", "SALE", "Chunk", "RunState", "run_chunk"]

SALE, RETURN, CANCEL, POST_VOID = 0, 1, 2, 3
KINDS = ("sale", "return", "cancel", "post_void")
I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
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


def replenishment_instants(p: Params, lo: float, hi: float) -> list[float]:
    """Delivery times (seconds since start) in ``[lo, hi)``."""
    first = p.day_start_t(0) + p.replenish_at_s
    every = p.replenish_every_s
    if every <= 0:
        return [first] if lo <= first < hi else []
    k0 = max(0, int(np.ceil((lo - first) / every)))
    out = []
    k = k0
    while first + k * every < hi:
        if first + k * every >= lo:
            out.append(first + k * every)
        k += 1
    return out


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
    shop = _shop(rng, world, state, stores, store=store, t=t, kind=kind, span=(day_lo, day_hi))
    stay = (kind != SALE) | (np.bincount(shop.lines.owner, minlength=len(t)) > 0)
    new_index = np.cumsum(stay) - 1
    walked = shop.stock_outs["owner"]
    shop.stock_outs["owner"] = np.where(stay[walked], new_index[walked], -1)
    store, t, kind = store[stay], t[stay], kind[stay]
    shop.lines.owner = new_index[shop.lines.owner]
    n = len(t)

    # 3. line voids and return slots → checkout
    lines, voided, is_return_line, line_no, counts = _document_lines(rng, p, shop.lines, kind)
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
    seq = _register_sequence(state, co.lane, co.end)
    txn_ids = _txn_ids(world, co.lane, seq)
    pv_t = co.end + rng.uniform(*_POST_VOID_DELAY_S, n)
    post_voided = (kind == SALE) & (rng.random(n) < p.post_void) & (pv_t < p.duration_s)
    unit_price = cat.price_minor[lines.sku]
    gross, discount, net = line_amounts(p, lines.quantity, unit_price, lines.promo)
    pool = _sample_for_returns(
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
    state.pools[batch] = pool.pruned(day_hi - p.return_window_s)
    refs = _reference_returns(
        rng,
        world,
        pool,
        stores,
        lines=lines,
        ret_line=np.flatnonzero(is_return_line),
        store=store,
        t=t,
        txn_ids=txn_ids,
    )
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
    pay = _pay(rng, p, kind=kind, receipted=refs.receipted, amount=totals.total)
    loyal = (kind != CANCEL) & (rng.random(n) < p.loyalty_share) & (len(world.customer_ids) > 0)
    customer = np.where(loyal, rng.integers(0, max(len(world.customer_ids), 1), n), -1)
    note_index, note_values = _dirty_notes(rng, p, kind=kind, brand=pay.brand, last4=pay.last4)

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
            "txn_id": txn_ids,
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
            "kind": pay.kind[paying],
            "kind_names": [k for k, _ in p.pay_mix],
            "amount": totals.total[paying],
            "tendered": pay.tendered[paying],
            "brand": pay.brand[paying],
            "last4": pay.last4[paying],
            "wallet": pay.detail[paying],
            "other": pay.detail[paying] % len(OTHER_KINDS),
        },
        stock_outs=shop.stock_outs,
        shrink=shop.shrink,
        receipts=shop.receipts,
    )
    return Chunk(tables=tables, customers=n)


@dataclasses.dataclass(slots=True)
class _Shopped:
    lines: Lines
    """what customers carry to the till (sold quantities; lines that got nothing dropped)"""
    stock_outs: dict[str, NDArray[Any]]
    shrink: list[tuple[I64, I64, F64]]
    receipts: list[tuple[I64, I64, F64]]


def _shop(
    rng: np.random.Generator,
    world: World,
    state: RunState,
    stores: slice,
    *,
    store: I64,
    t: F64,
    kind: I64,
    span: tuple[float, float],
) -> _Shopped:
    """Baskets of sales and cancels; sales take stock between deliveries, shrink runs on."""
    p = world.params
    shoppers = np.flatnonzero(kind != RETURN)
    sizes = basket_sizes(
        rng, len(shoppers), median=p.basket_median, sigma=p.basket_sigma, max_items=p.max_items
    )
    lines = draw_lines(rng, p, world.catalog.alias, sizes)
    lines.owner = shoppers[lines.owner]
    key = store[lines.owner] * state.stock.skus + lines.sku
    line_t = t[lines.owner]
    is_sale = kind[lines.owner] == SALE
    got = lines.quantity.copy()
    shrink: list[tuple[I64, I64, F64]] = []
    receipts: list[tuple[I64, I64, F64]] = []
    edges = [span[0], *replenishment_instants(p, *span), span[1]]
    for i in range(len(edges) - 1):
        a, b = edges[i], edges[i + 1]
        if b > a:
            k_shr, u_shr = state.stock.draw_shrink(rng, p, stores, b - a)
            shrink.append((k_shr, u_shr, a + rng.random(len(k_shr)) * (b - a)))
            idx = np.flatnonzero(is_sale & (line_t >= a) & (line_t < b))
            got[idx] = clip_sales(state.stock, key[idx], line_t[idx], lines.quantity[idx]).sold
        if i + 1 < len(edges) - 1:
            k_rec, u_rec = state.stock.deliver(p, stores)
            receipts.append((k_rec, u_rec, np.full(len(k_rec), b)))
    out = np.flatnonzero(is_sale & (got < lines.quantity))
    stock_outs = {
        "key": key[out],
        "t": line_t[out],
        "owner": lines.owner[out],
        "requested": lines.quantity[out],
        "sold": got[out],
    }
    kept = got > 0
    lines = lines.take(kept)
    lines.quantity = got[kept]
    return _Shopped(lines, stock_outs, shrink, receipts)


def _document_lines(
    rng: np.random.Generator, p: Params, lines: Lines, kind: I64
) -> tuple[Lines, NDArray[np.bool_], NDArray[np.bool_], I64, I64]:
    """Add line voids (a scanned-then-voided copy of a line) and one slot per return.

    Returns (lines grouped by customer, voided, is_return_line, line_no, lines per customer).
    """
    n = len(kind)
    counts = np.bincount(lines.owner, minlength=n)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    void_owner = np.flatnonzero((kind != RETURN) & (rng.random(n) < p.line_void) & (counts > 0))
    offset = np.floor(rng.random(len(void_owner)) * counts[void_owner]).astype(np.int64)
    pick = first[void_owner] + offset
    returns = np.flatnonzero(kind == RETURN)
    n_old, n_void, n_ret = len(lines.owner), len(void_owner), len(returns)
    merged = Lines(
        owner=np.r_[lines.owner, void_owner, returns],
        sku=np.r_[lines.sku, lines.sku[pick], np.zeros(n_ret, np.int64)],
        quantity=np.r_[lines.quantity, lines.quantity[pick], np.ones(n_ret, np.int64)],
        promo=np.r_[lines.promo, lines.promo[pick], np.zeros(n_ret, bool)],
    )
    voided = np.r_[np.zeros(n_old, bool), np.ones(n_void, bool), np.zeros(n_ret, bool)]
    is_return = np.r_[np.zeros(n_old + n_void, bool), np.ones(n_ret, bool)]
    order = np.argsort(merged.owner, kind="stable")
    merged = merged.take(order)
    counts = np.bincount(merged.owner, minlength=n)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    line_no = np.arange(len(merged.owner)) - first[merged.owner] + 1
    return merged, voided[order], is_return[order], line_no, counts


def _register_sequence(state: RunState, lane: I64, end: F64) -> I64:
    """Receipt numbers: per register, in completion order, continuing the register's count."""
    n = len(lane)
    seq = np.empty(n, np.int64)
    by_lane = np.lexsort((end, lane))
    lanes_sorted = lane[by_lane]
    lane_first = np.r_[True, lanes_sorted[1:] != lanes_sorted[:-1]] if n else np.zeros(0, bool)
    starts_at = np.flatnonzero(lane_first)
    group = np.cumsum(lane_first) - 1
    seq[by_lane] = np.arange(n) - starts_at[group] + 1 + state.lane_seq[lanes_sorted]
    np.add.at(state.lane_seq, lane, 1)
    return seq


def _sample_for_returns(
    rng: np.random.Generator,
    pool: ReturnPool,
    stores: slice,
    *,
    keep: NDArray[np.bool_],
    lines: Lines,
    line_no: I64,
    net: I64,
    store: I64,
    lane: I64,
    seq: I64,
    end: F64,
) -> ReturnPool:
    """Add a uniform sample of today's returnable sale lines to the batch's pool."""
    cand = np.flatnonzero(keep)
    share = min(1.0, SAMPLE_PER_STORE_DAY * (stores.stop - stores.start) / max(len(cand), 1))
    cand = cand[rng.random(len(cand)) < share]
    owner = lines.owner[cand]
    return pool.extended(
        t=end[owner],
        store=store[owner] - stores.start,
        lane=lane[owner],
        seq=seq[owner],
        line_no=line_no[cand],
        sku=lines.sku[cand],
        quantity=lines.quantity[cand],
        unit=net[cand] // lines.quantity[cand],
    )


@dataclasses.dataclass(slots=True)
class _ReturnRefs:
    line: I64
    """positions of the return lines"""
    sku: I64
    quantity: I64
    unit: I64
    receipted: NDArray[np.bool_]
    """per customer"""
    original_pos: I64
    """positions of the lines that reference an original sale line"""
    original_ids: pa.StringArray
    original_line_no: I64
    """per line (0 where there is no reference)"""


def _reference_returns(
    rng: np.random.Generator,
    world: World,
    pool: ReturnPool,
    stores: slice,
    *,
    lines: Lines,
    ret_line: I64,
    store: I64,
    t: F64,
    txn_ids: pa.StringArray,
) -> _ReturnRefs:
    """What each return brings back: a line of an earlier sale, a pre-period sale, or an
    unreceipted item at today's price."""
    p, cat = world.params, world.catalog
    n = len(t)
    owner = lines.owner[ret_line]
    receipted = np.zeros(n, bool)
    receipted[owner] = rng.random(len(owner)) < p.receipted
    hit = np.full(len(ret_line), -1, np.int64)
    rec = receipted[owner]
    hit[rec] = pool.pick(rng, store[owner[rec]] - stores.start, t[owner[rec]], p.return_window_s)
    from_pool = hit >= 0
    h = hit[from_pool]
    sku = np.where(from_pool, pool.sku[np.maximum(hit, 0)], cat.alias.draw(rng, len(ret_line)))
    quantity = np.ones(len(ret_line), np.int64)
    quantity[from_pool] = 1 + np.floor(rng.random(len(h)) * pool.quantity[h]).astype(np.int64)
    unit = np.where(from_pool, pool.unit[np.maximum(hit, 0)], cat.price_minor[sku])
    original_line_no = np.zeros(len(lines.owner), np.int64)
    pooled = ret_line[from_pool]
    synthetic = ret_line[~from_pool & rec]
    original_line_no[pooled] = pool.line_no[h]
    original_line_no[synthetic] = 1
    pre = pc.take(txn_ids, pa.array(lines.owner[synthetic], pa.int64()))
    return _ReturnRefs(
        line=ret_line,
        sku=sku.astype(np.int64),
        quantity=quantity,
        unit=unit.astype(np.int64),
        receipted=receipted,
        original_pos=np.r_[pooled, synthetic].astype(np.int64),
        original_ids=pa.concat_arrays(
            [
                _txn_ids(world, pool.lane[h], pool.seq[h]),
                pc.binary_join_element_wise(pre, "PRE", "-"),
            ]
        ),
        original_line_no=original_line_no,
    )


@dataclasses.dataclass(slots=True)
class _Payment:
    kind: I64
    """index into the scenario's payment mix"""
    tendered: I64
    brand: I64
    last4: I64
    detail: I64


def _pay(
    rng: np.random.Generator, p: Params, *, kind: I64, receipted: NDArray[np.bool_], amount: I64
) -> _Payment:
    """Tender of each document; an unreceipted refund goes to cash or store credit."""
    n = len(kind)
    mix_names = [k for k, _ in p.pay_mix]
    drawn = draw_tenders(rng, [s for _, s in p.pay_mix], [s for _, s in p.card_brands], n)
    cash = _index_of(mix_names, "cash")
    fallback = np.asarray([cash, _index_of(mix_names, "other")])[rng.integers(0, 2, n)]
    unreceipted_return = (kind == RETURN) & ~receipted
    tender_kind = np.where(unreceipted_return & (fallback >= 0), fallback, drawn.kind)
    tendered = amount.copy()
    cash_sale = np.flatnonzero((tender_kind == cash) & (kind == SALE))
    tendered[cash_sale] = cash_tendered(rng, amount[cash_sale], p.exponent)
    return _Payment(tender_kind, tendered, drawn.brand, drawn.last4, drawn.detail)


def _dirty_notes(
    rng: np.random.Generator, p: Params, *, kind: I64, brand: I64, last4: I64
) -> tuple[I64, list[str]]:
    """Card numbers a cashier typed into the notes of some sales: (index per doc, values)."""
    n = len(kind)
    note_index = np.zeros(n, np.int64)
    values = [""]
    dirty = np.flatnonzero((kind == SALE) & (rng.random(n) < p.card_in_notes))
    if len(dirty):
        brand_names = [b for b, _ in p.card_brands]
        pans = card_pans(
            rng, [brand_names[b] for b in brand[dirty].tolist()], last4[dirty].tolist()
        )
        styles = rng.integers(0, 3, len(dirty)).tolist()
        values += [_note(pan, style) for pan, style in zip(pans, styles, strict=True)]
        note_index[dirty] = np.arange(1, len(dirty) + 1)
    return note_index, values


def _txn_ids(
    world: World, lane: NDArray[np.signedinteger[Any]], seq: NDArray[np.signedinteger[Any]]
) -> pa.StringArray:
    registers = pc.take(world.vocab["lane_ids"], pa.array(lane))
    number = pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), width=6, padding="0")
    return pc.binary_join_element_wise(registers, number, "-")


def _index_of(names: list[str], name: str) -> int:
    return names.index(name) if name in names else -1


def _note(pan: str, style: int) -> str:
    if style == 0:
        return f"cust card {pan} - call back re order"
    if style == 1:
        groups = " ".join(pan[i : i + 4] for i in range(0, len(pan), 4))
        return f"card no {groups} declined first swipe"
    return f"refund to {'-'.join(pan[i : i + 4] for i in range(0, len(pan), 4))} if needed"

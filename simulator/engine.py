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
    p = world.params
    cat = world.catalog
    rng = stream(p.seed, "chunk", day, batch)
    midnight = p.day_start_t(day)
    day_lo, day_hi = max(0.0, midnight), min(p.duration_s, midnight + DAY)
    business_day = p.start.date() + dt.timedelta(days=day)

    # 1. arrivals and kinds
    local, t = sample_arrivals(rng, day_pieces(p, day), world.size_factor[stores])
    store = local + stores.start
    u = rng.random(len(t))
    kind = np.full(len(t), SALE, np.int64)
    kind[u < p.return_rate + p.cancel] = CANCEL
    kind[u < p.return_rate] = RETURN

    # 2. baskets and stock
    shoppers = np.flatnonzero(kind != RETURN)
    sizes = basket_sizes(
        rng, len(shoppers), median=p.basket_median, sigma=p.basket_sigma, max_items=p.max_items
    )
    lines = draw_lines(rng, p, cat.alias, sizes)
    lines.owner = shoppers[lines.owner]
    key = store[lines.owner] * state.stock.skus + lines.sku
    line_t = t[lines.owner]
    is_sale = kind[lines.owner] == SALE
    got = lines.quantity.copy()
    shrink_parts: list[tuple[I64, I64, F64]] = []
    receipt_parts: list[tuple[I64, I64, F64]] = []
    edges = [day_lo, *replenishment_instants(p, day_lo, day_hi), day_hi]
    for i in range(len(edges) - 1):
        a, b = edges[i], edges[i + 1]
        if b > a:
            k_shr, u_shr = state.stock.draw_shrink(rng, p, stores, b - a)
            shrink_parts.append((k_shr, u_shr, a + rng.random(len(k_shr)) * (b - a)))
            idx = np.flatnonzero(is_sale & (line_t >= a) & (line_t < b))
            got[idx] = clip_sales(state.stock, key[idx], line_t[idx], lines.quantity[idx]).sold
        if i + 1 < len(edges) - 1:
            k_rec, u_rec = state.stock.deliver(p, stores)
            receipt_parts.append((k_rec, u_rec, np.full(len(k_rec), b)))
    short = is_sale & (got < lines.quantity)
    out_line = np.flatnonzero(short)
    out_rows = {
        "key": key[out_line],
        "t": line_t[out_line],
        "owner": lines.owner[out_line],
        "requested": lines.quantity[out_line],
        "sold": got[out_line],
    }
    kept = got > 0
    lines = lines.take(kept)
    lines.quantity = got[kept]

    # walk-outs: sales left with no line
    has_line = np.bincount(lines.owner, minlength=len(t)) > 0
    stay = (kind != SALE) | has_line
    new_index = np.cumsum(stay) - 1
    out_rows["owner"] = np.where(stay[out_rows["owner"]], new_index[out_rows["owner"]], -1)
    store, t, kind = store[stay], t[stay], kind[stay]
    lines.owner = new_index[lines.owner]
    n = len(t)

    # 3. line voids, then the return's single line as a placeholder
    voided = np.zeros(len(lines.owner), bool)
    counts = np.bincount(lines.owner, minlength=n)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    void_owner = np.flatnonzero((kind != RETURN) & (rng.random(n) < p.line_void) & (counts > 0))
    pick = first[void_owner] + np.floor(rng.random(len(void_owner)) * counts[void_owner]).astype(
        np.int64
    )
    returns = np.flatnonzero(kind == RETURN)
    lines = Lines(
        owner=np.r_[lines.owner, void_owner, returns],
        sku=np.r_[lines.sku, lines.sku[pick], np.zeros(len(returns), np.int64)],
        quantity=np.r_[lines.quantity, lines.quantity[pick], np.ones(len(returns), np.int64)],
        promo=np.r_[lines.promo, lines.promo[pick], np.zeros(len(returns), bool)],
    )
    voided = np.r_[voided, np.ones(len(void_owner), bool), np.zeros(len(returns), bool)]
    is_return_line = np.r_[np.zeros(len(voided) - len(returns), bool), np.ones(len(returns), bool)]
    order = np.argsort(lines.owner, kind="stable")
    lines = lines.take(order)
    voided, is_return_line = voided[order], is_return_line[order]
    counts = np.bincount(lines.owner, minlength=n)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    line_no = np.arange(len(lines.owner)) - first[lines.owner] + 1

    # checkout
    service = service_times(rng, p, counts)
    co = run_checkout(
        rng,
        world,
        state.servers,
        store=store,
        t=t,
        is_return=kind == RETURN,
        service=service,
        midnight_t=midnight,
    )

    # 4. ids per register in completion order
    seq = np.empty(n, np.int64)
    by_lane = np.lexsort((co.end, co.lane))
    lanes_sorted = co.lane[by_lane]
    lane_first = np.r_[True, lanes_sorted[1:] != lanes_sorted[:-1]]
    starts_at = np.flatnonzero(lane_first)
    group = np.cumsum(lane_first) - 1
    seq[by_lane] = np.arange(n) - starts_at[group] + 1 + state.lane_seq[lanes_sorted]
    np.add.at(state.lane_seq, co.lane, 1)
    txn_ids = _txn_ids(world, co.lane, seq)

    # post-void flags (needed before sampling lines for future returns)
    pv_t = co.end + rng.uniform(*_POST_VOID_DELAY_S, n)
    post_voided = (kind == SALE) & (rng.random(n) < p.post_void) & (pv_t < p.duration_s)

    # returns: reference an earlier sale line or the pre-period
    pool = state.pools.get(batch, ReturnPool())
    sale_line = (kind[lines.owner] == SALE) & ~voided & ~post_voided[lines.owner]
    unit_price = cat.price_minor[lines.sku]
    gross, discount, net = line_amounts(p, lines.quantity, unit_price, lines.promo)
    cand = np.flatnonzero(sale_line)
    take = min(1.0, SAMPLE_PER_STORE_DAY * (stores.stop - stores.start) / max(len(cand), 1))
    cand = cand[rng.random(len(cand)) < take]
    pool = pool.extended(
        t=co.end[lines.owner[cand]],
        store=store[lines.owner[cand]] - stores.start,
        lane=co.lane[lines.owner[cand]],
        seq=seq[lines.owner[cand]],
        line_no=line_no[cand],
        sku=lines.sku[cand],
        quantity=lines.quantity[cand],
        unit=net[cand] // lines.quantity[cand],
    )
    ret_line = np.flatnonzero(is_return_line)
    ret_owner = lines.owner[ret_line]
    receipted = np.zeros(n, bool)
    receipted[ret_owner] = rng.random(len(ret_owner)) < p.receipted
    hit = np.full(len(ret_line), -1, np.int64)
    rec = receipted[ret_owner]
    hit[rec] = pool.pick(
        rng, store[ret_owner[rec]] - stores.start, t[ret_owner[rec]], p.return_window_s
    )
    state.pools[batch] = pool.pruned(day_hi - p.return_window_s)
    from_pool = hit >= 0
    h = hit[from_pool]
    random_sku = cat.alias.draw(rng, len(ret_line))
    r_sku = np.where(from_pool, pool.sku[np.maximum(hit, 0)], random_sku)
    r_qty = np.ones(len(ret_line), np.int64)
    r_qty[from_pool] = 1 + np.floor(rng.random(len(h)) * pool.quantity[h]).astype(np.int64)
    r_unit = np.where(from_pool, pool.unit[np.maximum(hit, 0)], cat.price_minor[r_sku])
    lines.sku[ret_line] = r_sku
    lines.quantity[ret_line] = r_qty
    unit_price[ret_line] = r_unit
    gross[ret_line] = r_qty * r_unit
    discount[ret_line] = 0
    net[ret_line] = gross[ret_line]
    # original references of receipted return lines, by line position
    orig_line = np.zeros(len(lines.owner), np.int64)
    pooled = ret_line[from_pool]
    synthetic = ret_line[~from_pool & receipted[ret_owner]]
    orig_line[pooled] = pool.line_no[h]
    orig_line[synthetic] = 1
    orig_pos = np.r_[pooled, synthetic]
    orig_ids = pa.concat_arrays(
        [
            _txn_ids(world, pool.lane[h], pool.seq[h]),
            pc.binary_join_element_wise(
                pc.take(txn_ids, pa.array(lines.owner[synthetic], pa.int64())), "PRE", "-"
            ),
        ]
    )

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
    paying = np.flatnonzero(kind != CANCEL)
    mix_names = [k for k, _ in p.pay_mix]
    tenders = draw_tenders(rng, [s for _, s in p.pay_mix], [s for _, s in p.card_brands], n)
    unreceipted_return = (kind == RETURN) & ~receipted
    fallback = [_index_of(mix_names, "cash"), _index_of(mix_names, "other")]
    alt = np.asarray(fallback)[rng.integers(0, 2, n)]
    tender_kind = np.where(unreceipted_return & (alt >= 0), alt, tenders.kind)
    amount = totals.total
    tendered = amount.copy()
    is_cash = tender_kind == _index_of(mix_names, "cash")
    cash_sale = np.flatnonzero(is_cash & (kind == SALE))
    tendered[cash_sale] = cash_tendered(rng, amount[cash_sale], p.exponent)
    loyal = (kind != CANCEL) & (rng.random(n) < p.loyalty_share) & (len(world.customer_ids) > 0)
    customer = np.where(loyal, rng.integers(0, max(len(world.customer_ids), 1), n), -1)

    note_index = np.zeros(n, np.int64)
    note_values = [""]
    dirty = np.flatnonzero((kind == SALE) & (rng.random(n) < p.card_in_notes))
    if len(dirty):
        brand_names = [b for b, _ in p.card_brands]
        pans = card_pans(
            rng,
            [brand_names[b] for b in tenders.brand[dirty].tolist()],
            tenders.last4[dirty].tolist(),
        )
        styles = rng.integers(0, 3, len(dirty)).tolist()
        note_values += [_note(pan, style) for pan, style in zip(pans, styles, strict=True)]
        note_index[dirty] = np.arange(1, len(dirty) + 1)

    # 6. stock back: returns now, post-voids at their time (both to the back room)
    pv = np.flatnonzero(post_voided)
    live_sale = ~voided & np.isin(lines.owner, pv)
    back = np.flatnonzero(is_return_line | live_sale)
    state.stock.give_back(
        store[lines.owner[back]] * state.stock.skus + lines.sku[back], lines.quantity[back]
    )

    tables = build_tables(
        world,
        business_day=business_day,
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
            "receipted": receipted,
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
            "original_pos": orig_pos,
            "original_txn_id": orig_ids,
            "original_line_no": orig_line,
        },
        tender={
            "owner": paying,
            "kind": tender_kind[paying],
            "kind_names": mix_names,
            "amount": amount[paying],
            "tendered": tendered[paying],
            "brand": tenders.brand[paying],
            "last4": tenders.last4[paying],
            "wallet": tenders.detail[paying],
            "other": tenders.detail[paying] % len(OTHER_KINDS),
        },
        stock_outs=out_rows,
        shrink=shrink_parts,
        receipts=receipt_parts,
    )
    return Chunk(tables=tables, customers=n)


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

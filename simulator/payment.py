"""Payment of each document: tender kind, cash handed over, and dirty notes.

Sales draw their tender from the scenario's mix (`simulator.tenders`); refunds of
receipted returns too, unreceipted ones go to cash or store credit. Some sales get a card
number typed into their notes (``data_quality.card_in_notes``).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from simulator.kinds import RETURN, SALE
from simulator.params import Params
from simulator.tenders import card_pans, cash_tendered, draw_tenders

__all__ = ["Payment", "dirty_notes", "pay"]

I64 = NDArray[np.int64]


@dataclasses.dataclass(slots=True)
class Payment:
    kind: I64
    """index into the scenario's payment mix"""
    tendered: I64
    brand: I64
    last4: I64
    detail: I64


def pay(
    rng: np.random.Generator, p: Params, *, kind: I64, receipted: NDArray[np.bool_], amount: I64
) -> Payment:
    """Tender of each document; an unreceipted refund goes to cash or store credit."""
    n = len(kind)
    mix_names = [k for k, _ in p.pay_mix]
    drawn = draw_tenders(rng, [s for _, s in p.pay_mix], [s for _, s in p.card_brands], n)
    cash = index_of(mix_names, "cash")
    fallback = np.asarray([cash, index_of(mix_names, "other")])[rng.integers(0, 2, n)]
    unreceipted_return = (kind == RETURN) & ~receipted
    tender_kind = np.where(unreceipted_return & (fallback >= 0), fallback, drawn.kind)
    tendered = amount.copy()
    cash_sale = np.flatnonzero((tender_kind == cash) & (kind == SALE))
    tendered[cash_sale] = cash_tendered(rng, amount[cash_sale], p.exponent)
    return Payment(tender_kind, tendered, drawn.brand, drawn.last4, drawn.detail)


def dirty_notes(
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


def index_of(names: list[str], name: str) -> int:
    return names.index(name) if name in names else -1


def _note(pan: str, style: int) -> str:
    if style == 0:
        return f"cust card {pan} - call back re order"
    if style == 1:
        groups = " ".join(pan[i : i + 4] for i in range(0, len(pan), 4))
        return f"card no {groups} declined first swipe"
    return f"refund to {'-'.join(pan[i : i + 4] for i in range(0, len(pan), 4))} if needed"

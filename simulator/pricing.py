"""Line and document money in integer minor units, with the arithmetic of `domain`.

``gross = quantity × unit price``; a promotion takes ``round(gross × discount)``; ``net =
gross − discount``. Tax follows the scenario's rule: ``per_document`` rounds ``rate × Σ net``
once per document and tax class, ``per_line`` rounds ``rate × net`` per line and sums.
Voided lines are priced (the POS showed them) but count in no total.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from simulator.money import mul_round, rational
from simulator.params import Params

__all__ = ["DocumentTotals", "document_totals", "line_amounts"]

I64 = NDArray[np.int64]


def line_amounts(
    params: Params, quantity: I64, unit_price: I64, promo: NDArray[np.bool_]
) -> tuple[I64, I64, I64]:
    """(gross, discount, net) per line."""
    gross = quantity * unit_price
    discount = np.where(
        promo, mul_round(gross, rational(params.promo_discount), params.rounding), 0
    )
    return gross, discount.astype(np.int64), (gross - discount).astype(np.int64)


@dataclasses.dataclass(slots=True)
class DocumentTotals:
    subtotal: I64
    discount: I64
    tax: I64
    total: I64
    units: I64
    lines: I64


def document_totals(
    params: Params,
    *,
    n_docs: int,
    owner: I64,
    tax_class: I64,
    quantity: I64,
    discount: I64,
    net: I64,
    voided: NDArray[np.bool_],
) -> DocumentTotals:
    live = ~voided
    o, c, n = owner[live], tax_class[live], net[live]
    ratios = [rational(tc.rate) for tc in params.tax_classes]
    num = np.array([r[0] for r in ratios], np.int64)
    den = np.array([r[1] for r in ratios], np.int64)
    if params.tax_rounding == "per_line":
        line_tax = mul_round(n, (num[c], den[c]), params.rounding)
        tax = np.bincount(o, weights=line_tax, minlength=n_docs).astype(np.int64)
    else:
        n_cls = len(ratios)
        base = np.bincount(o * n_cls + c, weights=n, minlength=n_docs * n_cls)
        base = np.rint(base).astype(np.int64).reshape(n_docs, n_cls)
        tax = np.zeros(n_docs, np.int64)
        for ci in range(n_cls):
            if num[ci]:
                tax += mul_round(base[:, ci], (int(num[ci]), int(den[ci])), params.rounding)
    subtotal = np.rint(np.bincount(o, weights=n, minlength=n_docs)).astype(np.int64)
    return DocumentTotals(
        subtotal=subtotal,
        discount=np.rint(np.bincount(o, weights=discount[live], minlength=n_docs)).astype(np.int64),
        tax=tax,
        total=subtotal + tax,
        units=np.bincount(o, weights=quantity[live], minlength=n_docs).astype(np.int64),
        lines=np.bincount(owner, minlength=n_docs).astype(np.int64),
    )

"""Hypothesis strategies that build valid domain objects, for property tests anywhere in the
suite (``tests.domain.strategies``; hypothesis is a dev dependency, so they live with the
tests, not in the product).

Example::

    from hypothesis import given
    from tests.domain.strategies import sales

    @given(sales())
    def test_sale_total(sale):
        assert sale.total == sale.subtotal + sale.tax_total
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from domain.ids import Gtin, Sku
from domain.money import Money, Rounding
from domain.transactions.lines import Discount, ReturnLine, SaleLine
from domain.transactions.returns import Return
from domain.transactions.sale import Sale
from domain.transactions.tax import TaxClass, TaxRounding
from domain.transactions.tenders import (
    CardBrand,
    CardTender,
    CashTender,
    MobileTender,
    OtherTender,
    Tender,
)

__all__ = [
    "currencies",
    "gtins",
    "money",
    "return_lines",
    "returns",
    "sale_lines",
    "sales",
    "skus",
    "tax_classes",
    "tenders_for",
]

CURRENCY_SAMPLE = ("USD", "EUR", "GBP", "JPY", "KWD")
"""Currencies with 2, 0 and 3 minor digits."""

_TAX_NAMES = ("standard", "reduced", "food", "exempt")
_DAY = date(2026, 11, 27)


def currencies() -> st.SearchStrategy[str]:
    """ISO codes covering minor-unit exponents 0, 2 and 3."""
    return st.sampled_from(CURRENCY_SAMPLE)


def money(currency: str, *, min_units: int = 0, max_units: int = 10**7) -> st.SearchStrategy[Money]:
    """Quantized amounts of ``currency`` between the given counts of minor units."""
    return st.integers(min_units, max_units).map(lambda units: Money.from_minor(units, currency))


def skus() -> st.SearchStrategy[Sku]:
    """Valid SKU codes."""
    return st.from_regex(r"[A-Za-z0-9._-]{1,40}", fullmatch=True).map(Sku)


def gtins() -> st.SearchStrategy[Gtin]:
    """Valid EAN-13 codes."""
    return st.from_regex(r"[0-9]{12}", fullmatch=True).map(Gtin.from_body)


@st.composite
def tax_classes(draw: st.DrawFn, *, max_size: int = 3) -> list[TaxClass]:
    """1 to ``max_size`` tax classes with distinct names and rates from 0 to 30 %."""
    names = draw(st.lists(st.sampled_from(_TAX_NAMES), min_size=1, max_size=max_size, unique=True))
    rates = st.decimals(min_value=0, max_value=Decimal("0.3"), places=4)
    return [TaxClass(name, draw(rates)) for name in names]


_QUANTITIES = st.one_of(
    st.integers(1, 24).map(Decimal),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("9.999"), places=3),
)


@st.composite
def sale_lines(
    draw: st.DrawFn, currency: str, classes: list[TaxClass], line_no: int = 1
) -> SaleLine:
    """A sale line in ``currency`` with up to two discounts that never exceed its gross."""
    price = draw(money(currency, max_units=50_000))
    line = SaleLine(
        line_no,
        draw(skus()),
        draw(st.none() | gtins()),
        draw(_QUANTITIES),
        price,
        (),
        draw(st.sampled_from(classes)),
        voided=draw(st.integers(0, 4)) == 0,
    )
    discounts = []
    room = line.gross.minor_units()
    for _ in range(draw(st.integers(0, 2))):
        if room <= 0:
            break
        units = draw(st.integers(1, room))
        room -= units
        discounts.append(Discount("promo", Money.from_minor(units, currency)))
    if not discounts:
        return line
    return replace(line, discounts=tuple(discounts))


@st.composite
def tenders_for(draw: st.DrawFn, total: Money) -> list[Tender]:
    """One to three tenders of random kinds whose amounts add up exactly to ``total``."""
    if total.amount == 0:
        return []
    count = draw(st.integers(1, 3))
    weights = draw(st.lists(st.integers(1, 100), min_size=count, max_size=count))
    parts = [part for part in total.allocate(weights) if part.amount > 0]
    result: list[Tender] = []
    for part in parts:
        kind = draw(st.sampled_from(("card", "cash", "mobile", "other")))
        if kind == "card":
            last4 = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
            result.append(CardTender(part, draw(st.sampled_from(CardBrand)), last4))
        elif kind == "cash":
            change = draw(money(total.currency, max_units=10_000))
            result.append(CashTender(part, part + change, change))
        elif kind == "mobile":
            result.append(MobileTender(part, draw(st.sampled_from(("apple_pay", "google_pay")))))
        else:
            result.append(OtherTender(part, draw(st.sampled_from(("gift_card", "check")))))
    return result


def _expected_total(
    lines: list[tuple[TaxClass, Money]], rule: TaxRounding, rounding: Rounding
) -> Money:
    currency = lines[0][1].currency
    total = Money.zero(currency)
    for name in {tc.name for tc, _ in lines}:
        nets = [net for tc, net in lines if tc.name == name]
        rate = next(tc.rate for tc, _ in lines if tc.name == name)
        taxable = sum(nets, Money.zero(currency))
        if rule is TaxRounding.PER_DOCUMENT:
            tax = (taxable * rate).quantize(rounding)
        else:
            tax = sum(((n * rate).quantize(rounding) for n in nets), Money.zero(currency))
        total = total + taxable + tax
    return total


def _moments(draw: st.DrawFn) -> tuple[datetime, datetime]:
    start = datetime(2026, 11, 27, 7) + timedelta(seconds=draw(st.integers(0, 15 * 3600)))
    return start, start + timedelta(seconds=draw(st.integers(0, 900)))


@st.composite
def sales(
    draw: st.DrawFn, *, currency: str | None = None, min_lines: int = 1, max_lines: int = 8
) -> Sale:
    """A valid sale: random lines (some voided), tax rule, rounding and covering tenders."""
    code = currency or draw(currencies())
    classes = draw(tax_classes())
    count = draw(st.integers(min_lines, max_lines))
    lines = [draw(sale_lines(code, classes, line_no=i + 1)) for i in range(count)]
    if all(line.voided for line in lines):
        lines[0] = replace(lines[0], voided=False)
    rule = draw(st.sampled_from(TaxRounding))
    rounding = draw(st.sampled_from(Rounding))
    total = _expected_total(
        [(line.tax_class, line.net) for line in lines if not line.voided], rule, rounding
    )
    started, completed = _moments(draw)
    return Sale(
        txn_id=f"T-{draw(st.integers(1, 10**9))}",
        store_id="S001",
        register_id="S001-R01",
        cashier_id="C001",
        customer_id=draw(st.none() | st.just("CUST-1")),
        business_day=_DAY,
        started_at=started,
        completed_at=completed,
        currency=code,
        lines=lines,
        tenders=draw(tenders_for(total)),
        tax_rounding=rule,
        rounding=rounding,
    )


@st.composite
def return_lines(
    draw: st.DrawFn,
    currency: str,
    classes: list[TaxClass],
    *,
    line_no: int = 1,
    original_txn_id: str | None = None,
) -> ReturnLine:
    """A return line, referencing ``original_txn_id`` when given."""
    return ReturnLine(
        line_no,
        draw(skus()),
        draw(_QUANTITIES),
        draw(money(currency, max_units=50_000)),
        draw(st.sampled_from(classes)),
        original_txn_id,
        None if original_txn_id is None else draw(st.integers(1, 50)),
    )


@st.composite
def returns(draw: st.DrawFn, *, currency: str | None = None, max_lines: int = 5) -> Return:
    """A valid return, receipted or not, with refund tenders covering its total."""
    code = currency or draw(currencies())
    classes = draw(tax_classes())
    receipted = draw(st.booleans())
    original = "T-ORIGINAL" if receipted else None
    count = draw(st.integers(1, max_lines))
    lines = [
        draw(return_lines(code, classes, line_no=i + 1, original_txn_id=original))
        for i in range(count)
    ]
    rule = draw(st.sampled_from(TaxRounding))
    rounding = draw(st.sampled_from(Rounding))
    total = _expected_total([(line.tax_class, line.net) for line in lines], rule, rounding)
    started, completed = _moments(draw)
    return Return(
        txn_id=f"R-{draw(st.integers(1, 10**9))}",
        store_id="S001",
        register_id="S001-R01",
        cashier_id="C001",
        customer_id=None,
        business_day=_DAY,
        started_at=started,
        completed_at=completed,
        currency=code,
        lines=lines,
        tenders=draw(tenders_for(total)),
        tax_rounding=rule,
        rounding=rounding,
        receipted=receipted,
    )

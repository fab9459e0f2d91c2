"""Sales tax: tax classes, the document's tax rounding rule, and tax lines (ARTS tax items).

Prices are tax-exclusive: a document's total is its subtotal plus its tax. Two rules:

- ``per_document``: for each tax class, tax = round(rate × sum of the class's line nets);
- ``per_line``: for each tax class, tax = sum over its lines of round(rate × line net).

The two may differ by a few minor units per class; a connector that recomputes tax with the
other rule than the POS produces exactly the mismatches the bench is built to find.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from domain import _validate
from domain.errors import CurrencyMismatchError, InvariantError
from domain.money import Currency, Money, Rounding

__all__ = ["TaxClass", "TaxLine", "TaxRounding", "compute_tax_lines", "line_taxes"]


class TaxRounding(StrEnum):
    """Where tax is rounded to the minor unit."""

    PER_DOCUMENT = "per_document"
    """Once per tax class over the whole document (most US POS and ERPs)."""
    PER_LINE = "per_line"
    """On every line, then summed."""


@dataclass(frozen=True, slots=True)
class TaxClass:
    """A named tax rate, as a fraction: ``TaxClass("standard", Decimal("0.0825"))`` is 8.25 %."""

    name: str
    rate: Decimal

    def __post_init__(self) -> None:
        _validate.identifier("TaxClass.name", self.name)
        rate = _validate.decimal("TaxClass.rate", self.rate)
        if not 0 <= rate <= 1:
            raise InvariantError.got(
                "TaxClass.rate", rate, "must be a fraction in [0, 1]", "write 8.25 % as 0.0825"
            )
        if rate is not self.rate:
            object.__setattr__(self, "rate", rate)


@dataclass(frozen=True, slots=True)
class TaxLine:
    """The tax of one class on a document (ARTS tax line item)."""

    tax_class: str
    """Name of the :class:`TaxClass`."""
    rate: Decimal
    taxable: Money
    """Sum of the nets of the document's lines in this class."""
    tax: Money

    def __post_init__(self) -> None:
        _validate.identifier("TaxLine.tax_class", self.tax_class)
        _validate.decimal("TaxLine.rate", self.rate)
        _validate.instance("TaxLine.taxable", self.taxable, Money)
        _validate.instance("TaxLine.tax", self.tax, Money)
        if self.tax.currency != self.taxable.currency:
            raise CurrencyMismatchError.got(
                "TaxLine.tax", self.tax, f"must be in {self.taxable.currency} like taxable"
            )
        if not self.tax.is_quantized():
            raise InvariantError.got(
                "TaxLine.tax", self.tax, f"must be whole minor units of {self.tax.currency}"
            )


def compute_tax_lines(
    taxed: Sequence[tuple[TaxClass, Money]],
    *,
    currency: str,
    rule: TaxRounding,
    rounding: Rounding,
    field: str = "lines",
    positions: Sequence[int] | None = None,
) -> tuple[TaxLine, ...]:
    """Tax lines, sorted by class name, for ``(tax class, line net)`` pairs of one document.

    Classes are matched by name; one name with two rates raises InvariantError naming
    ``{field}[i].tax_class``, where ``i`` is ``positions[index]`` when given (the pair's
    index among all the document's lines, voided ones included).
    """
    classes: dict[str, TaxClass] = {}
    nets: dict[str, list[Money]] = {}
    for index, (tax_class, net) in enumerate(taxed):
        known = classes.setdefault(tax_class.name, tax_class)
        if known.rate != tax_class.rate:
            position = index if positions is None else positions[index]
            raise InvariantError.got(
                f"{field}[{position}].tax_class",
                tax_class,
                f"must have the rate {known.rate} that tax class {known.name!r} has "
                "elsewhere on this document",
            )
        nets.setdefault(tax_class.name, []).append(net)
    lines = []
    zero = Money.zero(currency)
    for name in sorted(classes):
        rate = classes[name].rate
        class_nets = nets[name]
        taxable = sum(class_nets, zero)
        if rule is TaxRounding.PER_DOCUMENT:
            tax = (taxable * rate).quantize(rounding)
        else:
            tax = sum(((net * rate).quantize(rounding) for net in class_nets), zero)
        lines.append(TaxLine(name, rate, taxable, tax))
    return tuple(lines)


def line_taxes(
    taxed: Sequence[tuple[TaxClass, Money]],
    tax_lines: Sequence[TaxLine],
    *,
    rule: TaxRounding,
    rounding: Rounding,
) -> list[Money]:
    """Each line's share of its class's tax; per class the shares add up to the tax line.

    ``per_line``: each line's own rounded tax. ``per_document``: the class tax apportioned
    by largest remainder of rate × net, so every share is within one minor unit of
    rate × net and the document total is kept to the cent.
    """
    if rule is TaxRounding.PER_LINE:
        return [(net * tax_class.rate).quantize(rounding) for tax_class, net in taxed]
    shares: list[Money | None] = [None] * len(taxed)
    by_class: dict[str, list[int]] = {}
    for index, (tax_class, _) in enumerate(taxed):
        by_class.setdefault(tax_class.name, []).append(index)
    for tax_line in tax_lines:
        indices = by_class.get(tax_line.tax_class, [])
        exponent = Currency.of(tax_line.tax.currency).exponent
        exact = [(taxed[i][1] * tax_line.rate).amount.scaleb(exponent) for i in indices]
        units = _apportion(tax_line.tax.minor_units(), exact)
        for index, unit_count in zip(indices, units, strict=True):
            shares[index] = Money.from_minor(unit_count, tax_line.tax.currency)
    result = [share for share in shares if share is not None]
    if len(result) != len(taxed):
        raise InvariantError.got(
            "tax_lines", list(tax_lines), "must cover the tax class of every line"
        )
    return result


def _apportion(total: int, exact: list[Decimal]) -> list[int]:
    """Integers that add up to ``total``, each the floor or ceiling of its exact share."""
    sign = -1 if total < 0 else 1
    values = [v * sign for v in exact]
    floors = [int(v.to_integral_value(rounding=ROUND_FLOOR)) for v in values]
    leftover = total * sign - sum(floors)
    if not 0 <= leftover <= len(values):
        raise InvariantError.got(
            "tax", total, f"cannot be apportioned over exact shares {[str(v) for v in exact]}"
        )
    order = sorted(range(len(values)), key=lambda i: (floors[i] - values[i], i))
    for index in order[:leftover]:
        floors[index] += 1
    return [sign * units for units in floors]

"""The numbers the simulator runs on, resolved once from a `scenarios.Scenario`.

`Params` is a flat, frozen snapshot in simulator units (seconds, minor units, normalised
shares). Hot loops read it instead of the pydantic model, and the engine's tests can build
one directly. `Params.from_scenario` is the only place that knows the scenario's shape.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

from domain import Currency
from scenarios import profile_weights
from simulator.errors import ScenarioUnsupported

__all__ = ["EventDay", "Params", "TaxClassParams"]

DAY = 86_400.0


@dataclasses.dataclass(frozen=True, slots=True)
class TaxClassParams:
    name: str
    rate: Decimal
    share: float


@dataclasses.dataclass(frozen=True, slots=True)
class EventDay:
    date: dt.date
    multiplier: float
    peak_hour: float | None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Params:
    """Resolved simulation parameters (see the scenario schema for meanings)."""

    name: str
    seed: int
    locale: str
    currency: str
    exponent: int
    timezone: str
    start: dt.datetime
    duration_s: float
    # chain
    stores: int
    registers: int
    self_checkouts: int
    open_s: float
    close_s: float
    size_spread: float
    cashiers_per_register: float
    loyalty_customers: int
    # catalog
    skus: int
    categories: int
    zipf: float
    price_median: float
    price_sigma: float
    endings: tuple[float, ...]
    margin: float
    tax_classes: tuple[TaxClassParams, ...]
    tax_rounding: str
    rounding: str
    # traffic
    customers_per_store_day: float
    hourly: tuple[float, ...]
    weekday: tuple[float, ...]
    multiplier: float
    events: tuple[EventDay, ...]
    # basket
    basket_median: float
    basket_sigma: float
    max_items: int
    multi_unit_share: float
    quantity_max: int
    promo_share: float
    promo_discount: Decimal
    service_fixed_s: float
    service_per_item_s: float
    service_exponential: bool
    self_checkout_share: float
    # payments
    pay_mix: tuple[tuple[str, float], ...]
    card_brands: tuple[tuple[str, float], ...]
    loyalty_share: float
    # returns and voids
    return_rate: float
    receipted: float
    return_window_s: float
    line_void: float
    cancel: float
    post_void: float
    # inventory
    days_of_cover: float
    shrink_annual: float
    replenish_every_s: float
    replenish_at_s: float
    target_days: float
    reorder_days: float
    # data quality
    card_in_notes: float

    @property
    def days(self) -> int:
        """Calendar days touched by the simulated window."""
        end = self.start + dt.timedelta(seconds=self.duration_s)
        last = (end - dt.timedelta(microseconds=1)).date()
        return (last - self.start.date()).days + 1

    def day_start_t(self, day: int) -> float:
        """Seconds from the scenario start to local midnight of calendar day ``day``."""
        midnight = dt.datetime.combine(self.start.date(), dt.time()) + dt.timedelta(days=day)
        return (midnight - self.start).total_seconds()

    def with_changes(self, **changes: Any) -> Params:
        """A copy with some fields replaced (for tests and benchmarks)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_scenario(cls, scenario: Any, *, seed: int | None = None) -> Params:
        """Resolve a `scenarios.Scenario`; ``seed`` overrides the scenario's seed."""
        s = scenario
        chain, cat, traffic, basket = s.chain, s.catalog, s.traffic, s.basket
        open_s, close_s = _hours(chain.hours)
        profile = profile_weights(traffic)
        inv = s.inventory
        return cls(
            name=str(s.name),
            seed=int(s.seed if seed is None else seed),
            locale=str(s.locale),
            currency=str(s.currency),
            exponent=_exponent(str(s.currency)),
            timezone=str(s.timezone),
            start=_naive(s.start),
            duration_s=_seconds(s.duration),
            stores=int(chain.stores),
            registers=int(chain.registers),
            self_checkouts=int(chain.self_checkouts),
            open_s=open_s,
            close_s=close_s,
            size_spread=float(chain.size_spread),
            cashiers_per_register=float(chain.cashiers_per_register),
            loyalty_customers=int(chain.loyalty_customers),
            skus=int(cat.skus),
            categories=int(cat.categories),
            zipf=float(_get(cat.popularity, "zipf")),
            price_median=float(_get(cat.price, "median")),
            price_sigma=float(_get(cat.price, "sigma")),
            endings=tuple(float(e) for e in _get(cat.price, "endings")),
            margin=float(cat.margin),
            tax_classes=_tax_classes(cat.tax_classes),
            tax_rounding=_enum_value(cat.tax_rounding),
            rounding=_enum_value(cat.rounding),
            customers_per_store_day=float(traffic.customers_per_store_day),
            hourly=_normalised(profile, "traffic.hourly", 24),
            weekday=_normalised(traffic.weekday, "traffic.weekday", 7),
            multiplier=float(traffic.multiplier),
            events=tuple(
                EventDay(
                    date=e.date,
                    multiplier=float(e.multiplier),
                    peak_hour=None if e.peak is None else e.peak.hour + e.peak.minute / 60,
                )
                for e in traffic.events
            ),
            basket_median=float(_get(basket.items, "median")),
            basket_sigma=float(_get(basket.items, "sigma")),
            max_items=int(basket.max_items),
            multi_unit_share=float(_get(basket.quantity, "multi_unit_share")),
            quantity_max=int(_get(basket.quantity, "max")),
            promo_share=float(_get(basket.promotions, "share")),
            promo_discount=Decimal(str(_get(basket.promotions, "discount"))),
            service_fixed_s=_seconds(_get(basket.service, "fixed")),
            service_per_item_s=_seconds(_get(basket.service, "per_item")),
            service_exponential=_enum_value(_get(basket.service, "distribution")) == "exponential",
            self_checkout_share=float(basket.self_checkout_share),
            pay_mix=_shares(s.payments.mix, "payments.mix"),
            card_brands=_shares(s.payments.card_brands, "payments.card_brands"),
            loyalty_share=float(s.payments.loyalty_share),
            return_rate=float(s.returns.rate),
            receipted=float(s.returns.receipted),
            return_window_s=_seconds(s.returns.window),
            line_void=float(s.voids.line_void),
            cancel=float(s.voids.cancel),
            post_void=float(s.voids.post_void),
            days_of_cover=float(inv.days_of_cover),
            shrink_annual=float(inv.shrink_annual),
            replenish_every_s=_seconds(_get(inv.replenishment, "every")),
            replenish_at_s=_time_s(_get(inv.replenishment, "at")),
            target_days=float(_get(inv.replenishment, "target_days")),
            reorder_days=float(_get(inv.replenishment, "reorder_days")),
            card_in_notes=float(s.data_quality.card_in_notes),
        )


def _get(section: Any, name: str) -> Any:
    if isinstance(section, dict):
        return section[name]
    return getattr(section, name)


def _enum_value(value: Any) -> str:
    return str(getattr(value, "value", value))


def _exponent(code: str) -> int:
    return Currency.of(code).exponent


def _naive(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=None)


def _seconds(value: Any) -> float:
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


def _time_s(value: Any) -> float:
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    hh, mm = str(value).split(":")[:2]
    return int(hh) * 3600 + int(mm) * 60


def _hours(value: Any) -> tuple[float, float]:
    if isinstance(value, str):
        first, second = value.split("-")
        bounds = (first, second)
    elif isinstance(value, tuple | list):
        bounds = (value[0], value[1])
    else:
        start = next(getattr(value, n) for n in ("start", "open", "opens") if hasattr(value, n))
        end = next(getattr(value, n) for n in ("end", "close", "closes") if hasattr(value, n))
        bounds = (start, end)
    open_s, close_s = _time_s(bounds[0]), _time_s(bounds[1])
    if close_s == 0.0:
        close_s = DAY
    if not 0 <= open_s < close_s <= DAY:
        raise ScenarioUnsupported(
            "chain.hours", value, "opening must come before closing within one day"
        )
    return open_s, close_s


def _normalised(values: Any, field: str, n: int) -> tuple[float, ...]:
    arr = np.asarray(list(values), dtype=np.float64)
    if arr.shape != (n,) or (arr < 0).any() or arr.sum() <= 0:
        raise ScenarioUnsupported(field, list(values), f"need {n} non-negative weights, not all 0")
    return tuple(float(v) for v in arr / arr.sum())


def _shares(mapping: Any, field: str) -> tuple[tuple[str, float], ...]:
    items = mapping.items() if isinstance(mapping, dict) else dict(mapping).items()
    pairs = [(str(k), float(v)) for k, v in items if float(v) > 0]
    total = sum(v for _, v in pairs)
    if not pairs or total <= 0:
        raise ScenarioUnsupported(field, dict(items), "need at least one positive share")
    return tuple((k, v / total) for k, v in pairs)


def _tax_classes(mapping: Any) -> tuple[TaxClassParams, ...]:
    out = []
    for name, tc in dict(mapping).items():
        out.append(
            TaxClassParams(
                name=str(name),
                rate=Decimal(str(_get(tc, "rate"))),
                share=float(_get(tc, "share")),
            )
        )
    if not out:
        raise ScenarioUnsupported("catalog.tax_classes", {}, "need at least one tax class")
    return tuple(out)

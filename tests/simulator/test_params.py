"""Resolving a scenario into simulator parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from simulator import Params, ScenarioUnsupported
from simulator.params import _hours
from tests.simulator.support import small_scenario


def test_units_are_resolved_from_the_scenario() -> None:
    params = Params.from_scenario(
        small_scenario(**{"currency": "JPY", "duration": "36h", "chain.hours": "08:30-21:00"}),
        seed=3,
    )

    assert params.seed == 3
    assert params.exponent == 0
    assert params.duration_s == 36 * 3600
    assert params.days == 2
    assert (params.open_s, params.close_s) == (8.5 * 3600, 21 * 3600)
    assert params.service_fixed_s == 40.0
    assert params.replenish_at_s == 5 * 3600
    assert params.promo_discount == Decimal("0.2")
    assert sum(params.hourly) == pytest.approx(1.0)
    assert sum(s for _, s in params.pay_mix) == pytest.approx(1.0)
    assert params.start == dt.datetime(2026, 11, 23)


def test_round_the_clock_hours() -> None:
    params = Params.from_scenario(small_scenario(**{"chain.hours": "00:00-24:00"}))

    assert (params.open_s, params.close_s) == (0.0, 86_400.0)


def test_unsupported_value_names_field_and_value() -> None:
    with pytest.raises(ScenarioUnsupported) as info:
        _hours("22:00-07:00")

    assert (
        str(info.value)
        == "chain.hours: opening must come before closing within one day, got '22:00-07:00'"
    )
    assert info.value.field == "chain.hours"

"""Integer money arithmetic agrees with `domain`'s Decimal rounding to the minor unit."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from simulator.catalog import AliasTable
from simulator.money import mul_round, rational

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


@given(
    amounts=st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=50),
    rate=st.decimals(min_value=0, max_value=1, places=4),
    rounding=st.sampled_from(sorted(_MODES)),
)
def test_mul_round_matches_decimal_quantize(
    amounts: list[int], rate: Decimal, rounding: str
) -> None:
    got = mul_round(np.array(amounts, np.int64), rational(rate), rounding)

    expected = [
        int((Decimal(a) * rate).quantize(Decimal(1), rounding=_MODES[rounding])) for a in amounts
    ]
    assert got.tolist() == expected


def test_half_even_and_half_up_differ_on_ties() -> None:
    amounts = np.array([5, 15, 25, -5])
    half = rational(Decimal("0.1"))

    assert mul_round(amounts, half, "half_up").tolist() == [1, 2, 3, -1]
    assert mul_round(amounts, half, "half_even").tolist() == [0, 2, 2, 0]


@given(st.lists(st.floats(0.001, 100.0), min_size=1, max_size=40))
def test_alias_table_reproduces_the_distribution_exactly(weights: list[float]) -> None:
    p = np.array(weights) / sum(weights)
    table = AliasTable.build(p)

    k = len(p)
    mass = table.prob.copy()
    np.add.at(mass, table.alias, 1.0 - table.prob)
    assert np.allclose(mass / k, p)

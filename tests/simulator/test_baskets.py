"""Basket sizes match the Poisson-lognormal theory; SKUs follow Zipf popularity."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from simulator import Params
from simulator.baskets import basket_size_pmf, basket_sizes, draw_lines
from simulator.world import build_world_from_params
from tests.simulator.support import small_scenario


def _theory(median: float, sigma: float, cap: int) -> tuple[float, float]:
    """Mean and variance of the zero-truncated, capped Poisson-lognormal, by quadrature."""

    def pmf(n: int) -> float:
        def integrand(z: float) -> float:
            weight = stats.poisson.pmf(n, median * np.exp(sigma * z)) * stats.norm.pdf(z)
            return float(weight)

        return float(integrate.quad(integrand, -9, 9, limit=200)[0])

    p = np.array([pmf(n) for n in range(cap + 1)])
    p[cap] += 1.0 - p.sum()  # everything above the cap lands on it
    p[0] = 0.0
    p /= p.sum()
    n = np.arange(cap + 1)
    mean = float((n * p).sum())
    return mean, float(((n - mean) ** 2 * p).sum())


@pytest.mark.parametrize(("median", "sigma", "cap"), [(4.0, 1.0, 60), (6.0, 0.5, 40)])
def test_basket_size_mean_and_variance_match_theory(median: float, sigma: float, cap: int) -> None:
    sizes = basket_sizes(
        np.random.default_rng(11), 300_000, median=median, sigma=sigma, max_items=cap
    )
    mean, var = _theory(median, sigma, cap)

    assert sizes.min() >= 1
    assert sizes.max() <= cap
    assert sizes.mean() == pytest.approx(mean, rel=0.01)
    assert sizes.var() == pytest.approx(var, rel=0.04)


def test_simulator_pmf_agrees_with_quadrature() -> None:
    pmf = basket_size_pmf(4.0, 1.0, 60)
    mean, _ = _theory(4.0, 1.0, 60)

    assert pmf[0] == 0.0
    assert (np.arange(61) * pmf).sum() == pytest.approx(mean, rel=1e-3)


def test_most_common_basket_is_one_item() -> None:
    sizes = basket_sizes(np.random.default_rng(2), 100_000, median=4.0, sigma=1.0, max_items=200)

    assert np.bincount(sizes).argmax() == 1


def test_sku_draws_follow_popularity_and_quantities_respect_config() -> None:
    params = Params.from_scenario(small_scenario(**{"catalog.skus": 300}))
    world = build_world_from_params(params)
    rng = np.random.default_rng(5)

    lines = draw_lines(rng, params, world.catalog.alias, np.full(100_000, 3))

    observed = np.bincount(lines.sku, minlength=300)
    top = np.argsort(world.catalog.popularity)[::-1][:20]
    expected = world.catalog.popularity[top] * len(lines.sku)
    assert observed[top] == pytest.approx(expected, rel=0.08)
    multi = lines.quantity > 1
    assert multi.mean() == pytest.approx(params.multi_unit_share, abs=0.01)
    assert lines.quantity.max() <= params.quantity_max
    assert lines.promo.mean() == pytest.approx(params.promo_share, abs=0.01)

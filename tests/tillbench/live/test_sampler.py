"""The sampler: integration drift between the two books, nulls for a side it cannot read,
the ERP → POS price sync followed until the POS shows the price — with scripted reads."""

from __future__ import annotations

import asyncio

import httpx

from domain.clock import RunClock
from tillbench.live.sampler import Sample, Sampler
from tillbench.live.targets import PriceRead, StockLevels, StockRead


def _read(levels: StockLevels | None) -> StockRead:
    async def read(_client: httpx.AsyncClient) -> StockLevels | None:
        return levels

    return read


def _sampler(
    pos: StockLevels | None, erp: StockLevels | None, pos_prices: PriceRead | None = None
) -> Sampler:
    return Sampler(
        clock=RunClock(wall_origin=0.0, speed=60.0),
        every_t=60.0,
        stores=["S0001"],
        pos_stock=_read(pos),
        erp_stock=_read(erp),
        pos_prices=pos_prices,
        connector_url=None,
    )


def _once(sampler: Sampler) -> Sample:
    async def go() -> Sample:
        async with httpx.AsyncClient() as client:
            return await sampler.sample_once(client)

    return asyncio.run(go())


def test_drift_is_erp_minus_pos_over_the_stores_asked_for() -> None:
    pos = {("S0001", "A"): 5.0, ("S0001", "B"): 2.0}
    erp = {("S0001", "A"): 7.0, ("S0001", "B"): 2.0, ("S0009", "A"): 40.0}
    sampler = _sampler(pos, erp)

    sample = _once(sampler)

    assert (sample.drift_units, sample.pairs_off) == (2.0, 1)
    assert not sample.converged
    assert [(r["sku"], r["pos_qty"], r["erp_qty"]) for r in sampler.stock_rows] == [
        ("A", 5.0, 7.0),
        ("B", 2.0, 2.0),
    ]
    assert sampler.interval == 1.0


def test_a_side_that_cannot_be_read_gives_nulls() -> None:
    sampler = _sampler({("S0001", "A"): 5.0}, None)

    sample = _once(sampler)

    assert (sample.pos_ok, sample.erp_ok) == (True, False)
    assert sample.drift_units is None
    assert sampler.stock_rows[0]["erp_qty"] is None


def test_a_price_change_is_followed_until_the_pos_shows_it() -> None:
    shown: list[dict[str, int] | None] = [{"A": 100}, None, {"A": 120}]

    async def prices(_client: httpx.AsyncClient) -> dict[str, int] | None:
        return shown.pop(0)

    stock = {("S0001", "A"): 1.0}
    sampler = _sampler(stock, stock, pos_prices=prices)
    sampler.watch_price("A", kind="price_change", unit_price_minor=120, wall=30.0)

    assert _once(sampler).prices_pending == 1
    assert _once(sampler).prices_pending == 1
    assert _once(sampler).prices_pending == 0
    (row,) = sampler.price_sync_rows()
    assert row["erp_t"] == 1800.0
    assert row["pos_t"] is not None
    assert row["pos_t"] >= row["erp_t"]

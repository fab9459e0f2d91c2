"""The sampler's reads of a Square POS: inventory counts paged by cursor and mapped to SKUs
through the catalogue's variations, the catalogue's prices, and None when the POS fails."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from tillbench.live.targets.square.reads import SquareReads

Handler = Callable[[httpx.Request], httpx.Response]


def _variation(object_id: str, sku: str, price: int) -> dict[str, Any]:
    return {
        "id": object_id,
        "item_variation_data": {"sku": sku, "price_money": {"amount": price}},
    }


class _Square:
    """Two pages of counts and one of variations; ``fail`` answers 503 to everything."""

    def __init__(self) -> None:
        self.fail = False
        self.catalog_reads = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer tb"
        if self.fail:
            return httpx.Response(503, json={"errors": []})
        if request.url.path == "/v2/catalog/list":
            self.catalog_reads += 1
            objects = [_variation("V1", "A", 250), _variation("V2", "B", 99)]
            return httpx.Response(200, json={"objects": objects})
        body = request.read()
        if b'"cursor"' not in body:
            counts = [{"catalog_object_id": "V1", "location_id": "S0001", "quantity": "5"}]
            return httpx.Response(200, json={"counts": counts, "cursor": "next"})
        counts = [
            {"catalog_object_id": "V2", "location_id": "S0001", "quantity": "2"},
            {"catalog_object_id": "V9", "location_id": "S0001", "quantity": "7"},
        ]
        return httpx.Response(200, json={"counts": counts})


def _run(handler: Handler, call: Callable[[httpx.AsyncClient], Any]) -> Any:
    async def go() -> Any:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await call(client)

    return asyncio.run(go())


def test_counts_are_paged_and_mapped_to_skus_loading_the_catalogue_once() -> None:
    square = _Square()
    reads = SquareReads("http://pos/", token="tb")

    first = _run(square, lambda client: reads.stock(client, ["S0001"]))
    again = _run(square, lambda client: reads.stock(client, ["S0001"]))

    assert first == again == {("S0001", "A"): 5.0, ("S0001", "B"): 2.0}
    assert square.catalog_reads == 2, "V9 is unknown: the catalogue is read again, once a round"


def test_prices_are_the_catalogues_by_sku() -> None:
    reads = SquareReads("http://pos", token="tb")

    assert _run(_Square(), reads.prices) == {"A": 250, "B": 99}


def test_a_pos_that_cannot_be_read_gives_none() -> None:
    square = _Square()
    square.fail = True
    reads = SquareReads("http://pos", token="tb")

    assert _run(square, lambda client: reads.stock(client, ["S0001"])) is None
    assert _run(square, reads.prices) is None

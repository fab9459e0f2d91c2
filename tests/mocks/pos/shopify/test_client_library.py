"""Shopify's own Python client (ShopifyAPI from PyPI, `shopify.GraphQL`) pointed at the mock
unchanged: a Session on the mock's host and port over plain HTTP.

The library keeps only the first label of the shop's host name and appends
`Session.myshopify_domain`; with ``myshopify_domain = "0.0.1"`` the shop "127" becomes
127.0.0.1, which needs no name resolution (``*.localhost`` does not resolve everywhere).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.mocks.pos.shopify.support import TOKEN, VERSION, Shop, make_settings, sale, serve

shopify = pytest.importorskip("shopify")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Shop]:
    with serve(make_settings(tmp_path)) as shop:
        port = urlparse(shop.base).port
        saved = (shopify.Session.protocol, shopify.Session.myshopify_domain, shopify.Session.port)
        shopify.Session.setup(protocol="http", myshopify_domain="0.0.1", port=port)
        try:
            active = shopify.Session("127.0.0.1", VERSION, TOKEN)
            shopify.ShopifyResource.activate_session(active)
            yield shop
        finally:
            shopify.ShopifyResource.clear_session()
            shopify.Session.protocol, shopify.Session.myshopify_domain, shopify.Session.port = saved


def test_graphql_client_reads_orders_and_inventory_and_writes_stock(session: Shop) -> None:
    session.count("S1", "SKU1", "10")
    session.ingest(sale("T1"))
    client = shopify.GraphQL()
    assert client.endpoint == f"{session.base}/admin/api/{VERSION}/graphql.json"
    orders = json.loads(
        client.execute(
            "query Recent($q: String) { orders(first: 10, query: $q) { edges { node { id name "
            "lineItems(first: 5) { nodes { sku quantity } } } } pageInfo { hasNextPage } } }",
            variables={"q": "updated_at:>2020-01-01T00:00:00Z"},
            operation_name="Recent",
        )
    )
    node = orders["data"]["orders"]["edges"][0]["node"]
    assert node["name"] == "#T1"
    assert node["lineItems"]["nodes"] == [{"sku": "SKU1", "quantity": 2}]
    assert orders["extensions"]["cost"]["throttleStatus"]["maximumAvailable"] == 1000.0
    variant = json.loads(
        client.execute(
            '{ productVariants(first: 1, query: "sku:SKU1") { nodes { inventoryItem { id } } } }'
        )
    )["data"]["productVariants"]["nodes"][0]
    item = variant["inventoryItem"]["id"]
    changed = json.loads(
        client.execute(
            "mutation($i: ID!) { inventoryAdjustQuantities(input: "
            '{reason: "received", name: "available", '
            'changes: [{delta: 4, inventoryItemId: $i, locationId: "gid://shopify/Location/S1"}]}) '
            '@idempotent(key: "lib-1") '
            "{ inventoryAdjustmentGroup { changes { quantityAfterChange } } "
            "userErrors { code } } }",
            variables={"i": item},
        )
    )
    group = changed["data"]["inventoryAdjustQuantities"]["inventoryAdjustmentGroup"]
    assert group["changes"] == [{"quantityAfterChange": 12}]  # 10 counted, 2 sold, 4 received

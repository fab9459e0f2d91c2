"""`nodes(ids:)` on a real loopback server: the Order or Refund of each id in the order
asked, null for an id naming neither, Shopify's 250-item input cap, and the calculated cost
(one node per id requested, the nodes returned charged)."""

from __future__ import annotations

from pathlib import Path

from tests.mocks.pos.shopify.support import Shop, make_settings, sale, serve

MISSING = "gid://shopify/Order/no-such-order"
RETURN = {
    "kind": "return",
    "txn_id": "R0",
    "store_id": "S1",
    "register_id": "R1",
    "completed_at": "2026-01-01T12:00:00Z",
    "lines": [
        {
            "line_no": 1,
            "sku": "SKU1",
            "name": "Thing",
            "quantity": "1",
            "unit_price": 500,
            "original_txn_id": "T1",
            "original_line_no": 1,
        }
    ],
    "tenders": [{"kind": "card", "amount": 500}],
}


def seeded(shop: Shop) -> dict[str, str]:
    """Sales T1 and T2 and a return from T1: global id per name (#T1, #T2, #R0)."""
    shop.ingest(sale("T1"), sale("T2", sku="SKU2"))
    shop.ingest(RETURN)
    listed = shop.graphql("{ orders(first: 5) { nodes { id name refunds { id } } } }")
    ids = {o["name"]: o["id"] for o in listed["data"]["orders"]["nodes"]}
    for order in listed["data"]["orders"]["nodes"]:
        for refund in order["refunds"]:
            ids["#R0"] = refund["id"]
    assert set(ids) == {"#T1", "#T2", "#R0"}
    return ids


def test_nodes_answer_each_id_in_order_with_null_for_unknown_ones(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path)) as shop:
        ids = seeded(shop)
        query = """query($ids: [ID!]!) { nodes(ids: $ids) {
          __typename id
          ... on Order { name lineItems(first: 5) { nodes { sku quantity } } refunds { id } }
          ... on Refund { return { name } order { name } }
        } }"""
        asked = [ids["#T2"], MISSING, ids["#R0"], ids["#T1"], "gid://shopify/Location/S1"]
        answer = shop.graphql(query, {"ids": asked})
        assert "errors" not in answer
        second, missing, refund, first, location = answer["data"]["nodes"]
        assert second == {
            "__typename": "Order",
            "id": ids["#T2"],
            "name": "#T2",
            "lineItems": {"nodes": [{"sku": "SKU2", "quantity": 2}]},
            "refunds": [],
        }
        assert missing is None
        assert location is None
        assert refund == {
            "__typename": "Refund",
            "id": ids["#R0"],
            "return": {"name": "#R0"},
            "order": {"name": "#T1"},
        }
        assert first["name"] == "#T1"
        assert first["refunds"] == [{"id": ids["#R0"]}]
        # the same answer as `order(id:)` gives
        one = shop.graphql(
            "query($i: ID!) { order(id: $i) { name lineItems(first: 5) { nodes { sku } } } }",
            {"i": ids["#T1"]},
        )["data"]["order"]
        assert one["lineItems"]["nodes"] == [{"sku": n["sku"]} for n in first["lineItems"]["nodes"]]


def test_nodes_cost_one_node_per_id_and_charge_the_nodes_returned(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path, bucket_size=50, restore_rate=5)) as shop:
        ids = seeded(shop)
        before = shop.graphql("{ shop { name } }")["extensions"]["cost"]["throttleStatus"]
        query = """query($ids: [ID!]!) { nodes(ids: $ids) { id
          ... on Order { totalPriceSet { shopMoney { amount } } }
          ... on Refund { refundLineItems(first: 10) { nodes { quantity } } }
        } }"""
        answer = shop.graphql(query, {"ids": [ids["#T1"], MISSING, ids["#T2"]]})
        cost = answer["extensions"]["cost"]
        # a node costs 1 plus its most expensive type: a Refund's 2 + 10 line items (12)
        # over an Order's 2; three ids ask for three nodes
        assert cost["requestedQueryCost"] == 3 * (1 + 12)
        # two orders came back, each 1 + 2 (the Refund fragment selects nothing on them)
        assert cost["actualQueryCost"] == 2 * (1 + 2)
        spent = before["currentlyAvailable"] - cost["throttleStatus"]["currentlyAvailable"]
        assert spent == 6.0
        literal = shop.graphql(f'{{ nodes(ids: ["{ids["#R0"]}"]) {{ id }} }}')
        assert literal["extensions"]["cost"]["requestedQueryCost"] == 1
        assert literal["extensions"]["cost"]["actualQueryCost"] == 1


def test_more_than_250_ids_is_max_input_size_exceeded(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path, bucket_size=1000, restore_rate=50)) as shop:
        query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
        most = [f"gid://shopify/Order/x{i}" for i in range(250)]
        allowed = shop.graphql(query, {"ids": most})
        assert allowed["data"]["nodes"] == [None] * 250
        assert allowed["extensions"]["cost"]["requestedQueryCost"] == 250
        assert allowed["extensions"]["cost"]["actualQueryCost"] == 0
        refused = shop.graphql(query, {"ids": [*most, "gid://shopify/Order/x250"]})
        assert refused["data"] is None
        (error,) = refused["errors"]
        assert error["extensions"]["code"] == "MAX_INPUT_SIZE_EXCEEDED"
        assert "251" in error["message"]
        assert "250" in error["message"]
        assert error["path"] == ["nodes"]

"""The Admin GraphQL endpoint on a real loopback server, checked against Shopify's pages:
"GraphQL Admin API rate limits" (calculated cost, leaky bucket, THROTTLED), the search
syntax, Relay paging, inventory compare-and-set and the @idempotent directive."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.mocks.pos.shopify.support import TOKEN, Shop, make_settings, sale, serve

NO_OP = (
    'mutation { webhookSubscriptionDelete(id: "gid://shopify/WebhookSubscription/none") '
    "{ userErrors { message } } }"
)


@pytest.fixture
def shop(tmp_path: Path) -> Shop:
    with serve(make_settings(tmp_path, bucket_size=50, restore_rate=5)) as running:
        yield running


def cost(answer: dict) -> dict:
    return answer["extensions"]["cost"]


def test_bucket_drained_to_empty_then_throttled_then_restored(shop: Shop) -> None:
    # each mutation costs 10 (requested and actual): 50 points pay for five
    for left in (40.0, 30.0, 20.0, 10.0, 0.0):
        answer = shop.graphql(NO_OP)
        assert cost(answer)["requestedQueryCost"] == 10
        assert cost(answer)["actualQueryCost"] == 10
        assert cost(answer)["throttleStatus"] == {
            "maximumAvailable": 50.0,
            "currentlyAvailable": left,
            "restoreRate": 5.0,
        }
    throttled = shop.graphql(NO_OP)
    assert "data" not in throttled
    assert throttled["errors"] == [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]
    assert cost(throttled)["actualQueryCost"] is None
    assert cost(throttled)["throttleStatus"]["currentlyAvailable"] == 0.0
    shop.clock.advance(1.0)  # 5 points back: still not enough for 10
    again = shop.graphql(NO_OP)
    assert again["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert cost(again)["throttleStatus"]["currentlyAvailable"] == 5.0
    shop.clock.advance(1.0)
    admitted = shop.graphql(NO_OP)
    assert "errors" not in admitted
    assert cost(admitted)["throttleStatus"]["currentlyAvailable"] == 0.0
    shop.clock.advance(60.0)  # never above the bucket size
    full = shop.graphql("{ shop { name } }")
    assert cost(full)["requestedQueryCost"] == 1
    assert cost(full)["throttleStatus"]["currentlyAvailable"] == 49.0


def test_requested_cost_is_charged_and_the_unused_part_given_back(shop: Shop) -> None:
    shop.ingest(sale("T1"))
    answer = shop.graphql("{ orders(first: 20) { nodes { id retailLocation { id } } } }")
    # 2 + 20 × (order 1 + location 1) requested; 2 + 1 × 2 actually returned
    assert cost(answer)["requestedQueryCost"] == 42
    assert cost(answer)["actualQueryCost"] == 4
    assert cost(answer)["throttleStatus"]["currentlyAvailable"] == 46.0
    big = shop.graphql("{ orders(first: 25) { nodes { id retailLocation { id } } } }")
    assert big["errors"][0]["extensions"]["code"] == "THROTTLED"  # 52 > 46
    assert "data" not in big


def test_single_query_over_the_cap_is_refused(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path)) as shop:
        answer = shop.graphql(
            "{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { sku } } } } }"
        )
        assert "data" not in answer
        assert answer["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
        assert cost(answer)["requestedQueryCost"] == 2 + 250 * (1 + 2 + 250)
        assert cost(answer)["throttleStatus"] == {
            "maximumAvailable": 1000.0,  # standard plan preset
            "currentlyAvailable": 1000.0,
            "restoreRate": 100.0,
        }


def test_access_token_is_required(shop: Shop) -> None:
    for headers in ({}, {"X-Shopify-Access-Token": "wrong"}):
        response = shop.client.post(
            shop.endpoint, json={"query": "{ shop { name } }"}, headers=headers
        )
        assert response.status_code == 401
        assert "Invalid API key or access token" in response.json()["errors"]
    ok = shop.client.post(
        shop.endpoint,
        json={"query": "{ shop { name } }"},
        headers={"X-Shopify-Access-Token": TOKEN},
    )
    assert ok.json()["data"]["shop"]["name"]


def test_invalid_documents_answer_errors_naming_the_problem(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path)) as shop:
        unknown = shop.graphql("{ nope }")
        assert "Cannot query field 'nope'" in unknown["errors"][0]["message"]
        no_size = shop.graphql("{ orders { nodes { id } } }")
        assert no_size["errors"][0]["message"] == "you must provide one of first or last"
        too_big = shop.graphql("{ orders(first: 251) { nodes { id } } }")
        assert "251" in too_big["errors"][0]["message"]
        search = shop.graphql('{ orders(first: 1, query: "colour:red") { nodes { id } } }')
        assert "colour:red" in search["errors"][0]["message"]
        bad_body = shop.client.post(
            shop.endpoint, content=b"{", headers={"X-Shopify-Access-Token": TOKEN}
        )
        assert bad_body.status_code == 400


ORDERS = """query($after: String, $q: String) {
  orders(first: 2, after: $after, query: $q, sortKey: CREATED_AT) {
    edges { cursor node { id name sourceName closed displayFinancialStatus
      retailLocation { id name }
      totalPriceSet { shopMoney { amount currencyCode } }
      lineItems(first: 5) { nodes { sku quantity originalUnitPriceSet { shopMoney { amount } }
        totalDiscountSet { shopMoney { amount } }
        taxLines { ratePercentage priceSet { shopMoney { amount } } } } }
      transactions { kind status amountSet { shopMoney { amount } } }
      refunds { totalRefundedSet { shopMoney { amount } }
        refundLineItems(first: 5) {
          nodes { quantity lineItem { sku } totalTaxSet { shopMoney { amount } } } } } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def test_orders_page_by_cursor_and_filter_by_updated_at(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path)) as shop:
        shop.ingest(*(sale(f"T{i}", at=f"2026-01-01T1{i}:00:00Z") for i in range(3)))
        returned = {
            "kind": "return",
            "txn_id": "R0",
            "store_id": "S1",
            "register_id": "R1",
            "completed_at": "2026-01-01T15:00:00Z",
            "lines": [
                {
                    "line_no": 1,
                    "sku": "SKU1",
                    "name": "Thing",
                    "quantity": "1",
                    "unit_price": 500,
                    "discount": 50,
                    "tax": 36,
                    "tax_rate": "0.08",
                    "original_txn_id": "T0",
                    "original_line_no": 1,
                }
            ],
            "tenders": [{"kind": "card", "amount": 486}],
        }
        shop.ingest(returned)
        first = shop.graphql(ORDERS)["data"]["orders"]
        assert [e["node"]["name"] for e in first["edges"]] == ["#T0", "#T1"]
        assert first["pageInfo"]["hasNextPage"] is True
        node = first["edges"][0]["node"]
        assert node["sourceName"] == "pos"
        assert node["closed"] is True
        assert node["displayFinancialStatus"] == "PAID"
        assert node["retailLocation"]["id"] == "gid://shopify/Location/S1"
        assert node["totalPriceSet"]["shopMoney"] == {"amount": "9.72", "currencyCode": "USD"}
        line = node["lineItems"]["nodes"][0]
        assert line["sku"] == "SKU1"
        assert line["quantity"] == 2
        assert line["taxLines"][0]["priceSet"]["shopMoney"]["amount"] == "0.72"
        assert node["transactions"][0]["amountSet"]["shopMoney"]["amount"] == "9.72"
        refund = node["refunds"][0]
        assert refund["totalRefundedSet"]["shopMoney"]["amount"] == "4.86"
        assert refund["refundLineItems"]["nodes"][0]["quantity"] == 1
        second = shop.graphql(ORDERS, {"after": first["pageInfo"]["endCursor"]})["data"]["orders"]
        assert [e["node"]["name"] for e in second["edges"]] == ["#T2"]  # the return is a refund
        assert second["pageInfo"]["hasNextPage"] is False
        stamp = "2100-01-01T00:00:00Z"
        none = shop.graphql(ORDERS, {"q": f"updated_at:>'{stamp}'"})["data"]["orders"]
        assert none["edges"] == []
        one = shop.graphql('{{ order(id: "{}") {{ name }} }}'.format(node["id"]))
        assert one["data"]["order"]["name"] == "#T0"


def _item(shop: Shop) -> str:
    variants = shop.graphql(
        '{ productVariants(first: 5, query: "sku:SKU1") { nodes { sku inventoryItem { id } } } }'
    )["data"]["productVariants"]["nodes"]
    assert [v["sku"] for v in variants] == ["SKU1"]
    return str(variants[0]["inventoryItem"]["id"])


LEVEL = (
    '{ inventoryItem(id: "%s") { inventoryLevel(locationId: "gid://shopify/Location/S1") '
    '{ quantities(names: ["available"]) { quantity } } } }'
)
SET = """mutation($q: [InventoryQuantityInput!]!) {
  inventorySetQuantities(input: {reason: "correction", name: "available", quantities: $q}) {
    inventoryAdjustmentGroup { changes { delta quantityAfterChange } }
    userErrors { field code message }
  }
}"""
ADJUST = """mutation($c: [InventoryChangeInput!]!, $k: String!) {
  inventoryAdjustQuantities(input: {reason: "received", name: "available", changes: $c})
      @idempotent(key: $k) {
    inventoryAdjustmentGroup { changes { delta quantityAfterChange } }
    userErrors { field code message }
  }
}"""


def test_inventory_set_is_compare_and_set_and_adjust_is_idempotent(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path)) as shop:
        shop.count("S1", "SKU1", "10")
        item = _item(shop)
        where = {"inventoryItemId": item, "locationId": "gid://shopify/Location/S1"}

        def available() -> int:
            level = shop.graphql(LEVEL % item)["data"]["inventoryItem"]["inventoryLevel"]
            return int(level["quantities"][0]["quantity"])

        stale = shop.graphql(SET, {"q": [{**where, "quantity": 4, "compareQuantity": 9}]})
        errors = stale["data"]["inventorySetQuantities"]["userErrors"]
        assert errors[0]["code"] == "COMPARE_QUANTITY_STALE"
        assert errors[0]["field"] == ["input", "quantities", "0", "compareQuantity"]
        missing = shop.graphql(SET, {"q": [{**where, "quantity": 4}]})
        assert (
            missing["data"]["inventorySetQuantities"]["userErrors"][0]["code"]
            == "COMPARE_QUANTITY_REQUIRED"
        )
        changed = shop.graphql(SET, {"q": [{**where, "quantity": 4, "changeFromQuantity": 7}]})
        assert (
            changed["data"]["inventorySetQuantities"]["userErrors"][0]["code"]
            == "CHANGE_FROM_QUANTITY_STALE"
        )
        assert available() == 10
        done = shop.graphql(SET, {"q": [{**where, "quantity": 4, "compareQuantity": 10}]})
        assert done["data"]["inventorySetQuantities"]["inventoryAdjustmentGroup"]["changes"] == [
            {"delta": -6, "quantityAfterChange": 4}
        ]
        assert available() == 4
        first = shop.graphql(ADJUST, {"c": [{**where, "delta": 3}], "k": "key-1"})
        replay = shop.graphql(ADJUST, {"c": [{**where, "delta": 3}], "k": "key-1"})
        assert replay["data"] == first["data"]
        assert available() == 7  # applied once
        reused = shop.graphql(ADJUST, {"c": [{**where, "delta": 5}], "k": "key-1"})
        assert reused["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
        unknown = shop.graphql(
            ADJUST,
            {
                "c": [{**where, "inventoryItemId": "gid://shopify/InventoryItem/x", "delta": 1}],
                "k": "key-2",
            },
        )
        assert (
            unknown["data"]["inventoryAdjustQuantities"]["userErrors"][0]["code"]
            == "INVALID_INVENTORY_ITEM"
        )
        too_many = shop.graphql(ADJUST, {"c": [{**where, "delta": 1}] * 251, "k": "key-3"})
        assert "250" in too_many["errors"][0]["message"]
        assert available() == 7


def test_idempotent_directive_required_from_2026_04(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path, api_version="2026-04")) as shop:
        shop.count("S1", "SKU1", "1")
        item = _item(shop)
        answer = shop.graphql(
            'mutation { inventoryAdjustQuantities(input: {reason: "received", name: "available", '
            f'changes: [{{delta: 1, inventoryItemId: "{item}", '
            'locationId: "gid://shopify/Location/S1"}]}) '
            "{ userErrors { message } } }"
        )
        assert "@idempotent" in answer["errors"][0]["message"]


def test_throttled_status_can_be_429(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path, bucket_size=5, throttled_status=429)) as shop:
        response = shop.client.post(
            shop.endpoint, json={"query": NO_OP}, headers={"X-Shopify-Access-Token": TOKEN}
        )
        assert response.status_code == 429
        assert response.json()["errors"][0]["extensions"]["code"] == "THROTTLED"
        assert isinstance(response, httpx.Response)


def test_a_refund_updates_its_order_and_unlinked_returns_refund_themselves(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path)) as shop:
        shop.ingest(sale("T0"))
        stamp = shop.graphql("{ orders(first: 1) { nodes { updatedAt } } }")["data"]["orders"]
        since = stamp["nodes"][0]["updatedAt"]
        line = {"line_no": 1, "sku": "SKU1", "name": "Thing", "quantity": "1", "unit_price": 500}
        shop.ingest(
            {
                "kind": "return",
                "txn_id": "R0",
                "store_id": "S1",
                "register_id": "R1",
                "completed_at": "2026-01-01T12:00:00Z",
                "lines": [{**line, "original_txn_id": "T0", "original_line_no": 1}],
                "tenders": [{"kind": "card", "amount": 500}],
            },
            {
                "kind": "return",
                "txn_id": "R9",
                "store_id": "S1",
                "register_id": "R1",
                "completed_at": "2026-01-01T12:00:00Z",
                "lines": [line],
                "tenders": [{"kind": "cash", "amount": 500}],
            },
        )
        query = (
            "query($q: String) { orders(first: 5, query: $q) { nodes { name updatedAt "
            "refunds { id return { name } order { name } } } } }"
        )
        changed = shop.graphql(query, {"q": f"updated_at:>'{since}'"})["data"]["orders"]["nodes"]
        by_name = {o["name"]: o for o in changed}
        assert set(by_name) == {"#T0", "#R9"}
        assert by_name["#T0"]["updatedAt"] > since
        assert [r["return"]["name"] for r in by_name["#T0"]["refunds"]] == ["#R0"]
        assert by_name["#R9"]["refunds"][0]["order"]["name"] == "#R9"
        refund_id = by_name["#T0"]["refunds"][0]["id"]
        one = shop.graphql("query($i: ID!) { refund(id: $i) { order { name } } }", {"i": refund_id})
        assert one["data"]["refund"]["order"]["name"] == "#T0"


def test_products_prices_and_customers_are_written(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path)) as shop:
        created = shop.graphql(
            'mutation { productCreate(product: {title: "Tea"}) { product { id '
            "variants(first: 1) { nodes { id price } } } userErrors { message } } }"
        )["data"]["productCreate"]["product"]
        variant = created["variants"]["nodes"][0]
        assert variant["price"] == "0.00"
        update = (
            "mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate("
            "productId: $p, variants: $v) { productVariants { sku price } "
            "userErrors { field code } } }"
        )
        done = shop.graphql(
            update,
            {
                "p": created["id"],
                "v": [{"id": variant["id"], "price": "3.25", "inventoryItem": {"sku": "TEA"}}],
            },
        )["data"]["productVariantsBulkUpdate"]
        assert done["productVariants"] == [{"sku": "TEA", "price": "3.25"}]
        bad = shop.graphql(
            update, {"p": created["id"], "v": [{"id": variant["id"], "price": "1.234"}]}
        )
        assert bad["data"]["productVariantsBulkUpdate"]["userErrors"][0]["field"] == [
            "variants",
            "0",
            "price",
        ]
        customer = (
            'mutation { customerCreate(input: {email: "Ann@Example.com", firstName: "Ann"}) '
            "{ customer { email } userErrors { field message } } }"
        )
        assert shop.graphql(customer)["data"]["customerCreate"]["userErrors"] == []
        again = shop.graphql(customer)["data"]["customerCreate"]["userErrors"]
        assert again[0]["message"] == "Email has already been taken"
        found = shop.graphql(
            '{ customers(first: 5, query: "email:ann@example.com") { nodes { email } } }'
        )
        assert found["data"]["customers"]["nodes"] == [{"email": "Ann@Example.com"}]

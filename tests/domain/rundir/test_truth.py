"""The ground-truth tables of `domain.rundir.truth`: documented and following conventions."""

from __future__ import annotations

import pyarrow as pa
import pytest

from domain.rundir import Producer, Table, truth

NAMES = sorted(t.name for t in truth.TRUTH)


def test_truth_lists_every_table_it_exports() -> None:
    exported = {n for n in truth.__all__ if isinstance(getattr(truth, n), Table)}

    assert exported == {t.name.removeprefix("truth/").upper() for t in truth.TRUTH}
    for table in truth.TRUTH:
        assert table is getattr(truth, table.name.removeprefix("truth/").upper())
        assert table.name.startswith("truth/")
        assert Producer.SIMULATOR in table.producers


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_documented_and_follows_conventions(name: str) -> None:
    schema = next(t for t in truth.TRUTH if t.name == name).schema

    assert schema.metadata is not None
    assert len(schema.metadata[b"doc"]) > 20
    for field in schema:
        if field.name.endswith("_minor"):
            assert field.type == pa.int64(), field.name
        if pa.types.is_timestamp(field.type):
            assert field.type == pa.timestamp("us"), field.name
            assert field.type.tz is None, field.name
        if field.name == "t" or field.name.endswith("_t"):
            assert field.type == pa.float64(), field.name


def test_money_tables_carry_a_currency() -> None:
    assert "currency" in truth.TRANSACTIONS.schema.names
    assert "currency" in truth.CATALOG.schema.names


def test_stock_final_holds_both_ledgers_and_their_flows() -> None:
    assert truth.STOCK_FINAL.schema.names == [
        "store_id",
        "sku",
        "initial",
        "receipts",
        "sold",
        "returned",
        "shrink",
        "physical",
        "pos_book",
    ]


def test_keys_and_amounts_are_never_null_and_references_may_be() -> None:
    transactions = truth.TRANSACTIONS.schema
    assert not transactions.field("txn_id").nullable
    assert not transactions.field("total_minor").nullable
    assert transactions.field("original_txn_id").nullable
    assert transactions.field("customer_id").nullable

"""The run-table schemas of `domain.records`."""

from __future__ import annotations

import pyarrow as pa
import pytest

from domain import records


def test_tables_lists_every_schema() -> None:
    exported = {n for n in records.__all__ if isinstance(getattr(records, n), pa.Schema)}

    assert exported == {n.upper() for n in records.TABLES}
    for name, schema in records.TABLES.items():
        assert schema is getattr(records, name.upper())


@pytest.mark.parametrize("name", sorted(records.TABLES))
def test_schema_is_documented_and_follows_conventions(name: str) -> None:
    schema = records.TABLES[name]

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
    assert "currency" in records.TRANSACTIONS.names
    assert "currency" in records.CATALOG.names


def test_stock_final_holds_both_ledgers_and_their_flows() -> None:
    assert records.STOCK_FINAL.names == [
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

"""Producers write through the contract: `conform`, `write_table`, `TableWriter`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from domain.rundir import ContractError, TableWriter, conform, truth, write_table

ITEM = {"sku": "A-1", "unit_price_minor": 199, "name": "Apple"}


def test_rows_are_written_in_the_contract_order_and_types(tmp_path: Path) -> None:
    path = write_table(
        tmp_path, "erp/items", [{"name": "Apple", "unit_price_minor": 199, "sku": "A"}]
    )

    assert path == tmp_path / "erp" / "items.parquet"
    table = pq.read_table(path)
    assert table.schema.names == ["sku", "unit_price_minor", "name"]
    assert table.schema.field("unit_price_minor").type == pa.int64()
    assert table.to_pylist() == [{"sku": "A", "unit_price_minor": 199, "name": "Apple"}]
    assert table.schema.metadata[b"doc"].startswith(b"One row per ERP item")


def test_a_missing_key_in_a_row_is_null(tmp_path: Path) -> None:
    write_table(tmp_path, "erp/items", [ITEM, {"sku": "B-2"}])

    assert pq.read_table(tmp_path / "erp/items.parquet").column("name").to_pylist() == [
        "Apple",
        None,
    ]


def test_no_rows_write_an_empty_table_with_every_required_column(tmp_path: Path) -> None:
    write_table(tmp_path, "erp/documents", [])

    schema = pq.read_schema(tmp_path / "erp/documents.parquet")
    assert "committed_t" in schema.names
    assert "number" not in schema.names, "an optional column nobody wrote"


def test_optional_columns_are_written_when_a_row_has_them() -> None:
    rows = [{"document_id": "d1", "number": "INV-1"}, {"document_id": "d2"}]

    table = conform("erp/documents", rows)

    assert table.column("number").to_pylist() == ["INV-1", None]
    assert "tender_kinds" not in table.schema.names


def test_an_unknown_column_is_refused_with_table_and_column() -> None:
    with pytest.raises(ContractError, match=r"^erp/items: column colour is not in the contract"):
        conform("erp/items", [{**ITEM, "colour": "red"}])
    with pytest.raises(ContractError) as caught:
        conform("erp/items", {"sku": ["A"], "unit_price_minor": [1], "name": ["x"], "x": [1]})
    assert caught.value.column == "x"


def test_a_missing_required_column_is_refused() -> None:
    with pytest.raises(ContractError, match=r"^erp/items: column name is missing$"):
        conform("erp/items", {"sku": ["A"], "unit_price_minor": [1]})


def test_a_value_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(ContractError, match=r"erp/items: column unit_price_minor: a value is not"):
        conform("erp/items", [{**ITEM, "unit_price_minor": "cheap"}])
    with pytest.raises(
        ContractError, match=r"column unit_price_minor is string, expected an integer \(int64\)"
    ):
        conform("erp/items", {"sku": ["A"], "unit_price_minor": ["1"], "name": ["x"]})


def test_integers_are_cast_to_the_contract_width_and_to_floats() -> None:
    table = conform(
        "samples/connector",
        {
            "t": np.array([0.0, 60.0]),
            "wall": pa.nulls(2),
            "backlog": np.array([3, 0], dtype=np.int64),
            "posted": np.array([1, 4], dtype=np.int64),
            "retries": [0, 0],
            "dead_letters": [0, 0],
        },
    )

    assert table.schema.field("backlog").type == pa.float64()
    assert table.column("posted").to_pylist() == [1.0, 4.0]
    assert table.schema.field("wall").type == pa.float64()
    assert "erp_calls" not in table.schema.names


def test_a_cast_that_would_lose_data_is_refused() -> None:
    journal = {
        name: [None]
        for name in ("id", "ts", "worker", "credential", "method", "path", "document_id")
    }
    journal |= {"status": np.array([70_000], dtype=np.int64), "latency_ms": [1.0]}
    with pytest.raises(ContractError, match=r"column status cannot be written as int16"):
        conform("erp/journal", journal)


def test_floats_are_not_silently_truncated_to_integers() -> None:
    with pytest.raises(ContractError, match=r"column unit_price_minor is double, expected"):
        conform("erp/items", {"sku": ["A"], "unit_price_minor": [1.5], "name": ["x"]})


def test_a_string_column_may_stay_dictionary_encoded() -> None:
    kind = pa.DictionaryArray.from_arrays(pa.array([0, 0], pa.int32()), pa.array(["invoice"]))
    columns = {c.name: pa.nulls(2, c.type) for c in truth.TRANSACTIONS.columns[:0]}
    table = conform(
        "erp/documents",
        {
            "document_id": ["d1", "d2"],
            "kind": kind,
            "external_document_number": ["t1", "t2"],
            "store_id": ["S1", "S1"],
            "status": ["posted", "posted"],
            "total_minor": [100, 200],
            "tax_minor": [7, 14],
            "currency": ["USD", "USD"],
            "created_wall": pa.nulls(2),
            "committed_t": [1.0, 2.0],
            **columns,
        },
    )

    assert pa.types.is_dictionary(table.schema.field("kind").type)
    assert table.schema.field("store_id").type == pa.string()


def test_a_dictionary_column_is_encoded_and_nulls_refused_where_never_null() -> None:
    columns = {
        "register_id": ["S1-R01"],
        "store_id": ["S1"],
        "kind": ["staffed"],
    }
    table = conform("truth/registers", columns)
    assert table.schema == truth.REGISTERS.schema
    with pytest.raises(ContractError, match=r"truth/registers: column kind holds 1 null"):
        conform("truth/registers", {**columns, "kind": [None]})


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ContractError, match=r"columns differ in length: \[1, 2\]"):
        conform("erp/items", {"sku": ["A", "B"], "unit_price_minor": [1], "name": ["x", "y"]})


def test_an_unknown_table_is_named() -> None:
    with pytest.raises(ContractError, match=r"^erp/invoices: not a table of the run-directory"):
        conform("erp/invoices", [])


def test_table_writer_appends_row_groups(tmp_path: Path) -> None:
    chunk = {"register_id": ["S1-R01"], "store_id": ["S1"], "kind": ["staffed"]}
    with TableWriter(tmp_path, "truth/registers", compression="snappy") as writer:
        writer.write(chunk)
        writer.write({**chunk, "register_id": ["S1-K01"], "kind": ["self_checkout"]})

    file = pq.ParquetFile(tmp_path / "truth/registers.parquet")
    assert file.metadata.num_row_groups == 2
    assert file.read().column("register_id").to_pylist() == ["S1-R01", "S1-K01"]
    assert file.schema_arrow == truth.REGISTERS.schema


def test_table_writer_refuses_a_chunk_with_other_columns(tmp_path: Path) -> None:
    first = [{"sku": "A", "unit_price_minor": 1, "name": "x"}]
    with TableWriter(tmp_path, "erp/items") as writer:
        writer.write(first)
        writer.write(first)
    with TableWriter(tmp_path, "erp/documents") as writer:
        writer.write([{"document_id": "d1", "number": "1"}])
        with pytest.raises(ContractError, match="a chunk's columns differ"):
            writer.write([{"document_id": "d2"}])

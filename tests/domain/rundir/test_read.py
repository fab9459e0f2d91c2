"""Reading back through the contract: `read_table` and `check_schema`."""

from __future__ import annotations

import struct
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from domain.rundir import ContractError, check_schema, read_table, write_table


def _write(run_dir: Path, name: str, table: pa.Table) -> Path:
    file = run_dir / f"{name}.parquet"
    file.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, file)
    return file


def test_a_table_reads_back_as_written(tmp_path: Path) -> None:
    write_table(tmp_path, "erp/items", [{"sku": "A", "unit_price_minor": 1, "name": "x"}])

    table = read_table(tmp_path, "erp/items", ["sku", "unit_price_minor"])

    assert table.to_pylist() == [{"sku": "A", "unit_price_minor": 1}]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match=r"erp/items\.parquet: missing$"):
        read_table(tmp_path, "erp/items")


def test_a_file_that_is_not_parquet_is_named(tmp_path: Path) -> None:
    (tmp_path / "erp").mkdir()
    (tmp_path / "erp/items.parquet").write_text("not parquet")

    with pytest.raises(ContractError, match=r"erp/items\.parquet: cannot read it as Parquet"):
        read_table(tmp_path, "erp/items")


def test_a_corrupt_file_is_one_line_that_never_quotes_its_bytes(tmp_path: Path) -> None:
    write_table(tmp_path, "erp/items", [{"sku": "A", "unit_price_minor": 1, "name": "x"}])
    file = tmp_path / "erp/items.parquet"
    footer = b"\x1e" * 16 + b"SECRET"  # Arrow: "don't know what type: \x0e\n"
    file.write_bytes(file.read_bytes()[:-8] + footer + struct.pack("<i", len(footer)) + b"PAR1")

    with pytest.raises(ContractError) as caught:
        read_table(tmp_path, "erp/items")

    message = str(caught.value)
    assert message.startswith(f"{file}: cannot read it as Parquet (")
    assert message.endswith(
        "): the file is corrupt or not a table; write the run again or restore the file"
    )
    assert message.isprintable()
    assert "SECRET" not in message


def test_a_needed_column_that_is_missing_is_named(tmp_path: Path) -> None:
    file = _write(tmp_path, "erp/items", pa.table({"sku": ["A"]}))

    with pytest.raises(ContractError) as caught:
        read_table(tmp_path, "erp/items", needed=["unit_price_minor"])

    assert str(caught.value) == (
        f"{file}: column unit_price_minor is missing; docs/run-tables.md lists the columns "
        "of each table"
    )
    assert caught.value.column == "unit_price_minor"


def test_absent_columns_asked_for_are_left_out(tmp_path: Path) -> None:
    _write(tmp_path, "erp/items", pa.table({"sku": ["A"]}))

    assert read_table(tmp_path, "erp/items", ["sku", "name"]).column_names == ["sku"]


def test_a_column_of_the_wrong_kind_is_named(tmp_path: Path) -> None:
    file = _write(tmp_path, "samples/stock", pa.table({"t": ["noon"], "sku": ["A"]}))

    with pytest.raises(ContractError) as caught:
        read_table(tmp_path, "samples/stock")

    assert str(caught.value).startswith(f"{file}: column t is string, expected a number (double);")
    assert read_table(tmp_path, "samples/stock", ["sku"]).num_rows == 1, "t not read, not checked"
    assert read_table(tmp_path, "samples/stock", check=False).num_rows == 1


def test_other_types_of_the_same_kind_read(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": pa.array([1], pa.int64()),  # a fault id written as a number
            "start_t": pa.array([60], pa.int32()),
            "end_t": pa.array([None], pa.null()),
            "kind": pa.array(["outage"]).dictionary_encode(),
            "target": pa.array(["erp"], pa.large_string()),
        }
    )
    _write(tmp_path, "faults", table)

    assert read_table(tmp_path, "faults").num_rows == 1


def test_integers_read_as_floats_and_floats_as_integers(tmp_path: Path) -> None:
    _write(tmp_path, "erp/items", pa.table({"unit_price_minor": pa.array([1.0, None])}))
    _write(tmp_path, "samples/drift", pa.table({"t": pa.array([1], pa.int64())}))

    assert read_table(tmp_path, "erp/items").num_rows == 2
    assert read_table(tmp_path, "samples/drift").num_rows == 1


def test_unknown_tables_and_columns_read_unchecked(tmp_path: Path) -> None:
    _write(tmp_path, "samples/extra", pa.table({"t": ["noon"]}))
    _write(tmp_path, "erp/items", pa.table({"sku": ["A"], "colour": [3]}))

    assert read_table(tmp_path, "samples/extra").num_rows == 1
    assert read_table(tmp_path, "erp/items").column_names == ["sku", "colour"]


def test_string_columns_read_dictionary_encoded_on_request(tmp_path: Path) -> None:
    write_table(tmp_path, "erp/items", [{"sku": "A", "unit_price_minor": 1, "name": "x"}])

    table = read_table(tmp_path, "erp/items", dictionary=["sku", "missing"])

    assert pa.types.is_dictionary(table.schema.field("sku").type)
    assert table.schema.field("name").type == pa.string()


def test_check_schema_names_where_and_accepts_a_subset() -> None:
    schema = pa.schema([("committed_t", pa.string()), ("document_id", pa.string())])

    check_schema("erp/documents", schema, columns=["document_id"])
    with pytest.raises(ContractError, match=r"^runs/x/documents: column committed_t is string"):
        check_schema("erp/documents", schema, where="runs/x/documents")
    with pytest.raises(ContractError, match=r"^erp/documents\.parquet: column kind is missing"):
        check_schema("erp/documents", schema, columns=[], needed=["kind"])

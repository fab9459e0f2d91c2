"""`TABLES`: every table once, by the name of its file; who writes it; what verify needs."""

from __future__ import annotations

import pyarrow as pa
import pytest

from domain.rundir import LIVE_TABLES, REQUIRED, TABLES, ContractError, Need, Producer, table


def test_tables_are_named_by_their_file() -> None:
    for name, spec in TABLES.items():
        assert spec.name == name
        assert spec.file == f"{name}.parquet"
        assert len(set(spec.names)) == len(spec.names), name


def test_verification_requires_the_truth_and_the_erp_documents() -> None:
    assert REQUIRED == (
        "truth/transactions",
        "truth/lines",
        "erp/documents",
        "erp/document_lines",
    )
    assert all(TABLES[name].verification is Need.REQUIRED for name in REQUIRED)


def test_live_tables_are_the_harness_columns_of_its_tables() -> None:
    assert set(LIVE_TABLES) == {n for n, t in TABLES.items() if Producer.LIVE in t.producers}
    assert "tender_kinds" not in LIVE_TABLES["erp/documents"].names
    assert "number" in LIVE_TABLES["erp/documents"].names
    assert "pos/journal" not in LIVE_TABLES, "the mocks write their journals"


def test_optional_columns_name_who_writes_them() -> None:
    documents = TABLES["erp/documents"]
    number = documents.column("number")
    assert number is not None
    assert number.optional
    assert documents.column("tender_kinds") is not None
    assert documents.column("colour") is None
    assert "number" not in documents.schema_for(Producer.MODEL).names


def test_the_mocks_journal_is_the_journal_of_the_contract() -> None:
    from mocks.core.journal import JOURNAL_SCHEMA

    for name in ("erp/journal", "pos/journal"):
        mock = Producer.MOCK_ERP if name == "erp/journal" else Producer.MOCK_POS
        expected = TABLES[name].schema_for(mock)
        assert JOURNAL_SCHEMA.names == expected.names
        assert [f.type for f in JOURNAL_SCHEMA] == [f.type for f in expected]


def test_table_looks_a_table_up_or_names_the_unknown_one() -> None:
    assert table("faults") is TABLES["faults"]
    with pytest.raises(ContractError, match=r"^faults/x: not a table"):
        table("faults/x")


def test_schemas_carry_their_description() -> None:
    for spec in TABLES.values():
        assert spec.schema.metadata == {b"doc": spec.description.encode()}
        assert isinstance(spec.schema, pa.Schema)

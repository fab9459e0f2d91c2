"""Tables shared by every mock: the request journal, runtime faults and key/value metadata."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

core_metadata = MetaData()

journal_table = Table(
    "mock_journal",
    core_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ts", Float, nullable=False, index=True),
    Column("worker", Integer, nullable=False),
    Column("credential", String(80)),
    Column("method", String(10), nullable=False),
    Column("path", String(500), nullable=False),
    Column("query", String(1000)),
    Column("status", Integer, nullable=False),
    Column("latency_ms", Float, nullable=False),
    Column("idempotency_key", String(200)),
    Column("body_sha256", String(64)),
    Column("body_bytes", Integer, nullable=False),
    Column("document_id", String(100)),
    Column("ref", String(200)),
    Column("fault", String(200)),
)

faults_table = Table(
    "mock_faults",
    core_metadata,
    Column("id", String(40), primary_key=True),
    Column("spec", Text, nullable=False),
    Column("start", Float, nullable=False),
    Column("end", Float),
)

meta_table = Table(
    "mock_meta",
    core_metadata,
    Column("key", String(80), primary_key=True),
    Column("value", Text, nullable=False),
)

"""Tables of the ERP engine (SQLAlchemy Core). Decimals are integers ×10^5 (``fixed``)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

erp_metadata = MetaData()

items = Table(
    "erp_items",
    erp_metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("type", String(20), nullable=False, default="Inventory"),
    Column("gtin", String(14), nullable=False, default=""),
    Column("unit_price", BigInteger, nullable=False),
    Column("unit_cost", BigInteger, nullable=False, default=0),
    Column("base_unit_of_measure_code", String(10), nullable=False, default="PCS"),
    Column("blocked", Boolean, nullable=False, default=False),
    Column("version", Integer, nullable=False, default=1),
    Column("last_modified", DateTime, nullable=False),
)

locations = Table(
    "erp_locations",
    erp_metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("last_modified", DateTime, nullable=False),
)

customers = Table(
    "erp_customers",
    erp_metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("email", String(80), nullable=False, default=""),
    Column("phone_number", String(30), nullable=False, default=""),
    Column("currency_code", String(10), nullable=False, default=""),
    Column("blocked", String(10), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    Column("last_modified", DateTime, nullable=False),
)

stock = Table(
    "erp_item_stock",
    erp_metadata,
    Column("item_id", String(36), ForeignKey("erp_items.id"), primary_key=True),
    Column("location_code", String(20), primary_key=True),
    Column("quantity", BigInteger, nullable=False),
)

documents = Table(
    "erp_documents",
    erp_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("kind", String(12), nullable=False),
    Column("external_document_number", String(35), nullable=False, default=""),
    Column("document_date", Date, nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("customer_id", String(36), nullable=False),
    Column("currency_code", String(10), nullable=False, default=""),
    Column("prices_include_tax", Boolean, nullable=False, default=False),
    Column("invoice_id", String(36)),
    Column("status", String(12), nullable=False),
    Column("posted_number", String(20)),
    Column("total_excl", BigInteger, nullable=False, default=0),
    Column("total_tax", BigInteger, nullable=False, default=0),
    Column("version", Integer, nullable=False, default=1),
    Column("last_modified", DateTime, nullable=False),
    Index("ix_erp_documents_kind_ext", "kind", "external_document_number"),
    Index("ix_erp_documents_posted_number", "posted_number"),
)
"""``posted_number`` is None while a document is a draft; a draft's number comes from its
``seq`` (see ``model.draft_number``)."""

number_series = Table(
    "erp_number_series",
    erp_metadata,
    Column("code", String(20), primary_key=True),
    Column("last_no", BigInteger, nullable=False),
)
"""Business Central's No. Series: the last number handed out per series code."""

document_lines = Table(
    "erp_document_lines",
    erp_metadata,
    Column("id", String(36), primary_key=True),
    Column("document_id", String(36), ForeignKey("erp_documents.id"), nullable=False, index=True),
    Column("sequence", Integer, nullable=False),
    Column("line_type", String(10), nullable=False, default="Item"),
    Column("item_id", String(36)),
    Column("description", String(100), nullable=False, default=""),
    Column("location_code", String(20), nullable=False, default=""),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
    Column("discount_amount", BigInteger, nullable=False, default=0),
    Column("tax_percent", BigInteger, nullable=False, default=0),
    Column("amount_excl", BigInteger, nullable=False),
    Column("tax_amount", BigInteger, nullable=False),
    Column("version", Integer, nullable=False, default=1),
)

external_numbers = Table(
    "erp_external_numbers",
    erp_metadata,
    Column("kind", String(12), primary_key=True),
    Column("number", String(35), primary_key=True),
    Column("document_id", String(36), nullable=False),
)
"""Claimed external document numbers, when duplicates are rejected (race-free under
several workers thanks to the primary key)."""

item_journals = Table(
    "erp_item_journals",
    erp_metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(10), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    Column("last_modified", DateTime, nullable=False),
)

journal_lines = Table(
    "erp_item_journal_lines",
    erp_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("journal_id", String(36), ForeignKey("erp_item_journals.id"), nullable=False),
    Column("item_id", String(36), nullable=False),
    Column("location_code", String(20), nullable=False, default=""),
    Column("posting_date", Date, nullable=False),
    Column("document_number", String(20), nullable=False, default=""),
    Column("external_document_number", String(35), nullable=False, default=""),
    Column("entry_type", String(20), nullable=False),
    Column("description", String(100), nullable=False, default=""),
    Column("quantity", BigInteger, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("last_modified", DateTime, nullable=False),
    Index("ix_erp_item_journal_lines_journal", "journal_id", "seq"),
)

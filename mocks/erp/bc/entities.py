"""The entity sets of the Business Central dialect as data: each property's API name, EDM
type and SQL expression over the engine's tables, the key, the navigation to lines and the
bound actions.

One description serves ``$filter``, ``$orderby`` and ``$select`` (`mocks.erp.bc.query`) and
the CSDL document (`mocks.erp.bc.metadata`); `tests/mocks/erp/bc/test_entities.py` checks
that it lists exactly the properties `mocks.erp.bc.serialize` writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.sql import ColumnElement

from mocks.erp.engine import tables as t
from mocks.erp.engine.fixed import SCALE
from mocks.erp.engine.numbers import document_number

NULL_GUID = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True, slots=True)
class Prop:
    """One property: its EDM type and the SQL expression giving its value."""

    edm: str
    expr: ColumnElement[Any]
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class EntitySet:
    """An entity set of the API (a collection path segment)."""

    name: str
    """The path segment, e.g. ``salesInvoices``."""
    type_name: str
    """The entity type, e.g. ``salesInvoice``."""
    props: dict[str, Prop]
    base: Callable[[], Select[Any]]
    """The rows (engine columns) the serializer reads, with every table ``props`` uses."""
    order: tuple[ColumnElement[Any], ...]
    """The default order, unique (the last resort of every ``$orderby``)."""
    lines: str | None = None
    """The navigation property holding lines (``$expand``), if any."""
    actions: tuple[str, ...] = ()
    """Bound actions (``Microsoft.NAV.<name>``)."""
    key: str = "id"
    children: dict[str, str] = field(default_factory=dict)
    """Navigation properties: name → entity set of the targets."""


def _fixed(column: ColumnElement[Any]) -> ColumnElement[Any]:
    return column * 1.0 / SCALE


def _string(value: str) -> Prop:
    return Prop("Edm.String", literal(value))


def _items_base() -> Select[Any]:
    return select(t.items)


def _inventory() -> ColumnElement[Any]:
    total = (
        select(func.coalesce(func.sum(t.stock.c.quantity), 0))
        .where(t.stock.c.item_id == t.items.c.id)
        .scalar_subquery()
    )
    return _fixed(total)


ITEMS = EntitySet(
    name="items",
    type_name="item",
    base=_items_base,
    order=(t.items.c.number,),
    props={
        "id": Prop("Edm.Guid", t.items.c.id),
        "number": Prop("Edm.String", t.items.c.number),
        "displayName": Prop("Edm.String", t.items.c.display_name),
        "type": Prop("Edm.String", t.items.c.type),
        "blocked": Prop("Edm.Boolean", t.items.c.blocked),
        "gtin": Prop("Edm.String", t.items.c.gtin),
        "inventory": Prop("Edm.Decimal", _inventory()),
        "unitPrice": Prop("Edm.Decimal", _fixed(t.items.c.unit_price)),
        "priceIncludesTax": Prop("Edm.Boolean", literal(False)),
        "unitCost": Prop("Edm.Decimal", _fixed(t.items.c.unit_cost)),
        "baseUnitOfMeasureCode": Prop("Edm.String", t.items.c.base_unit_of_measure_code),
        "lastModifiedDateTime": Prop("Edm.DateTimeOffset", t.items.c.last_modified),
    },
)

CUSTOMERS = EntitySet(
    name="customers",
    type_name="customer",
    base=lambda: select(t.customers),
    order=(t.customers.c.number,),
    props={
        "id": Prop("Edm.Guid", t.customers.c.id),
        "number": Prop("Edm.String", t.customers.c.number),
        "displayName": Prop("Edm.String", t.customers.c.display_name),
        "type": _string("Person"),
        "email": Prop("Edm.String", t.customers.c.email),
        "phoneNumber": Prop("Edm.String", t.customers.c.phone_number),
        "currencyCode": Prop("Edm.String", t.customers.c.currency_code),
        "blocked": Prop(
            "Edm.String", func.coalesce(func.nullif(t.customers.c.blocked, ""), literal(" "))
        ),
        "lastModifiedDateTime": Prop("Edm.DateTimeOffset", t.customers.c.last_modified),
    },
)

LOCATIONS = EntitySet(
    name="locations",
    type_name="location",
    base=lambda: select(t.locations),
    order=(t.locations.c.code,),
    props={
        "id": Prop("Edm.Guid", t.locations.c.id),
        "code": Prop("Edm.String", t.locations.c.code),
        "displayName": Prop("Edm.String", t.locations.c.display_name),
        "lastModifiedDateTime": Prop("Edm.DateTimeOffset", t.locations.c.last_modified),
    },
)


def _document_base() -> Select[Any]:
    return select(
        t.documents,
        t.customers.c.number.label("customer_number"),
        t.customers.c.display_name.label("customer_name"),
    ).join(t.customers, t.customers.c.id == t.documents.c.customer_id)


def _document_props(date_name: str) -> dict[str, Prop]:
    d = t.documents.c
    return {
        "id": Prop("Edm.Guid", d.id),
        "number": Prop("Edm.String", document_number()),
        "externalDocumentNumber": Prop("Edm.String", d.external_document_number),
        date_name: Prop("Edm.Date", d.document_date),
        "postingDate": Prop("Edm.Date", d.posting_date),
        "dueDate": Prop("Edm.Date", d.due_date),
        "customerId": Prop("Edm.Guid", d.customer_id),
        "customerNumber": Prop("Edm.String", t.customers.c.number),
        "customerName": Prop("Edm.String", t.customers.c.display_name),
        "currencyCode": Prop("Edm.String", d.currency_code),
        "pricesIncludeTax": Prop("Edm.Boolean", d.prices_include_tax),
        "discountAmount": Prop("Edm.Decimal", literal(0.0)),
        "totalAmountExcludingTax": Prop("Edm.Decimal", _fixed(d.total_excl)),
        "totalTaxAmount": Prop("Edm.Decimal", _fixed(d.total_tax)),
        "totalAmountIncludingTax": Prop("Edm.Decimal", _fixed(d.total_excl + d.total_tax)),
        "status": Prop("Edm.String", d.status),
        "lastModifiedDateTime": Prop("Edm.DateTimeOffset", d.last_modified),
    }


def _line_base() -> Select[Any]:
    return (
        select(
            t.document_lines,
            t.items.c.number.label("item_number"),
            t.locations.c.id.label("location_id"),
        )
        .outerjoin(t.items, t.items.c.id == t.document_lines.c.item_id)
        .outerjoin(t.locations, t.locations.c.code == t.document_lines.c.location_code)
    )


def _line_props() -> dict[str, Prop]:
    c = t.document_lines.c
    return {
        "id": Prop("Edm.Guid", c.id),
        "documentId": Prop("Edm.Guid", c.document_id),
        "sequence": Prop("Edm.Int32", c.sequence),
        "itemId": Prop("Edm.Guid", c.item_id, nullable=True),
        "lineType": Prop("Edm.String", c.line_type),
        "lineObjectNumber": Prop("Edm.String", func.coalesce(t.items.c.number, literal(""))),
        "description": Prop("Edm.String", c.description),
        "unitOfMeasureCode": _string("PCS"),
        "quantity": Prop("Edm.Decimal", _fixed(c.quantity)),
        "unitPrice": Prop("Edm.Decimal", _fixed(c.unit_price)),
        "discountAmount": Prop("Edm.Decimal", _fixed(c.discount_amount)),
        "amountExcludingTax": Prop("Edm.Decimal", _fixed(c.amount_excl)),
        "taxCode": _string(""),
        "taxPercent": Prop("Edm.Decimal", _fixed(c.tax_percent)),
        "totalTaxAmount": Prop("Edm.Decimal", _fixed(c.tax_amount)),
        "amountIncludingTax": Prop("Edm.Decimal", _fixed(c.amount_excl + c.tax_amount)),
        "netAmount": Prop("Edm.Decimal", _fixed(c.amount_excl)),
        "locationId": Prop("Edm.Guid", t.locations.c.id, nullable=True),
        "locationCode": Prop("Edm.String", c.location_code),
    }


SALES_INVOICE_LINES = EntitySet(
    name="salesInvoiceLines",
    type_name="salesInvoiceLine",
    base=_line_base,
    order=(t.document_lines.c.sequence, t.document_lines.c.id),
    props=_line_props(),
)
SALES_CREDIT_MEMO_LINES = EntitySet(
    name="salesCreditMemoLines",
    type_name="salesCreditMemoLine",
    base=_line_base,
    order=(t.document_lines.c.sequence, t.document_lines.c.id),
    props=_line_props(),
)

SALES_INVOICES = EntitySet(
    name="salesInvoices",
    type_name="salesInvoice",
    base=_document_base,
    order=(t.documents.c.seq,),
    props=_document_props("invoiceDate"),
    lines="salesInvoiceLines",
    actions=("post",),
    children={"salesInvoiceLines": "salesInvoiceLines"},
)
SALES_CREDIT_MEMOS = EntitySet(
    name="salesCreditMemos",
    type_name="salesCreditMemo",
    base=_document_base,
    order=(t.documents.c.seq,),
    props={
        **_document_props("creditMemoDate"),
        "invoiceId": Prop("Edm.Guid", func.coalesce(t.documents.c.invoice_id, literal(NULL_GUID))),
    },
    lines="salesCreditMemoLines",
    actions=("post",),
    children={"salesCreditMemoLines": "salesCreditMemoLines"},
)

ITEM_JOURNALS = EntitySet(
    name="itemJournals",
    type_name="itemJournal",
    base=lambda: select(t.item_journals),
    order=(t.item_journals.c.code,),
    props={
        "id": Prop("Edm.Guid", t.item_journals.c.id),
        "code": Prop("Edm.String", t.item_journals.c.code),
        "displayName": Prop("Edm.String", t.item_journals.c.display_name),
        "lastModifiedDateTime": Prop("Edm.DateTimeOffset", t.item_journals.c.last_modified),
    },
    children={"journalLines": "journalLines"},
)


def _journal_line_base() -> Select[Any]:
    return select(t.journal_lines, t.items.c.number.label("item_number")).join(
        t.items, t.items.c.id == t.journal_lines.c.item_id
    )


JOURNAL_LINES = EntitySet(
    name="journalLines",
    type_name="journalLine",
    base=_journal_line_base,
    order=(t.journal_lines.c.seq,),
    props={
        "id": Prop("Edm.Guid", t.journal_lines.c.id),
        "journalId": Prop("Edm.Guid", t.journal_lines.c.journal_id),
        "lineNumber": Prop("Edm.Int32", t.journal_lines.c.seq * 10000),
        "itemId": Prop("Edm.Guid", t.journal_lines.c.item_id),
        "itemNumber": Prop("Edm.String", t.items.c.number),
        "locationCode": Prop("Edm.String", t.journal_lines.c.location_code),
        "postingDate": Prop("Edm.Date", t.journal_lines.c.posting_date),
        "documentNumber": Prop("Edm.String", t.journal_lines.c.document_number),
        "externalDocumentNumber": Prop("Edm.String", t.journal_lines.c.external_document_number),
        "entryType": Prop("Edm.String", t.journal_lines.c.entry_type),
        "description": Prop("Edm.String", t.journal_lines.c.description),
        "quantity": Prop("Edm.Decimal", _fixed(t.journal_lines.c.quantity)),
        "lastModifiedDateTime": Prop("Edm.DateTimeOffset", t.journal_lines.c.last_modified),
    },
)


def company_set(company_id: str, name: str) -> EntitySet:
    """``companies``: the one company served, as a row of literals (so the query options
    apply to it as to any other set)."""
    values = {
        "id": company_id,
        "systemVersion": "24.0",
        "name": name,
        "displayName": name,
        "businessProfileId": "",
    }
    row = select(*[literal(v).label(k) for k, v in values.items()]).subquery("companies")
    return EntitySet(
        name="companies",
        type_name="company",
        base=lambda: select(row),
        order=(row.c.id,),
        props={k: Prop("Edm.Guid" if k == "id" else "Edm.String", row.c[k]) for k in values},
        children={s.name: s.name for s in COMPANY_SETS},
    )


COMPANY_SETS = (
    ITEMS,
    CUSTOMERS,
    LOCATIONS,
    SALES_INVOICES,
    SALES_CREDIT_MEMOS,
    ITEM_JOURNALS,
)
"""The sets below a company (lines and journal lines are reached through their parent)."""

ALL_SETS = (
    *COMPANY_SETS,
    SALES_INVOICE_LINES,
    SALES_CREDIT_MEMO_LINES,
    JOURNAL_LINES,
)

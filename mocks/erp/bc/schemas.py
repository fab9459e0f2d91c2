"""Request bodies of the Business Central v2.0 dialect (property names as in Microsoft's
API reference). Unknown properties are rejected, naming them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

Quantity = Annotated[Decimal, Field(gt=0, le=1_000_000_000, decimal_places=5, allow_inf_nan=False)]
SignedQuantity = Annotated[
    Decimal, Field(ge=-1_000_000_000, le=1_000_000_000, decimal_places=5, allow_inf_nan=False)
]
Price = Annotated[Decimal, Field(ge=0, le=1_000_000_000, decimal_places=5, allow_inf_nan=False)]
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=5, allow_inf_nan=False)]
Code10 = Annotated[str, Field(max_length=10)]
Code20 = Annotated[str, Field(min_length=1, max_length=20)]
Text100 = Annotated[str, Field(max_length=100)]
ExtDocNo = Annotated[str, Field(max_length=35)]
HeaderName = Annotated[str, Field(pattern=r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")]
HeaderValue = Annotated[str, Field(pattern=r"^[\t\x20-\x7e\x80-\xff]{0,4000}$")]


class Body(BaseModel):
    """Base of request bodies: strict about unknown properties; ``@odata.etag`` tolerated."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    odata_etag: str | None = Field(default=None, alias="@odata.etag", exclude=True)


class SalesLineIn(Body):
    """A sales invoice or credit memo line (lineType Item)."""

    lineType: Literal["Item"] = "Item"
    itemId: UUID | None = None
    lineObjectNumber: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    description: Text100 | None = None
    locationId: UUID | None = None
    locationCode: Code20 | None = None
    """Mock extension: the location (store) code instead of ``locationId``."""
    quantity: Quantity
    unitPrice: Price | None = None
    discountAmount: Price = Decimal(0)
    taxPercent: Percent = Decimal(0)
    sequence: Annotated[int, Field(ge=1, le=1_000_000_000)] | None = None


class SalesLinePatch(Body):
    """Changeable properties of a line."""

    quantity: Quantity | None = None
    unitPrice: Price | None = None
    discountAmount: Price | None = None
    taxPercent: Percent | None = None
    description: Text100 | None = None


class _DocumentIn(Body):
    externalDocumentNumber: ExtDocNo = ""
    postingDate: date | None = None
    dueDate: date | None = None
    customerId: UUID | None = None
    customerNumber: Code20 | None = None
    currencyCode: Code10 = ""
    pricesIncludeTax: bool = False


class SalesInvoiceIn(_DocumentIn):
    """POST salesInvoices, optionally with its lines (deep insert)."""

    invoiceDate: date | None = None
    salesInvoiceLines: Annotated[list[SalesLineIn], Field(max_length=5000)] = []


class SalesCreditMemoIn(_DocumentIn):
    """POST salesCreditMemos, optionally with its lines (deep insert)."""

    creditMemoDate: date | None = None
    invoiceId: UUID | None = None
    invoiceNumber: Code20 | None = None
    salesCreditMemoLines: Annotated[list[SalesLineIn], Field(max_length=5000)] = []


class DocumentPatch(Body):
    """Changeable header properties of a draft document."""

    externalDocumentNumber: ExtDocNo | None = None
    invoiceDate: date | None = None
    creditMemoDate: date | None = None
    postingDate: date | None = None
    dueDate: date | None = None
    customerId: UUID | None = None
    customerNumber: Code20 | None = None


class ItemIn(Body):
    """POST items (without ``number``, the next of the Item Nos. series)."""

    number: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    displayName: Text100 = ""
    type: Literal["Inventory", "Service", "Non-Inventory"] = "Inventory"
    gtin: Annotated[str, Field(max_length=14)] = ""
    unitPrice: Price = Decimal(0)
    unitCost: Price = Decimal(0)
    blocked: bool = False
    baseUnitOfMeasureCode: Code10 = "PCS"


class ItemPatch(Body):
    """PATCH items."""

    number: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    displayName: Text100 | None = None
    gtin: Annotated[str, Field(max_length=14)] | None = None
    unitPrice: Price | None = None
    unitCost: Price | None = None
    blocked: bool | None = None


class CustomerIn(Body):
    """POST customers (without ``number``, the next of the Customer Nos. series)."""

    number: Code20 | None = None
    displayName: Text100 = ""
    email: Annotated[str, Field(max_length=80)] = ""
    phoneNumber: Annotated[str, Field(max_length=30)] = ""
    currencyCode: Code10 = ""
    blocked: Literal["", " ", "Ship", "Invoice", "All"] = ""


class CustomerPatch(Body):
    """PATCH customers."""

    number: Code20 | None = None
    displayName: Text100 | None = None
    email: Annotated[str, Field(max_length=80)] | None = None
    phoneNumber: Annotated[str, Field(max_length=30)] | None = None
    blocked: Literal["", " ", "Ship", "Invoice", "All"] | None = None


class LocationIn(Body):
    """POST locations."""

    code: Code20
    displayName: Text100 = ""


class LocationPatch(Body):
    """PATCH locations."""

    displayName: Text100 | None = None


class ItemJournalIn(Body):
    """POST itemJournals (a journal batch)."""

    code: Annotated[str, Field(min_length=1, max_length=10)]
    displayName: Text100 = ""


class JournalLineIn(Body):
    """POST itemJournals({id})/journalLines: a stock adjustment, posted at once."""

    itemId: UUID | None = None
    itemNumber: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    locationId: UUID | None = None
    locationCode: Code20 | None = None
    entryType: Literal["Positive Adjmt.", "Negative Adjmt.", "Purchase", "Sale"] | None = None
    quantity: SignedQuantity
    postingDate: date | None = None
    documentNumber: Annotated[str, Field(max_length=20)] = ""
    externalDocumentNumber: ExtDocNo = ""
    description: Text100 = ""


class BatchOperation(BaseModel):
    """One request of a JSON ``$batch``."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=100)]
    method: Literal["GET", "POST", "PATCH", "DELETE", "get", "post", "patch", "delete"]
    url: Annotated[str, Field(min_length=1, max_length=4000)]
    headers: dict[HeaderName, HeaderValue] = {}
    body: Any = None
    atomicityGroup: str | None = None
    dependsOn: list[str] | None = None


class BatchIn(BaseModel):
    """POST $batch."""

    model_config = ConfigDict(extra="forbid")

    requests: Annotated[list[BatchOperation], Field(min_length=1, max_length=1000)]

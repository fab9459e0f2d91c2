"""``salesInvoices`` and ``salesCreditMemos`` with their lines and the post action.

Creating a document (POST with lines, a deep insert) is what connectors do most, and it has
one implementation, ``create_sales_document`` below. Two doors lead to it:

- ``fastpath.py`` serves ``POST …/companies({id})/salesInvoices`` and ``…/salesCreditMemos``
  without a query string below FastAPI's routing (about 40 % of the request cost): it
  parses the path, checks the token and validates the body with the same models, then
  calls ``create_sales_document``. This is what answers almost every document POST.
- the ``create_document`` route of ``build_router`` documents the endpoint in the OpenAPI
  description and serves everything else: ``$batch`` operations (which share the batch's
  connection) and POSTs the fast path does not match.

Either way the document is committed through group commit (or the batch's transaction)
before the 201 goes out.
"""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError
from starlette.responses import Response
from starlette.types import Scope

from mocks.core import ApiError, MockContext, annotate, api_principal, mock_context
from mocks.erp.bc import serialize
from mocks.erp.bc.deps import (
    SHARED_CONNECTION,
    BcState,
    Company,
    IfMatch,
    Page,
    State,
    check_company,
    erp_state,
    json,
    transaction,
)
from mocks.erp.bc.errors import to_api_error
from mocks.erp.bc.odata import FilterField, expected_version, parse_filter
from mocks.erp.bc.schemas import (
    DocumentPatch,
    SalesCreditMemoIn,
    SalesInvoiceIn,
    SalesLineIn,
    SalesLinePatch,
)
from mocks.erp.engine import DocKind, DocumentInput, ErpError, LineInput
from mocks.erp.engine import documents as docs
from mocks.erp.engine import tables as t

BASE = "/api/v2.0/companies({company_id})"

FILTERS = {
    "id": FilterField("id"),
    "number": FilterField("seq", "seq"),
    "externalDocumentNumber": FilterField("external_document_number"),
    "status": FilterField("status"),
    "customerId": FilterField("customer_id"),
    "postingDate": FilterField("posting_date", "date"),
}

_LINE_FIELDS = {
    "quantity": "quantity",
    "unitPrice": "unit_price",
    "discountAmount": "discount_amount",
    "taxPercent": "tax_percent",
    "description": "description",
}
_HEADER_FIELDS = {
    "externalDocumentNumber": "external_document_number",
    "invoiceDate": "document_date",
    "creditMemoDate": "document_date",
    "postingDate": "posting_date",
    "dueDate": "due_date",
    "customerId": "customer_id",
    "customerNumber": "customer_number",
}


def line_input(line: SalesLineIn, where: str) -> LineInput:
    """Engine input for one API line."""
    return LineInput(
        where=where,
        quantity=line.quantity,
        line_type=line.lineType,
        item_id=str(line.itemId) if line.itemId else None,
        item_number=line.lineObjectNumber,
        location_id=str(line.locationId) if line.locationId else None,
        location_code=line.locationCode,
        description=line.description,
        unit_price=line.unitPrice,
        discount_amount=line.discountAmount,
        tax_percent=line.taxPercent,
        sequence=line.sequence,
    )


def document_input(kind: DocKind, body: SalesInvoiceIn | SalesCreditMemoIn) -> DocumentInput:
    """Engine input for a POSTed document (shared by the route and the fast path)."""
    if isinstance(body, SalesInvoiceIn):
        segment, lines, day = "salesInvoiceLines", body.salesInvoiceLines, body.invoiceDate
        invoice_id = invoice_number = None
    else:
        segment, lines, day = "salesCreditMemoLines", body.salesCreditMemoLines, body.creditMemoDate
        invoice_id = str(body.invoiceId) if body.invoiceId else None
        invoice_number = body.invoiceNumber
    return DocumentInput(
        kind=kind,
        external_document_number=body.externalDocumentNumber,
        document_date=day,
        posting_date=body.postingDate,
        due_date=body.dueDate,
        customer_id=str(body.customerId) if body.customerId else None,
        customer_number=body.customerNumber,
        currency_code=body.currencyCode,
        prices_include_tax=body.pricesIncludeTax,
        invoice_id=invoice_id,
        invoice_number=invoice_number,
        lines=[line_input(x, f"{segment}[{i}]") for i, x in enumerate(lines)],
    )


async def create_sales_document(
    ctx: MockContext,
    state: BcState,
    kind: DocKind,
    body: SalesInvoiceIn | SalesCreditMemoIn,
    scope: Scope,
) -> dict[str, Any]:
    """Create (and by default post) one document with its lines; its JSON for the 201.

    Inside a ``$batch`` changeset it joins the batch's transaction; otherwise it goes
    through group commit with its duplicate check and number deferred to the commit and
    its master data prefetched (``docs.master_data``). Engine errors and a busy database
    become ``ApiError``s, so both doors answer alike."""
    doc = document_input(kind, body)
    shared: Connection | None = scope.get(SHARED_CONNECTION)
    try:
        if shared is not None:
            row = docs.create(shared, doc, policy=state.policy)
        else:
            row = await ctx.committer.run(
                lambda conn: docs.create(conn, doc, policy=state.policy, defer_checks=True),
                hint=docs.master_data(doc),
            )
    except ErpError as exc:
        raise to_api_error(exc) from None
    except OperationalError:
        raise ApiError(
            503, "The database is busy; retry after a moment.", headers={"Retry-After": "1"}
        ) from None
    annotate(scope, document_id=row["id"], ref=doc.external_document_number or None)
    return serialize.document(row)


def build_router(kind: DocKind) -> APIRouter:
    """Routes of one document kind."""
    invoice = kind is DocKind.INVOICE
    segment = "salesInvoices" if invoice else "salesCreditMemos"
    lines_segment = "salesInvoiceLines" if invoice else "salesCreditMemoLines"
    body_model: type[Any] = SalesInvoiceIn if invoice else SalesCreditMemoIn
    router = APIRouter(prefix=BASE, tags=[segment], dependencies=[Depends(api_principal)])
    one = f"/{segment}({{document_id}})"

    @router.get(f"/{segment}")
    async def list_documents(_company: Company, paging: Page) -> Response:
        """List documents in number order, paged with @odata.nextLink."""
        with transaction(paging.request) as conn:
            result = docs.list_documents(
                conn,
                kind,
                where=parse_filter(paging.filter, t.documents, FILTERS),
                after=paging.after_int(),
                limit=paging.limit,
                with_lines=lines_segment in paging.expand,
            )
        values = [serialize.document(r) for r in result.rows]
        return json(paging.envelope(values, result.next_after))

    @router.post(f"/{segment}", status_code=201)
    async def create_document(
        request: Request,
        company_id: UUID,
        body: body_model,  # type: ignore[valid-type]
    ) -> Response:
        """Create a document, with its lines when given (deep insert); posts it by default."""
        state = erp_state(request)
        check_company(state, company_id)
        created = await create_sales_document(
            mock_context(request), state, kind, body, request.scope
        )
        return json(created, 201)

    @router.get(one)
    async def get_document(
        request: Request, _company: Company, document_id: UUID, paging: Page
    ) -> Response:
        """Get one document (``$expand`` its lines)."""
        with transaction(request) as conn:
            row = docs.get(conn, kind, str(document_id), lines=lines_segment in paging.expand)
        return json(serialize.document(row))

    @router.patch(one)
    async def patch_document(
        request: Request,
        _company: Company,
        state: State,
        document_id: UUID,
        body: DocumentPatch,
        if_match: IfMatch = None,
    ) -> Response:
        """Change a draft's header; needs If-Match."""
        version = expected_version(if_match, str(document_id))
        raw = body.model_dump(exclude_unset=True, exclude={"odata_etag"})
        changes = {
            _HEADER_FIELDS[k]: (str(v) if isinstance(v, UUID) else v)
            for k, v in raw.items()
            if v is not None
        }
        with transaction(request) as conn:
            row = docs.patch(
                conn, kind, str(document_id), changes, expected_version=version, policy=state.policy
            )
        return json(serialize.document(row))

    @router.delete(one, status_code=204)
    async def delete_document(
        request: Request, _company: Company, document_id: UUID, if_match: IfMatch = None
    ) -> Response:
        """Delete a draft; needs If-Match."""
        version = expected_version(if_match, str(document_id))
        with transaction(request) as conn:
            docs.remove(conn, kind, str(document_id), expected_version=version)
        return Response(status_code=204)

    @router.post(f"{one}/Microsoft.NAV.post", status_code=204)
    async def post_document(request: Request, _company: Company, document_id: UUID) -> Response:
        """Post a draft: its lines move stock."""
        with transaction(request) as conn:
            docs.post(conn, kind, str(document_id))
        return Response(status_code=204)

    @router.get(f"{one}/{lines_segment}")
    async def list_lines(request: Request, _company: Company, document_id: UUID) -> Response:
        """List the lines of a document."""
        with transaction(request) as conn:
            docs.get(conn, kind, str(document_id))
            rows = docs.lines_of(conn, str(document_id))
        return json({"value": [serialize.line(r) for r in rows]})

    @router.post(f"{one}/{lines_segment}", status_code=201)
    async def create_line(
        request: Request, _company: Company, document_id: UUID, body: SalesLineIn
    ) -> Response:
        """Add a line (on a posted document it moves stock at once)."""
        with transaction(request) as conn:
            rows = docs.add_lines(conn, kind, str(document_id), [line_input(body, "")])
        return json(serialize.line(rows[0]), 201)

    @router.get(f"{one}/{lines_segment}({{line_id}})")
    async def get_line(
        request: Request, _company: Company, document_id: UUID, line_id: UUID
    ) -> Response:
        """Get one line."""
        with transaction(request) as conn:
            row = docs.get_line(conn, kind, str(document_id), str(line_id))
        return json(serialize.line(row))

    @router.patch(f"{one}/{lines_segment}({{line_id}})")
    async def patch_line(
        request: Request,
        _company: Company,
        document_id: UUID,
        line_id: UUID,
        body: SalesLinePatch,
        if_match: IfMatch = None,
    ) -> Response:
        """Change a line; needs If-Match."""
        version = expected_version(if_match, str(line_id))
        raw = body.model_dump(exclude_unset=True, exclude={"odata_etag"})
        changes = {_LINE_FIELDS[k]: v for k, v in raw.items() if v is not None}
        with transaction(request) as conn:
            row = docs.patch_line(
                conn, kind, str(document_id), str(line_id), changes, expected_version=version
            )
        return json(serialize.line(row))

    @router.delete(f"{one}/{lines_segment}({{line_id}})", status_code=204)
    async def delete_line(
        request: Request,
        _company: Company,
        document_id: UUID,
        line_id: UUID,
        if_match: IfMatch = None,
    ) -> Response:
        """Delete a line; needs If-Match."""
        version = expected_version(if_match, str(line_id))
        with transaction(request) as conn:
            docs.delete_line(conn, kind, str(document_id), str(line_id), expected_version=version)
        return Response(status_code=204)

    return router


invoices_router = build_router(DocKind.INVOICE)
credit_memos_router = build_router(DocKind.CREDIT_MEMO)

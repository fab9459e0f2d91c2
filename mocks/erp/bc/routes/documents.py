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
from mocks.erp.bc import entities, serialize
from mocks.erp.bc.deps import (
    SHARED_CONNECTION,
    BcState,
    Company,
    IfMatch,
    State,
    check_company,
    collection,
    entity_json,
    erp_state,
    single,
    transaction,
    write,
)
from mocks.erp.bc.errors import to_api_error
from mocks.erp.bc.odata import expected_version
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
    """Create one document with its lines (a draft, unless the policy posts on create); its
    JSON for the 201.

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


def _documents_json(
    conn: Connection, rows: list[dict[str, Any]], expand: bool
) -> list[dict[str, Any]]:
    if expand:
        for row in rows:
            row["lines"] = docs.lines_of(conn, row["id"])
    return [serialize.document(r) for r in rows]


def _lines_json(
    _conn: Connection, rows: list[dict[str, Any]], _expand: bool
) -> list[dict[str, Any]]:
    return [serialize.line(r) for r in rows]


def build_router(kind: DocKind) -> APIRouter:
    """Routes of one document kind."""
    invoice = kind is DocKind.INVOICE
    entity = entities.SALES_INVOICES if invoice else entities.SALES_CREDIT_MEMOS
    line_entity = entities.SALES_INVOICE_LINES if invoice else entities.SALES_CREDIT_MEMO_LINES
    segment = entity.name
    lines_segment = line_entity.name
    body_model: type[Any] = SalesInvoiceIn if invoice else SalesCreditMemoIn
    router = APIRouter(prefix=BASE, tags=[segment], dependencies=[Depends(api_principal)])
    one = f"/{segment}({{document_id}})"

    @router.get(f"/{segment}")
    async def list_documents(request: Request, _company: Company) -> Response:
        """List documents (drafts and posted): $filter, $select, $orderby, $top, $skip,
        $count, $expand of the lines, @odata.nextLink."""
        with transaction(request) as conn:
            return collection(
                request, conn, entity, _documents_json, scope=[t.documents.c.kind == kind.value]
            )

    @router.post(f"/{segment}", status_code=201)
    async def create_document(
        request: Request,
        company_id: UUID,
        body: body_model,  # type: ignore[valid-type]
    ) -> Response:
        """Create a document as a draft, with its lines when given (deep insert)."""
        state = erp_state(request)
        check_company(state, company_id)
        created = await create_sales_document(
            mock_context(request), state, kind, body, request.scope
        )
        return entity_json(created, 201)

    @router.get(one)
    async def get_document(request: Request, _company: Company, document_id: UUID) -> Response:
        """Get one document ($select, $expand of its lines)."""
        with transaction(request) as conn:
            row = docs.get(conn, kind, str(document_id))
            return single(request, conn, entity, row, _documents_json)

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
        return entity_json(serialize.document(row))

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
        """Post a draft: it takes its posted number, its lines move stock, it can no longer
        change. No content (204), as Business Central answers."""
        await write(request, lambda conn: docs.post(conn, kind, str(document_id)))
        return Response(status_code=204)

    @router.get(f"{one}/{lines_segment}")
    async def list_lines(request: Request, _company: Company, document_id: UUID) -> Response:
        """List the lines of a document, with the query options of any collection."""
        with transaction(request) as conn:
            docs.get(conn, kind, str(document_id))
            scope = [t.document_lines.c.document_id == str(document_id)]
            return collection(request, conn, line_entity, _lines_json, scope=scope)

    @router.post(f"{one}/{lines_segment}", status_code=201)
    async def create_line(
        request: Request, _company: Company, document_id: UUID, body: SalesLineIn
    ) -> Response:
        """Add a line to a draft."""
        with transaction(request) as conn:
            rows = docs.add_lines(conn, kind, str(document_id), [line_input(body, "")])
        return entity_json(serialize.line(rows[0]), 201)

    @router.get(f"{one}/{lines_segment}({{line_id}})")
    async def get_line(
        request: Request, _company: Company, document_id: UUID, line_id: UUID
    ) -> Response:
        """Get one line ($select)."""
        with transaction(request) as conn:
            row = docs.get_line(conn, kind, str(document_id), str(line_id))
            return single(request, conn, line_entity, row, _lines_json)

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
        return entity_json(serialize.line(row))

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

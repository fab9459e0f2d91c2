"""``itemJournals`` and their ``journalLines``: stock adjustments (posted on creation)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from mocks.core import annotate, api_principal
from mocks.erp.bc import serialize
from mocks.erp.bc.deps import Company, Page, State, json, transaction, write
from mocks.erp.bc.schemas import ItemJournalIn, JournalLineIn
from mocks.erp.engine import JournalLineInput
from mocks.erp.engine import journals as jr
from mocks.erp.engine import tables as t
from mocks.erp.engine.query import page

router = APIRouter(
    prefix="/api/v2.0/companies({company_id})",
    tags=["itemJournals"],
    dependencies=[Depends(api_principal)],
)


@router.get("/itemJournals")
def list_journals(_company: Company, paging: Page) -> Response:
    """List item journal batches."""
    with transaction(paging.request) as conn:
        result = page(
            conn, t.item_journals, key="code", after=paging.after_str(), limit=paging.limit
        )
    return json(paging.envelope([serialize.journal(r) for r in result.rows], result.next_after))


@router.post("/itemJournals", status_code=201)
def create_journal(request: Request, _company: Company, body: ItemJournalIn) -> Response:
    """Create an item journal batch."""
    with transaction(request) as conn:
        row = jr.create_journal(conn, code=body.code, display_name=body.displayName)
    return json(serialize.journal(row), 201)


@router.get("/itemJournals({journal_id})")
def get_journal(request: Request, _company: Company, journal_id: UUID) -> Response:
    """Get one item journal batch."""
    with transaction(request) as conn:
        return json(serialize.journal(jr.get_journal(conn, str(journal_id))))


@router.get("/itemJournals({journal_id})/journalLines")
def list_lines(_company: Company, journal_id: UUID, paging: Page) -> Response:
    """List the lines of an item journal, paged."""
    with transaction(paging.request) as conn:
        result = jr.list_lines(conn, str(journal_id), after=paging.after_int(), limit=paging.limit)
    values = [serialize.journal_line(r) for r in result.rows]
    return json(paging.envelope(values, result.next_after))


@router.post("/itemJournals({journal_id})/journalLines", status_code=201)
async def create_line(
    request: Request, _company: Company, state: State, journal_id: UUID, body: JournalLineIn
) -> Response:
    """Add a stock adjustment line; stock moves at once."""
    line = JournalLineInput(
        quantity=body.quantity,
        item_id=str(body.itemId) if body.itemId else None,
        item_number=body.itemNumber,
        location_id=str(body.locationId) if body.locationId else None,
        location_code=body.locationCode,
        entry_type=body.entryType,
        posting_date=body.postingDate,
        document_number=body.documentNumber,
        external_document_number=body.externalDocumentNumber,
        description=body.description,
    )
    row = await write(
        request, lambda conn: jr.add_line(conn, str(journal_id), line, policy=state.policy)
    )
    annotate(request.scope, document_id=row["id"], ref=body.externalDocumentNumber or None)
    return json(serialize.journal_line(row), 201)


@router.get("/itemJournals({journal_id})/journalLines({line_id})")
def get_line(request: Request, _company: Company, journal_id: UUID, line_id: UUID) -> Response:
    """Get one journal line."""
    with transaction(request) as conn:
        return json(serialize.journal_line(jr.get_line(conn, str(journal_id), str(line_id))))

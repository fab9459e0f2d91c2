"""``itemJournals`` and their ``journalLines``: stock adjustments (posted on creation)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from mocks.core import annotate, api_principal
from mocks.erp.bc import entities, serialize
from mocks.erp.bc.deps import Company, State, collection, entity_json, single, transaction, write
from mocks.erp.bc.schemas import ItemJournalIn, JournalLineIn
from mocks.erp.engine import JournalLineInput
from mocks.erp.engine import journals as jr
from mocks.erp.engine import tables as t

router = APIRouter(
    prefix="/api/v2.0/companies({company_id})",
    tags=["itemJournals"],
    dependencies=[Depends(api_principal)],
)


def _journals_json(_conn: Any, rows: list[dict[str, Any]], _expand: bool) -> list[dict[str, Any]]:
    return [serialize.journal(r) for r in rows]


def _lines_json(_conn: Any, rows: list[dict[str, Any]], _expand: bool) -> list[dict[str, Any]]:
    return [serialize.journal_line(r) for r in rows]


@router.get("/itemJournals")
def list_journals(request: Request, _company: Company) -> Response:
    """List item journal batches, with the query options of any collection."""
    with transaction(request) as conn:
        return collection(request, conn, entities.ITEM_JOURNALS, _journals_json)


@router.post("/itemJournals", status_code=201)
def create_journal(request: Request, _company: Company, body: ItemJournalIn) -> Response:
    """Create an item journal batch."""
    with transaction(request) as conn:
        row = jr.create_journal(conn, code=body.code, display_name=body.displayName)
    return entity_json(serialize.journal(row), 201)


@router.get("/itemJournals({journal_id})")
def get_journal(request: Request, _company: Company, journal_id: UUID) -> Response:
    """Get one item journal batch ($select)."""
    with transaction(request) as conn:
        row = jr.get_journal(conn, str(journal_id))
        return single(request, conn, entities.ITEM_JOURNALS, row, _journals_json)


@router.get("/itemJournals({journal_id})/journalLines")
def list_lines(request: Request, _company: Company, journal_id: UUID) -> Response:
    """List the lines of an item journal, with the query options of any collection."""
    with transaction(request) as conn:
        jr.get_journal(conn, str(journal_id))
        scope = [t.journal_lines.c.journal_id == str(journal_id)]
        return collection(request, conn, entities.JOURNAL_LINES, _lines_json, scope=scope)


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
    return entity_json(serialize.journal_line(row), 201)


@router.get("/itemJournals({journal_id})/journalLines({line_id})")
def get_line(request: Request, _company: Company, journal_id: UUID, line_id: UUID) -> Response:
    """Get one journal line ($select)."""
    with transaction(request) as conn:
        row = jr.get_line(conn, str(journal_id), str(line_id))
        return single(request, conn, entities.JOURNAL_LINES, row, _lines_json)

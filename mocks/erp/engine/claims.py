"""External document numbers claimed when duplicates are rejected (race-free: the claim
is a primary-key insert, so concurrent workers cannot both win)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete

from mocks.erp.engine import tables as t
from mocks.erp.engine.errors import Conflict
from mocks.erp.engine.model import DocKind
from mocks.erp.engine.raw import Raw

_CLAIM = (
    "INSERT INTO erp_external_numbers (kind, number, document_id) VALUES (%s, %s, %s) "
    "ON CONFLICT DO NOTHING RETURNING kind"
)


def claim_external(conn: Connection, kind: str, number: str, record_id: str) -> bool:
    """Claim an external document number for ``kind``; False when already taken."""
    return bool(Raw(conn).rows(_CLAIM, [kind, number, record_id]))


def claim_document(conn: Connection, kind: DocKind, number: str, doc_id: str) -> None:
    """Claim ``number`` for a document of ``kind``, or Conflict naming it."""
    check_claim(kind, number, Raw(conn).send(_CLAIM, [kind.value, number, doc_id]))


def send_claim(raw: Raw, kind: DocKind, number: str, doc_id: str) -> Any:
    """Send the claim of ``number`` (inside ``raw.pipeline()``); pass the returned cursor
    to ``check_claim`` once the pipeline has been sent."""
    return raw.send(_CLAIM, [kind.value, number, doc_id])


def check_claim(kind: DocKind, number: str, cursor: Any) -> None:
    """Conflict naming ``number`` when the claim sent on ``cursor`` found it taken (the
    caller's transaction, or savepoint, must then be rolled back)."""
    if not cursor.fetchall():
        raise Conflict(
            f"{kind.entity} with External Document No. '{number}' already exists.",
            field="externalDocumentNumber",
        )


def release_document(conn: Connection, kind: DocKind, number: str, doc_id: str) -> None:
    """Give ``number`` back (the document was deleted or renumbered)."""
    if number:
        conn.execute(
            delete(t.external_numbers).where(
                t.external_numbers.c.kind == kind.value,
                t.external_numbers.c.number == number,
                t.external_numbers.c.document_id == doc_id,
            )
        )

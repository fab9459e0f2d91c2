"""Number series (Business Central's No. Series): posted documents, and customers or items
created without a number, take the next number of their series.

A series is one row holding the last number handed out; taking a number updates that row,
so concurrent writers queue on it (as they do on Business Central's No. Series lines).
Drafts are numbered from their row sequence (``model.draft_number``), which is a series too
but costs nothing extra on the hot path of creating documents.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, String, case, cast, func, literal
from sqlalchemy.sql import ColumnElement

from mocks.erp.engine import tables as t
from mocks.erp.engine.model import NUMBER_BASE, DocKind
from mocks.erp.engine.raw import Raw

_SEED = "INSERT INTO erp_number_series (code, last_no) VALUES (%s, %s) ON CONFLICT DO NOTHING"
_TAKE = "UPDATE erp_number_series SET last_no = last_no + 1 WHERE code = %s RETURNING last_no"

MASTER_SERIES = {"customer": ("C", 10, 5), "item": ("I", 10, 5)}
"""Series of master data as (prefix, step, digits): C00010, C00020, …; I00010, …"""


def take(conn: Connection, code: str) -> int:
    """The next number of series ``code`` (a counter from 1)."""
    raw = Raw(conn)
    raw.run(_SEED, [code, 0])
    return int(raw.rows(_TAKE, [code])[0][0])


def posted_number(conn: Connection, kind: DocKind) -> str:
    """The next number of the kind's posted series (PS-INV100001, PS-CR100001, …)."""
    return f"{kind.posted_series}{NUMBER_BASE + take(conn, kind.posted_series)}"


def master_number(conn: Connection, entity: str, taken: Callable[[str], bool]) -> str:
    """The next free number of a master-data series (numbers someone typed are skipped)."""
    prefix, step, digits = MASTER_SERIES[entity]
    while True:
        number = f"{prefix}{take(conn, prefix) * step:0{digits}d}"
        if not taken(number):
            return number


def document_number() -> ColumnElement[str]:
    """The number of a document as SQL: the posted number, else the draft number."""
    prefix = case(
        (t.documents.c.kind == DocKind.INVOICE.value, literal(DocKind.INVOICE.draft_series)),
        else_=literal(DocKind.CREDIT_MEMO.draft_series),
    )
    draft = prefix + cast(t.documents.c.seq + NUMBER_BASE, String)
    return func.coalesce(t.documents.c.posted_number, draft)

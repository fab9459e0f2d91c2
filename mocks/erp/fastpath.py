"""Hot path for ``POST …/salesInvoices`` and ``POST …/salesCreditMemos``.

Connectors post documents far more than anything else. This handler serves those two
requests below FastAPI's routing and dependency layers (about 40 % of the request cost)
with the same contract as the routes in ``routes/documents.py``: same body models, same
engine call, same answers and errors. The routes stay for the OpenAPI document and for
``$batch`` operations.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import orjson
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from starlette.types import ASGIApp, Receive, Scope, Send

from mocks.core import ApiError, MockContext, annotate
from mocks.core.handlers import validation_problem
from mocks.erp import serialize
from mocks.erp.deps import ErpState
from mocks.erp.engine import DocKind, ErpError
from mocks.erp.engine import documents as docs
from mocks.erp.errors import to_api_error
from mocks.erp.routes.documents import document_input
from mocks.erp.schemas import SalesCreditMemoIn, SalesInvoiceIn

_PATH = re.compile(r"^/api/v2\.0/companies\(([^)/]*)\)/(salesInvoices|salesCreditMemos)$")
_KINDS: dict[str, tuple[DocKind, type[SalesInvoiceIn] | type[SalesCreditMemoIn]]] = {
    "salesInvoices": (DocKind.INVOICE, SalesInvoiceIn),
    "salesCreditMemos": (DocKind.CREDIT_MEMO, SalesCreditMemoIn),
}
_JSON_HEADERS = [(b"content-type", b"application/json")]


def document_route(ctx: MockContext) -> Callable[[Scope], ASGIApp | None]:
    """The fast route of one ERP app (see ``mocks.core.app.FastRoute``)."""
    state: ErpState = ctx.extra["erp"]  # type: ignore[assignment]

    def match(scope: Scope) -> ASGIApp | None:
        if scope["method"] != "POST" or scope.get("query_string"):
            return None
        found = _PATH.match(scope["path"])
        if found is None:
            return None
        return _handler(ctx, state, found[1], found[2])

    return match


def _handler(
    ctx: MockContext, state: ErpState, company: str, segment: str
) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        authorization = None
        for key, value in scope["headers"]:
            if key == b"authorization":
                authorization = value.decode("latin-1")
        ctx.tokens.require(authorization)
        try:
            company_id = UUID(company)
        except ValueError:
            raise ApiError(
                400,
                f"company_id: Input should be a valid UUID, got {company!r}",
                field="company_id",
            ) from None
        if company_id != state.settings.company_id:
            raise ApiError(
                404,
                f"The company {company_id} does not exist; GET /api/v2.0/companies lists them.",
                code="BadRequest_NotFound",
                field="company_id",
            )
        kind, model = _KINDS[segment]
        body = await _read(receive)
        try:
            data: Any = model.model_validate_json(body or b"null")
        except ValidationError as exc:
            raise validation_problem(exc.errors(include_url=False)) from None
        doc = document_input(kind, data)
        try:
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
        payload = orjson.dumps(serialize.document(row))
        headers = [*_JSON_HEADERS, (b"content-length", str(len(payload)).encode())]
        await send({"type": "http.response.start", "status": 201, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    return handle


async def _read(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)

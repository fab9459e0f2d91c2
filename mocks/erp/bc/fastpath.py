"""Hot path for ``POST …/salesInvoices`` and ``POST …/salesCreditMemos``.

Connectors post documents far more than anything else. This handler serves those two
requests (without a query string) below FastAPI's routing and dependency layers (about
40 % of the request cost): it matches the path, checks the token and the company,
validates the body with the route's models and calls ``create_sales_document`` of
``routes/documents.py``, the one implementation of a document POST. The routes there stay
for the OpenAPI document, ``$batch`` operations and the POSTs this path does not match.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import orjson
from pydantic import ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from mocks.core import ApiError, MockContext
from mocks.core.handlers import validation_problem
from mocks.erp.bc.deps import BcState, bc_state, check_company
from mocks.erp.bc.routes.documents import create_sales_document
from mocks.erp.bc.schemas import SalesCreditMemoIn, SalesInvoiceIn
from mocks.erp.engine import DocKind

_PATH = re.compile(r"^/api/v2\.0/companies\(([^)/]*)\)/(salesInvoices|salesCreditMemos)$")
_KINDS: dict[str, tuple[DocKind, type[SalesInvoiceIn] | type[SalesCreditMemoIn]]] = {
    "salesInvoices": (DocKind.INVOICE, SalesInvoiceIn),
    "salesCreditMemos": (DocKind.CREDIT_MEMO, SalesCreditMemoIn),
}
_JSON_HEADERS = [(b"content-type", b"application/json")]


def document_route(ctx: MockContext) -> Callable[[Scope], ASGIApp | None]:
    """The fast route of one ERP app (see ``mocks.core.app.FastRoute``)."""
    state = bc_state(ctx)

    def match(scope: Scope) -> ASGIApp | None:
        if scope["method"] != "POST" or scope.get("query_string"):
            return None
        found = _PATH.match(scope["path"])
        if found is None:
            return None
        return _handler(ctx, state, found[1], found[2])

    return match


def _handler(
    ctx: MockContext, state: BcState, company: str, segment: str
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
        check_company(state, company_id)
        kind, model = _KINDS[segment]
        body = await _read(receive)
        try:
            data: Any = model.model_validate_json(body or b"null")
        except ValidationError as exc:
            raise validation_problem(exc.errors(include_url=False)) from None
        created = await create_sales_document(ctx, state, kind, data, scope)
        payload = orjson.dumps(created)
        headers = [
            *_JSON_HEADERS,
            (b"etag", str(created["@odata.etag"]).encode()),
            (b"content-length", str(len(payload)).encode()),
        ]
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

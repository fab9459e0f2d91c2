"""The service document's neighbours: ``GET /api/v2.0/$metadata`` (CSDL) and the company
sets addressed without ``companies({id})``: ``/api/v2.0/items`` with the company in a
``Company`` header or a ``company`` query parameter (its id or name), as Business Central
accepts them (Microsoft's "Using OData transactional $batch requests" sends a ``Company``
header). Generic OData clients, which know only the entity container, use this form.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, FastAPI
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mocks.core import ApiError, MockApp, api_principal
from mocks.erp.bc import metadata
from mocks.erp.bc.deps import BcState
from mocks.erp.bc.entities import COMPANY_SETS

router = APIRouter(prefix="/api/v2.0", tags=["service"], dependencies=[Depends(api_principal)])

_DOCUMENT: str | None = None


@router.get("/$metadata")
def get_metadata() -> Response:
    """The CSDL document: entity types, keys, navigation to lines, bound actions."""
    global _DOCUMENT
    if _DOCUMENT is None:
        _DOCUMENT = metadata.document()
    return Response(_DOCUMENT, media_type="application/xml")


_SETS = "|".join(s.name for s in COMPANY_SETS)
_PATH = re.compile(rf"^/api/v2\.0/({_SETS})(?=$|[(/])")


def company_route(app: MockApp, state: BcState) -> Callable[[Scope], ASGIApp | None]:
    """The fast route that rewrites ``/api/v2.0/<set>…`` to the company's path."""

    def match(scope: Scope) -> ASGIApp | None:
        if _PATH.match(scope["path"]) is None:
            return None
        return _rewrite

    async def _rewrite(scope: Scope, receive: Receive, send: Send) -> None:
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        named = [v for k, v in pairs if k == "company"]
        for key, value in scope["headers"]:
            if key == b"company":
                named.append(value.decode("latin-1"))
        company = str(state.settings.company_id)
        if not named:
            raise ApiError(
                400,
                "Name the company: a Company header or a company query parameter (its id or "
                f"name), or use /api/v2.0/companies({company})/….",
                code="Internal_CompanyNotFound",
                field="company",
            )
        if any(n not in (company, state.settings.company_name) for n in named):
            raise ApiError(
                404,
                f"The company {named[0]!r} does not exist; GET /api/v2.0/companies lists them.",
                code="Internal_CompanyNotFound",
                field="company",
            )
        path = scope["path"].replace("/api/v2.0/", f"/api/v2.0/companies({company})/", 1)
        query = urlencode([(k, v) for k, v in pairs if k != "company"], safe="$,()'")
        inner = {
            **scope,
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode("latin-1"),
        }
        handler: Callable[[Scope, Receive, Send], Awaitable[None]] = FastAPI.__call__.__get__(app)
        await handler(inner, receive, send)

    return match

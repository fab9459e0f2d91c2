"""``Annotated`` dependencies and response helpers of the Business Central routes: state,
company, transaction, collections with their query options, single entities with ETags."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from uuid import UUID

import orjson
from fastapi import Depends, Header, Query, Request
from sqlalchemy import Connection
from starlette.responses import Response

from mocks.core import ApiError, MockContext, mock_context
from mocks.erp.bc import query
from mocks.erp.bc.entities import EntitySet
from mocks.erp.bc.odata import decode_token, etag_header, next_link
from mocks.erp.bc.settings import BcSettings
from mocks.erp.engine import ErpState
from mocks.erp.engine import erp_state as engine_state

T = TypeVar("T")

SHARED_CONNECTION = "tillbench.erp.connection"
"""Scope key under which a transactional ``$batch`` passes its connection to operations."""

BcState = ErpState[BcSettings]
"""The engine's per-app state with this dialect's settings."""


def bc_state(ctx: MockContext) -> BcState:
    """The state of the Business Central app owning ``ctx``."""
    state: BcState = engine_state(ctx)
    return state


def erp_state(request: Request) -> BcState:
    """The state of the app serving ``request``."""
    return bc_state(mock_context(request))


async def company(request: Request, company_id: UUID) -> UUID:
    """The addressed company, or 404."""
    return check_company(erp_state(request), company_id)


def check_company(state: BcState, company_id: UUID) -> UUID:
    """``company_id`` when it is the company served, else 404 (plain call, for the fast
    path and hot routes without dependencies)."""
    if company_id != state.settings.company_id:
        raise ApiError(
            404,
            f"The company {company_id} does not exist; GET /api/v2.0/companies lists them.",
            code="BadRequest_NotFound",
            field="company_id",
        )
    return company_id


@contextmanager
def transaction(request: Request) -> Iterator[Connection]:
    """The batch's shared connection, or a new transaction committed at the end."""
    shared: Connection | None = request.scope.get(SHARED_CONNECTION)
    if shared is not None:
        yield shared
        return
    ctx: MockContext = mock_context(request)
    with ctx.db.begin() as conn:
        yield conn


async def write(request: Request, work: Callable[[Connection], T]) -> T:
    """Run a write: inside the batch's shared transaction, else through group commit."""
    shared: Connection | None = request.scope.get(SHARED_CONNECTION)
    if shared is not None:
        return work(shared)
    return await mock_context(request).committer.run(work)


def json(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response serialized with orjson."""
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )


def entity_json(body: Mapping[str, Any], status: int = 200) -> Response:
    """A single entity, with its ``@odata.etag`` as the ``ETag`` header."""
    return json(body, status, headers=etag_header(body))


def page_size(request: Request) -> int:
    """The server page size, lowered by ``Prefer: odata.maxpagesize``."""
    size: int = erp_state(request).settings.page_size
    prefer = request.headers.get("prefer") or ""
    if "odata.maxpagesize=" in prefer:
        value = prefer.split("odata.maxpagesize=", 1)[1].split(",", 1)[0].strip()
        if value.isdigit() and int(value) > 0:
            size = min(size, int(value))
    return size


def collection(
    request: Request,
    conn: Connection,
    entity: EntitySet,
    to_json: Callable[[Connection, list[dict[str, Any]], bool], list[dict[str, Any]]],
    *,
    scope: Any = (),
) -> Response:
    """A collection GET with its query options honoured (`mocks.erp.bc.query`)."""
    options = query.collection_options(request.query_params.multi_items(), entity)
    result = query.run(conn, options, scope=scope, page_size=page_size(request))
    values = [query.project(v, options) for v in to_json(conn, result.rows, options.expand)]
    body = query.envelope(values, result, options, url=str(request.url), query=request.query_params)
    return json(body)


def single(
    request: Request,
    conn: Connection,
    entity: EntitySet,
    row: dict[str, Any],
    to_json: Callable[[Connection, list[dict[str, Any]], bool], list[dict[str, Any]]],
) -> Response:
    """A single-entity GET with ``$select`` and ``$expand`` honoured."""
    options = query.entity_options(request.query_params.multi_items(), entity)
    return entity_json(query.project(to_json(conn, [row], options.expand)[0], options))


@dataclass(frozen=True, slots=True)
class Paging:
    """``$filter``, ``$top``, ``$skiptoken`` and ``$expand`` of a collection request."""

    filter: str | None
    limit: int
    capped: bool
    after: Any
    expand: set[str]
    request: Request

    def after_int(self) -> int | None:
        """The keyset position as a row sequence number, or 400."""
        if self.after is None:
            return None
        if (
            isinstance(self.after, int)
            and not isinstance(self.after, bool)
            and 0 <= self.after < 2**62
        ):
            return self.after
        raise ApiError(400, "$skiptoken is not valid here.", field="$skiptoken")

    def after_str(self) -> str | None:
        """The keyset position as a key string, or 400."""
        if self.after is None or (isinstance(self.after, str) and len(self.after) <= 100):
            return self.after
        raise ApiError(400, "$skiptoken is not valid here.", field="$skiptoken")

    def envelope(self, values: list[dict[str, Any]], next_after: Any) -> dict[str, Any]:
        """The collection body, with ``@odata.nextLink`` when more rows follow."""
        body: dict[str, Any] = {"value": values}
        if next_after is not None and not self.capped:
            base = str(self.request.url).split("?", 1)[0]
            body["@odata.nextLink"] = next_link(base, self.request.query_params, next_after)
        return body


async def paging(
    request: Request,
    filter_: Annotated[str | None, Query(alias="$filter", max_length=2000)] = None,
    top: Annotated[int | None, Query(alias="$top", ge=0, le=1_000_000)] = None,
    skiptoken: Annotated[str | None, Query(alias="$skiptoken", max_length=2000)] = None,
    expand: Annotated[str | None, Query(alias="$expand", max_length=200)] = None,
    prefer: Annotated[str | None, Header(max_length=500)] = None,
) -> Paging:
    """Query options of the custom stock read-back API (``$top``, ``$skiptoken``); the page
    size is the smallest of the server's, ``$top`` and ``Prefer: odata.maxpagesize``."""
    del prefer
    query.check_names(request.query_params.multi_items(), _CUSTOM_OPTIONS)
    size = page_size(request)
    capped = top is not None and top <= size
    limit = top if top is not None and capped else size
    expanded = {x.strip() for x in (expand or "").split(",") if x.strip()}
    return Paging(filter_, limit, capped, decode_token(skiptoken), expanded, request)


_CUSTOM_OPTIONS = frozenset({"$filter", "$top", "$skiptoken"})


async def _state(request: Request) -> BcState:
    return erp_state(request)


State = Annotated[BcState, Depends(_state)]
Company = Annotated[UUID, Depends(company)]
Page = Annotated[Paging, Depends(paging)]
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=500)]

"""Build the NetSuite mock: the ERP engine (``create_erp_app``) under SuiteTalk REST web
services — the record service, SuiteQL, async jobs, governance limits — with token-based
authentication (OAuth 1.0a) and the account's concurrency governance.

Example::

    app = create_app({"db_url": "sqlite:///run/erp.sqlite", "service_tier": "shared",
                      "suitecloud_plus": 1})
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import orjson
from fastapi import APIRouter, Request
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mocks.core import ApiError, MockApp, MockContext, annotate, mock_context
from mocks.core import error_response as render_response
from mocks.erp.engine import CapacityModel, ErpDialect, ErpError, create_erp_app, erp_state
from mocks.erp.netsuite import jobs, records, suiteql
from mocks.erp.netsuite.auth import Authenticator
from mocks.erp.netsuite.errors import ns_error, render_error, to_api_error
from mocks.erp.netsuite.settings import NetSuiteSettings, parse_settings

__all__ = ["NETSUITE", "create_app"]

DESCRIPTION = (
    "Mock of Oracle NetSuite's SuiteTalk REST web services for integration tests: the "
    "record service (cashSale, creditMemo, customer, inventoryItem, location; create, get, "
    "PATCH, upsert by external ID, delete), SuiteQL with paging, asynchronous jobs with "
    "idempotency keys, governance limits, token-based authentication (OAuth 1.0a "
    "HMAC-SHA256) and the account-wide concurrency limit. Admin API under /admin."
)

_EXTRA = "netsuite"
_ACCEPTED_ASYNC = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(slots=True)
class NetSuiteState:
    """What the routes share: settings, authenticator, async jobs."""

    settings: NetSuiteSettings
    auth: Authenticator
    jobs: jobs.JobQueue


def ns_state(ctx: MockContext) -> NetSuiteState:
    """The state of the NetSuite app owning ``ctx``."""
    return cast(NetSuiteState, ctx.extra[_EXTRA])


def _base(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def _render(exc: Exception) -> Response:
    if isinstance(exc, ErpError):
        return render_response(to_api_error(exc), render_error)
    if isinstance(exc, ApiError):
        return render_response(exc, render_error)
    return render_response(
        ApiError(500, "An unexpected error occurred.", code="UNEXPECTED_ERROR"), render_error
    )


def _json(body: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def _prefers(request: Request, token: str) -> bool:
    prefer = request.headers.get("prefer") or ""
    return token in [p.strip().lower() for p in prefer.split(",")]


async def _authenticated(
    request: Request, ctx: MockContext | None = None
) -> tuple[MockContext, NetSuiteState, bytes]:
    ctx = ctx or mock_context(request)
    state = ns_state(ctx)
    try:
        body = await request.body()
    except ClientDisconnect:
        raise ApiError(400, "The client disconnected before sending the whole body.") from None
    state.auth.check(request, body)
    return ctx, state, body


router = APIRouter(tags=["NetSuite"])


@router.api_route(
    records.PREFIX + "/{path:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    summary="Record service",
)
async def record_service(request: Request, path: str) -> Response:
    """``/services/rest/record/v1/{type}[/{id}|/eid:{externalId}]``."""
    return await _serve(request, path)


@router.post("/services/rest/query/v1/suiteql", summary="SuiteQL")
async def suiteql_query(request: Request) -> Response:
    """Run a SuiteQL query (``{"q": …}``); needs ``Prefer: transient``."""
    ctx, state, body = await _authenticated(request)
    if not _prefers(request, "transient"):
        raise ns_error(
            400,
            "The SuiteQL resource needs the 'Prefer: transient' header.",
            "INVALID_PARAMETER",
            field="Prefer",
        )
    try:
        payload = orjson.loads(body or b"{}")
    except orjson.JSONDecodeError:
        raise ns_error(400, "The request body is not valid JSON.", "INVALID_CONTENT") from None
    q = payload.get("q") if isinstance(payload, dict) else None
    if not isinstance(q, str):
        raise ns_error(400, 'Send the query as {"q": "SELECT …"}.', "INVALID_PARAMETER", field="q")
    limit, offset = suiteql.read_paging(dict(request.query_params))
    url = f"{_base(request)}/services/rest/query/v1/suiteql"
    return _json(
        suiteql.run_suiteql(
            ctx,
            q,
            limit=limit,
            offset=offset,
            max_results=state.settings.suiteql_max_results,
            url=url,
        )
    )


@router.get(jobs.ASYNC_PREFIX + "/{job_id}", summary="Async job status")
async def job_status(request: Request, job_id: str) -> Response:
    _ctx, state, _ = await _authenticated(request)
    return _json(jobs.job_json(state.jobs.get(job_id), _base(request)))


@router.get(jobs.ASYNC_PREFIX + "/{job_id}/task", summary="Async job tasks")
async def job_tasks(request: Request, job_id: str) -> Response:
    _ctx, state, _ = await _authenticated(request)
    return _json(jobs.tasks_json(state.jobs.get(job_id), _base(request)))


@router.get(jobs.ASYNC_PREFIX + "/{job_id}/task/{task_id}", summary="Async task status")
async def job_task(request: Request, job_id: str, task_id: str) -> Response:
    _ctx, state, _ = await _authenticated(request)
    job = state.jobs.get(job_id)
    if task_id != str(job.id):
        raise ns_error(404, f"The task {task_id!r} does not exist.", "NONEXISTENT_ID")
    return _json(jobs.task_json(job, _base(request)))


@router.get(jobs.ASYNC_PREFIX + "/{job_id}/task/{task_id}/result", summary="Async task result")
async def job_result(request: Request, job_id: str, task_id: str) -> Response:
    _ctx, state, _ = await _authenticated(request)
    job = state.jobs.get(job_id)
    if task_id != str(job.id):
        raise ns_error(404, f"The task {task_id!r} does not exist.", "NONEXISTENT_ID")
    return jobs.task_result(job)


@router.get("/services/rest/system/v1/governanceLimits", summary="Governance limits")
async def governance_limits(request: Request) -> Response:
    """The account's concurrency limit and what is left to integrations without one."""
    _ctx, state, _ = await _authenticated(request)
    settings = state.settings
    return _json(
        {
            "accountConcurrencyLimit": settings.account_limit,
            "unallocatedConcurrencyLimit": settings.available,
            "limitType": "accountLimit",
        }
    )


def record_route(ctx: MockContext) -> Callable[[Scope], ASGIApp | None]:
    """The fast route of the record service's writes (``mocks.core.app.FastRoute``):
    synchronous POST and PUT below FastAPI's routing, through the same ``_serve`` as the
    route; everything else (reads, async requests) goes the regular way."""

    def match(scope: Scope) -> ASGIApp | None:
        if scope["method"] not in ("POST", "PUT") or not scope["path"].startswith(_RECORD):
            return None
        for key, value in scope["headers"]:
            if key == b"prefer" and b"respond-async" in value.lower():
                return None
        return handle

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await _serve(request, scope["path"][len(_RECORD) :], ctx)
        except ErpError as exc:
            response = render_response(to_api_error(exc), render_error)
        await response(scope, receive, send)

    return match


_RECORD = records.PREFIX + "/"


async def _serve(request: Request, path: str, ctx: MockContext | None = None) -> Response:
    """One record-service request: authenticate, then serve it now or as an async job."""
    ctx, state, body = await _authenticated(request, ctx)
    key = request.headers.get("x-netsuite-idempotency-key")
    call = records.Call(
        method=request.method,
        path=path,
        query=dict(request.query_params),
        body=body,
        base=_base(request),
    )
    annotate(request.scope, idempotency_key=key)
    if _prefers(request, "respond-async") and request.method in _ACCEPTED_ASYNC:
        return state.jobs.submit(key, lambda: records.handle(ctx, call), _render, call.base)
    return await records.handle(ctx, call)


def _install(app: MockApp) -> None:
    ctx: MockContext = app.state.mock
    settings: NetSuiteSettings = erp_state(ctx).settings
    if settings.capacity:
        ctx.admission = CapacityModel.share(settings, ctx, concurrency=settings.available)
    ctx.extra[_EXTRA] = NetSuiteState(
        settings=settings,
        auth=Authenticator(settings, ctx),
        jobs=jobs.JobQueue(settings.async_delay),
    )
    app.fast_routes.append(record_route(ctx))
    app.include_router(router)


NETSUITE = ErpDialect(
    title="tillbench mock ERP (NetSuite SuiteTalk REST web services)",
    version="v1",
    description=DESCRIPTION,
    render_error=render_error,
    map_error=to_api_error,
    install=_install,
)


def create_app(
    settings: NetSuiteSettings | Mapping[str, Any] | None = None,
    *,
    now: Callable[[], float] = time.time,
) -> MockApp:
    """The NetSuite mock; ``settings`` may be the scenario's ``erp`` section as a dict.
    ``now`` is the wall clock of faults and journal (tests pass a fake one)."""
    return create_erp_app(parse_settings(settings), NETSUITE, now=now)

"""``POST /admin/api/{version}/graphql.json``: the Admin GraphQL endpoint.

A request is authenticated by ``X-Shopify-Access-Token``, parsed and validated by
graphql-core against the dialect's SDL (`schema.graphql`) once per distinct document,
costed (`cost.py`), charged to the app's leaky bucket (`bucket.py`) and executed: queries
in one short read transaction on a worker thread, mutations through the core group commit
(answered after the commit). Every answer carries ``extensions.cost``; one the bucket
cannot pay is THROTTLED with no data; one above the single-query cap is MAX_COST_EXCEEDED.
GraphQL errors answer HTTP 200, as Shopify does.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute,
    parse,
    validate,
)
from starlette.concurrency import run_in_threadpool

from mocks.core import annotate
from mocks.pos.engine.deps import guard_input
from mocks.pos.engine.errors import PosError
from mocks.pos.engine.store import PosStore
from mocks.pos.shopify import mutations, queries
from mocks.pos.shopify.bucket import CostBucket, ThrottleStatus
from mocks.pos.shopify.cost import Coster
from mocks.pos.shopify.errors import INVALID_TOKEN
from mocks.pos.shopify.queries import Context
from mocks.pos.shopify.settings import ShopifySettings

SDL = Path(__file__).with_name("schema.graphql")
TOKEN_HEADER = "x-shopify-access-token"

router = APIRouter(tags=["graphql"])


@cache
def schema() -> GraphQLSchema:
    """The executable schema: the SDL with the resolvers attached."""
    built = build_schema(SDL.read_text(encoding="utf-8"))
    queries.install(built)
    mutations.install(built)
    return built


@lru_cache(maxsize=512)
def _checked(source: str) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    """A query string parsed and validated once (clients send the same few documents)."""
    try:
        document = parse(source)
    except GraphQLError as error:
        return None, (error,)
    return document, tuple(validate(schema(), document))


def _json(payload: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(payload), status_code=status, media_type="application/json")


def _errors(*messages: tuple[str, str], extensions: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {
        "errors": [{"message": m, "extensions": {"code": code}} for m, code in messages]
    }
    if extensions:
        body["extensions"] = extensions
    return _json(body)


def _cost(requested: int, actual: int | None, status: ThrottleStatus) -> dict[str, Any]:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": status.wire(),
        }
    }


def _error_wire(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    if isinstance(original, PosError):
        found: dict[str, Any] = {
            "message": original.message,
            "extensions": {"code": original.code or "BAD_REQUEST"},
        }
    else:
        found = dict(error.formatted)
        internal = original is not None and not isinstance(original, (GraphQLError, ValueError))
        if internal:
            found["message"] = "Internal error. Looks like something went wrong on our end."
        found.setdefault("extensions", {}).setdefault(
            "code", "INTERNAL_SERVER_ERROR" if internal else "BAD_REQUEST"
        )
    if error.path:
        found["path"] = list(error.path)
    return found


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


def _read(store: PosStore, run: Any) -> dict[str, Any]:
    """A query in one short read transaction, on a worker thread: executing a large
    selection takes graphql-core tens of milliseconds, and the event loop meanwhile keeps
    delivering webhooks and answering other requests."""
    with store.db.connect() as conn:
        answer: dict[str, Any] = run(conn)
    return answer


@router.post("/admin/api/{version}/graphql.json")
async def graphql_endpoint(version: str, request: Request) -> Response:
    """Run one GraphQL request."""
    store: PosStore = request.app.state.pos_store
    settings = store.settings
    assert isinstance(settings, ShopifySettings)
    ctx = request.app.state.mock
    token = request.headers.get(TOKEN_HEADER)
    principal = ctx.tokens.principal(f"Bearer {token}") if token else None
    if principal is None:
        return _json({"errors": INVALID_TOKEN}, 401)
    await guard_input(request)
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError as error:
        return _json(
            {
                "errors": [
                    {"message": f"body: not JSON ({error})", "extensions": {"code": "BAD_REQUEST"}}
                ]
            },
            400,
        )
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return _json(
            {
                "errors": [
                    {
                        "message": "query: a GraphQL document string is required",
                        "extensions": {"code": "BAD_REQUEST"},
                    }
                ]
            },
            400,
        )
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        return _errors(("variables: must be a JSON object", "BAD_REQUEST"))
    document, problems = _checked(body["query"])
    if document is None or problems:
        return _json({"errors": [_error_wire(p) for p in problems]})
    executable = schema()
    operation = _operation(document, body.get("operationName"))
    if operation is None:
        return _errors(("operationName: name the operation to run", "BAD_REQUEST"))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    try:
        coster = Coster(executable, operation, fragments, variables)
        requested = coster.requested()
    except GraphQLError as error:
        return _json({"errors": [_error_wire(error)]})
    bucket: CostBucket = request.app.state.shopify_bucket
    if requested > settings.max_query_cost:
        _ok, status = bucket.charge(principal, 0)
        return _errors(
            (
                f"Query cost is {requested}, which exceeds the single query max cost limit "
                f"({settings.max_query_cost}).",
                "MAX_COST_EXCEEDED",
            ),
            extensions=_cost(requested, None, status),
        )
    admitted, status = bucket.charge(principal, requested)
    if not admitted:
        return _json(
            {
                "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
                "extensions": _cost(requested, None, status),
            },
            settings.throttled_status,
        )
    annotate(request.scope, document_id=operation.name.value if operation.name else None)

    def run(conn: Any) -> dict[str, Any]:
        context = Context(conn=conn, store=store, settings=settings)
        result = execute(
            executable,
            document,
            variable_values=variables,
            operation_name=body.get("operationName"),
            context_value=context,
        )
        assert not hasattr(result, "__await__")
        found: dict[str, Any] = {"data": result.data}
        if result.errors:
            found["errors"] = [_error_wire(e) for e in result.errors]
        return found

    if operation.operation.value == "mutation":
        answer = await ctx.committer.run(run)
    else:
        answer = await run_in_threadpool(_read, store, run)
    actual = coster.actual(answer.get("data"))
    status = bucket.refund(principal, requested - actual)
    answer["extensions"] = _cost(requested, actual, status)
    return _json(answer)

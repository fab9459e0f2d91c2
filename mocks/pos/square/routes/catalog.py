"""Catalog API: list, upsert one, batch-upsert, search, retrieve, delete."""

from __future__ import annotations

from typing import Any, get_args

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request, Response

from mocks.pos.engine import catalog
from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.timestamps import fmt, normalize
from mocks.pos.square.deps import API_DEPENDENCIES, Store, square_settings
from mocks.pos.square.respond import next_cursor, position, read, write
from mocks.pos.square.schemas.catalog import (
    BatchUpsertCatalogObjectsRequest,
    ObjectType,
    SearchCatalogObjectsRequest,
    UpsertCatalogObjectRequest,
)

router = APIRouter(prefix="/v2/catalog", tags=["catalog"], dependencies=API_DEPENDENCIES)
ObjectId = Path(min_length=1, max_length=192)
OBJECT_TYPES = set(get_args(ObjectType))


def _page(
    store: Store,
    *,
    types: list[str] | None,
    include_deleted: bool,
    begin_time: str | None,
    exact: tuple[str, str] | None,
    cursor: str | None,
    limit: int,
    shape: object,
) -> Response:
    after = position(store, cursor, query=shape, size=1)

    def run(conn: sa.Connection) -> dict[str, Any]:
        found = catalog.search_objects(
            conn,
            types=types,
            include_deleted=include_deleted,
            begin_time=begin_time,
            exact=exact,
            after_id=after[0] if after else None,
            limit=limit + 1,
        )
        payload: dict[str, Any] = {"objects": found[:limit]}
        if len(found) > limit:
            payload["cursor"] = next_cursor(store, [found[limit - 1]["id"]], query=shape)
        version = catalog.catalog_version(conn)
        if version is not None:
            payload["latest_time"] = fmt(store.clock())
        return payload

    return read(store, run)


@router.get("/list")
async def list_catalog(
    store: Store,
    cursor: str | None = Query(None, max_length=2000),
    types: str | None = Query(None, max_length=500),
) -> Response:
    """List catalogue objects, optionally of some types (comma-separated)."""
    wanted = [t.strip().upper() for t in types.split(",") if t.strip()] if types else None
    for i, name in enumerate(wanted or []):
        if name not in OBJECT_TYPES:
            raise InvalidRequest(
                f"unknown catalog object type {name!r} at position {i}",
                field="types",
                code="INVALID_ENUM_VALUE",
            )
    return _page(
        store,
        types=wanted,
        include_deleted=False,
        begin_time=None,
        exact=None,
        cursor=cursor,
        limit=square_settings(store).list_page_cap,
        shape={"types": wanted},
    )


@router.post("/search")
async def search_catalog(body: SearchCatalogObjectsRequest, store: Store) -> Response:
    """Search catalogue objects by type, update time and an exact attribute (e.g. sku)."""
    exact = None
    if body.query and body.query.exact_query:
        exact = (body.query.exact_query.attribute_name, body.query.exact_query.attribute_value)
    begin = normalize(body.begin_time, "begin_time") if body.begin_time else None
    cap = 1000
    return _page(
        store,
        types=list(body.object_types) if body.object_types else None,
        include_deleted=bool(body.include_deleted_objects),
        begin_time=begin,
        exact=exact,
        cursor=body.cursor,
        limit=min(body.limit or 100, cap),
        shape=body.model_dump(exclude={"cursor", "limit"}, exclude_none=True),
    )


@router.post("/object")
async def upsert_catalog_object(
    body: UpsertCatalogObjectRequest, request: Request, store: Store
) -> Response:
    """Create or update one object (an item may carry its variations)."""
    obj = body.object.dump()

    def run(conn: sa.Connection) -> dict[str, Any]:
        stored, mappings = catalog.upsert_objects(conn, store, [obj], field="object", single=True)
        return {"catalog_object": stored[0], "id_mappings": mappings}

    return await write(
        request,
        store,
        scope="catalog.upsert",
        key=body.idempotency_key,
        body=body.dump(),
        action=run,
    )


@router.post("/batch-upsert")
async def batch_upsert_catalog_objects(
    body: BatchUpsertCatalogObjectsRequest, request: Request, store: Store
) -> Response:
    """Create or update objects in batches (all or nothing)."""
    total = sum(len(b.objects) for b in body.batches)
    if total > 10_000:
        raise InvalidRequest(
            f"at most 10000 objects per request, got {total}",
            field="batches",
            code="ARRAY_LENGTH_TOO_LONG",
        )
    batches = [[o.dump() for o in batch.objects] for batch in body.batches]

    def run(conn: sa.Connection) -> dict[str, Any]:
        objects: list[dict[str, Any]] = []
        mappings: list[dict[str, str]] = []
        for i, batch in enumerate(batches):
            stored, mapped = catalog.upsert_objects(
                conn, store, batch, field=f"batches[{i}].objects"
            )
            objects.extend(stored)
            mappings.extend(mapped)
        updated = objects[0]["updated_at"] if objects else fmt(store.clock())
        return {"objects": objects, "updated_at": updated, "id_mappings": mappings}

    return await write(
        request,
        store,
        scope="catalog.batch-upsert",
        key=body.idempotency_key,
        body=body.dump(),
        action=run,
    )


@router.get("/object/{object_id}")
async def retrieve_catalog_object(store: Store, object_id: str = ObjectId) -> Response:
    """Retrieve one object (an item with its variations)."""
    return read(store, lambda conn: {"object": catalog.get_object(conn, object_id)})


@router.delete("/object/{object_id}")
async def delete_catalog_object(
    request: Request, store: Store, object_id: str = ObjectId
) -> Response:
    """Delete an object (and an item's variations)."""

    def run(conn: sa.Connection) -> dict[str, Any]:
        ids = catalog.delete_object(conn, store, object_id)
        return {"deleted_object_ids": ids, "deleted_at": fmt(store.clock())}

    return await write(request, store, scope="catalog.delete", key=None, body=None, action=run)

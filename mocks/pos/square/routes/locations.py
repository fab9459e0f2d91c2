"""Locations API: list, retrieve, create."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request, Response

from mocks.pos.engine import locations
from mocks.pos.square.deps import API_DEPENDENCIES, Store
from mocks.pos.square.respond import read, write
from mocks.pos.square.schemas.misc import CreateLocationRequest

router = APIRouter(prefix="/v2/locations", tags=["locations"], dependencies=API_DEPENDENCIES)


@router.get("")
async def list_locations(store: Store) -> Response:
    """All locations of the merchant."""
    return read(store, lambda conn: {"locations": locations.list_locations(conn)})


@router.post("")
async def create_location(body: CreateLocationRequest, request: Request, store: Store) -> Response:
    """Create a location."""
    fields = body.location.dump()
    return await write(
        request,
        store,
        scope="locations.create",
        key=None,
        body=fields,
        action=lambda conn: {"location": locations.create_location(conn, store, fields)},
    )


@router.get("/{location_id}")
async def retrieve_location(
    store: Store, location_id: str = Path(min_length=1, max_length=50)
) -> Response:
    """Retrieve one location."""
    return read(store, lambda conn: {"location": locations.get_location(conn, location_id)})

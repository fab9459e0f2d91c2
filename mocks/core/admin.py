"""The admin API (``/admin``): journal, faults, clock and health, behind the admin token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import text

from domain.clock import RunClock
from mocks.core.deps import AdminContext, require_admin
from mocks.core.errors import ApiError
from mocks.core.journal import journal_table_arrow
from mocks.faults import FaultError

__all__ = ["AdminContext", "require_admin", "router"]


class ClockBody(BaseModel):
    """Anchor of the scenario timeline: simulated ``start`` happens at ``wall_origin``."""

    model_config = ConfigDict(extra="forbid")

    start: datetime
    speed: float = Field(gt=0)
    wall_origin: float | None = None
    """Epoch seconds; default now."""


router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/health")
def health(ctx: AdminContext) -> dict[str, Any]:
    """Liveness and database reachability."""
    with ctx.db.begin() as conn:
        conn.execute(text("SELECT 1"))
    return {
        "status": "ok",
        "mock": ctx.target,
        "database": "sqlite" if ctx.db.is_sqlite else "postgresql",
        "group_commit": {"batches": ctx.committer.batches, "writes": ctx.committer.items},
    }


@router.get("/journal")
def read_journal(
    ctx: AdminContext,
    since_id: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    method: Annotated[str | None, Query(max_length=10)] = None,
    path_prefix: Annotated[str | None, Query(max_length=500)] = None,
    status: Annotated[int | None, Query(ge=0, le=599)] = None,
    credential: Annotated[str | None, Query(max_length=80)] = None,
) -> dict[str, Any]:
    """Journal rows after ``since_id``, oldest first; page on with ``next_since_id``."""
    rows = ctx.journal.query(
        since_id=since_id,
        limit=limit,
        method=method,
        path_prefix=path_prefix,
        status=status,
        credential=credential,
    )
    return {"rows": rows, "next_since_id": rows[-1]["id"] if rows else since_id}


@router.get("/journal.parquet")
def journal_parquet(ctx: AdminContext) -> Response:
    """The whole journal as a Parquet file (the run table)."""
    import io

    import pyarrow.parquet as pq

    ctx.journal.flush()
    buffer = io.BytesIO()
    pq.write_table(journal_table_arrow(ctx.db), buffer)
    return Response(buffer.getvalue(), media_type="application/vnd.apache.parquet")


@router.delete("/journal", status_code=204)
def clear_journal(ctx: AdminContext) -> Response:
    """Delete every journal row."""
    ctx.journal.clear()
    return Response(status_code=204)


@router.get("/faults")
def list_faults(ctx: AdminContext) -> dict[str, Any]:
    """Scheduled and currently active faults, and the rate-limit factor in force."""
    ctx.fault_sync.reload()
    return {
        "scheduled": [f.to_dict() for f in ctx.faults.scheduled()],
        "active": [f.to_dict() for f in ctx.faults.active()],
        "rate_limit_factor": ctx.faults.rate_limit_factor(),
        "clock": {
            "start": _isoformat(ctx.faults.clock.start),
            "speed": ctx.faults.clock.speed,
            "wall_origin": ctx.faults.clock.wall_origin,
        },
    }


@router.post("/faults", status_code=201)
def add_fault(ctx: AdminContext, body: dict[str, Any]) -> dict[str, Any]:
    """Activate a fault now (``for`` in wall seconds); body like a scenario fault entry."""
    try:
        fault = ctx.fault_sync.add(body)
    except FaultError as exc:
        raise ApiError(400, str(exc), field=exc.field) from None
    return fault.to_dict()


@router.delete("/faults/{fault_id}", status_code=204)
def remove_fault(ctx: AdminContext, fault_id: str) -> Response:
    """Deactivate one runtime fault."""
    if not ctx.fault_sync.remove(fault_id):
        raise ApiError(404, f"No runtime fault with id {fault_id!r}.", field="fault_id")
    return Response(status_code=204)


@router.delete("/faults", status_code=204)
def clear_faults(ctx: AdminContext) -> Response:
    """Deactivate every runtime fault (the scenario timeline stays)."""
    ctx.fault_sync.clear()
    return Response(status_code=204)


@router.put("/clock")
def set_clock(ctx: AdminContext, body: ClockBody) -> dict[str, Any]:
    """Re-anchor the scenario timeline (the harness calls this when the run starts)."""
    origin = ctx.now() if body.wall_origin is None else body.wall_origin
    try:
        ctx.fault_sync.set_clock(RunClock(origin, body.speed, body.start))
    except FaultError as exc:
        raise ApiError(400, str(exc), field=exc.field) from None
    return {"start": body.start.isoformat(), "speed": body.speed, "wall_origin": origin}


def _isoformat(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()

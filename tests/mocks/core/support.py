"""A toy dialect on the shared core: one persisted resource, used by the core tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from mocks.core import ApiError, Context, CoreSettings, Principal, annotate, create_mock_app

toy_metadata = MetaData()
notes_table = Table(
    "toy_notes",
    toy_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", String(100), nullable=False),
)

API = {"Authorization": "Bearer tok-a"}
ADMIN = {"Authorization": "Bearer adm"}


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=100)
    copies: int = Field(default=1, ge=1, le=5)


def render(error: ApiError) -> Mapping[str, Any]:
    return {"problem": {"status": error.status, "field": error.field, "message": error.message}}


def toy_app(
    settings: Mapping[str, Any],
    *,
    exempt_paths: tuple[str, ...] = (),
    now: Callable[[], float] = time.time,
) -> Any:
    app = create_mock_app(
        target="toy",
        settings=CoreSettings.model_validate(settings),
        metadata=toy_metadata,
        render_error=render,
        title="toy",
        exempt_paths=exempt_paths,
        now=now,
    )

    @app.post("/notes", status_code=201)
    def create_note(body: NoteIn, ctx: Context, principal: Principal, request: Request) -> dict:
        with ctx.db.begin() as conn:
            new_id = conn.execute(notes_table.insert().values(text=body.text)).inserted_primary_key
        annotate(request.scope, document_id=str(new_id[0]), ref=principal)
        return {"id": new_id[0], "text": body.text}

    @app.get("/notes/{note_id}")
    def read_note(note_id: int, ctx: Context, _principal: Principal) -> dict:
        with ctx.db.begin() as conn:
            row = conn.execute(select(notes_table).where(notes_table.c.id == note_id)).first()
        if row is None:
            raise ApiError(404, f"Note {note_id} not found.", field="note_id")
        return {"id": row.id, "text": row.text}

    return app


def toy_settings(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    return {
        "db_url": f"sqlite:///{tmp_path / 'toy.sqlite'}",
        "admin_token": "adm",
        "api_tokens": {"tok-a": "alice", "tok-b": "bob"},
        "max_body_bytes": 2048,
        **overrides,
    }

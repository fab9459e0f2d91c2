"""The POS engine's handle: database, settings and clock, passed to every engine function."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from mocks.pos.engine.settings import PosSettings
from mocks.pos.engine.tables import metadata
from mocks.pos.engine.timestamps import Now, utcnow


@dataclass(frozen=True, kw_only=True)
class PosStore:
    """What engine functions need besides a connection."""

    db: sa.Engine
    settings: PosSettings
    clock: Now = field(default=utcnow)

    def create_schema(self) -> None:
        """Create the POS tables if they do not exist."""
        metadata.create_all(self.db)

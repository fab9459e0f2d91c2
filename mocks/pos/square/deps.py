"""`Annotated` dependencies of the Square dialect: the engine handle (`Store`), the
dialect's settings, and what every Square API route depends on (bearer token, NUL guard)."""

from __future__ import annotations

from fastapi import Depends

from mocks.core import Principal, api_principal
from mocks.pos.engine.deps import Store, guard_input
from mocks.pos.engine.store import PosStore
from mocks.pos.square.settings import SquareSettings

API_DEPENDENCIES = [Depends(api_principal), Depends(guard_input)]


def square_settings(store: PosStore) -> SquareSettings:
    """The settings of the Square app `store` belongs to."""
    settings = store.settings
    assert isinstance(settings, SquareSettings), "the Square routes need SquareSettings"
    return settings


__all__ = ["API_DEPENDENCIES", "Principal", "Store", "square_settings"]

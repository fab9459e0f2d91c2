"""Routers of the Square dialect, one per resource."""

__all__: list[str] = []

"""Routers of the Business Central v2.0 dialect, one module per resource."""

__all__: list[str] = []

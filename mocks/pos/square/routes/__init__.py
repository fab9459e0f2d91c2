"""Routers of the Square dialect, one per resource."""

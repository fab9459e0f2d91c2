"""Pydantic request schemas of the Square dialect (field names and enums from Square's
OpenAPI description); responses are built from engine records by `render`."""

__all__: list[str] = []

"""Shopify global ids (``gid://shopify/<Type>/<id>``) over the engine's ids."""

from __future__ import annotations

PREFIX = "gid://shopify/"


def gid(kind: str, engine_id: str) -> str:
    """The global id of engine object `engine_id` as a Shopify `kind` (Order, Location…)."""
    return f"{PREFIX}{kind}/{engine_id}"


def parse(value: object, kind: str) -> str | None:
    """The engine id inside a global id of type `kind`; None when it is not one."""
    if not isinstance(value, str) or not value.startswith(PREFIX):
        return None
    found_kind, _, rest = value[len(PREFIX) :].partition("/")
    engine_id = rest.split("?", 1)[0]
    if found_kind != kind or not engine_id:
        return None
    return engine_id

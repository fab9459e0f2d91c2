"""Parse `--set key=value` options into scenario overrides."""

from __future__ import annotations

from collections.abc import Iterable

import yaml


class OverrideError(ValueError):
    """A `--set` option that is not `dotted.key=value`."""


def parse_overrides(items: Iterable[str]) -> dict[str, object]:
    """Turn `["erp.concurrency=3", "integration.interval=5m"]` into a mapping.

    Values are read as YAML scalars, so `3` is an int, `0.5` a float, `true` a bool and
    `5m` stays a string for the scenario schema to parse.
    """
    result: dict[str, object] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise OverrideError(f"--set {item!r}: expected KEY=VALUE, e.g. erp.concurrency=3")
        try:
            result[key] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            result[key] = raw
    return result


__all__ = ["OverrideError", "parse_overrides"]

"""Change a validated scenario at dotted paths, for parameter sweeps.

``override(scenario, {"erp.concurrency": 3, "faults[0].for": "30m"})`` dumps the scenario,
sets each path (a mapping value merges into the mapping there), and validates the result
again, so a sweep can never run an invalid scenario.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ._errors import ScenarioError
from ._merge import Loc, deep_merge
from ._messages import error_lines, format_loc
from ._render import render
from ._shorthands import expand_shorthands
from ._yaml import YamlProblem, read_yaml

__all__ = ["OVERRIDE", "override", "parse_path", "parse_value"]

OVERRIDE = "override"
"""The FILE part of error lines caused by overrides."""

ModelT = TypeVar("ModelT", bound=BaseModel)
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PATH = re.compile(r"[^.\[\]]+(?:\[\d+\])*(?:\.[^.\[\]]+(?:\[\d+\])*)*")


def parse_path(dotted: str) -> Loc:
    """``"faults[0].for"`` → ``("faults", 0, "for")``; `ScenarioError` if malformed."""
    if _PATH.fullmatch(dotted) is None:
        raise ScenarioError(
            [f"{OVERRIDE}: {dotted}: not a field path like erp.concurrency or faults[0].for"]
        )
    return tuple(int(index) if index else name for name, index in _PART.findall(dotted))


def parse_value(text: str, *, where: str = OVERRIDE) -> object:
    """A ``--set KEY=TEXT`` value read as YAML the way scenario files are (``12:00`` stays
    text, the same alias and nesting budgets); text that is not YAML stays text, and YAML
    over a budget is a `ScenarioError` line naming ``where``.

    Example::

        parse_value("3")  # 3;  parse_value("12:00")  # '12:00';  parse_value("[a, b]")
    """
    if not text.strip():
        return ""
    try:
        return read_yaml(text)
    except YamlProblem as problem:
        if problem.kind == "invalid YAML":
            return text
        raise ScenarioError([f"{where}: {problem.kind}: {problem.message}"]) from None


def _parent(data: dict[str, Any], loc: Loc) -> Any:
    """The container that holds the last part of ``loc``, creating missing mappings."""
    node: Any = data
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                size = len(node) if isinstance(node, list) else 0
                where = format_loc(loc[: depth + 1])
                raise ScenarioError([f"{OVERRIDE}: {where}: no such item (there are {size})"])
        elif not isinstance(node, dict):
            where = format_loc(loc[:depth])
            raise ScenarioError([f"{OVERRIDE}: {where}: has no fields, got {render(node)}"])
        if depth == len(loc) - 1:
            return node
        if isinstance(part, str) and node.get(part) is None:
            node[part] = {}
        node = node[part]
    return node


def _set(data: dict[str, Any], loc: Loc, value: object) -> None:
    parent, last = _parent(data, loc), loc[-1]
    current = parent[last] if isinstance(last, int) else parent.get(last)
    if isinstance(value, Mapping) and isinstance(current, Mapping):
        parent[last] = deep_merge(current, value)
    else:
        parent[last] = value


def override(scenario: ModelT, changes: Mapping[str, object]) -> ModelT:
    """A re-validated copy of ``scenario`` with each dotted path in ``changes`` set.

    Raises `ScenarioError` with lines like ``override: erp.concurrency: must be ≥ 1, got 0``.
    """
    data = scenario.model_dump(mode="json", by_alias=True)
    for dotted, value in changes.items():
        loc = parse_path(dotted)
        if len(loc) == 1:
            value = expand_shorthands({str(loc[0]): value})[str(loc[0])]
        _set(data, loc, value)
    try:
        return type(scenario).model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            error_lines(exc, model=type(scenario), file_of=lambda _: OVERRIDE)
        ) from None

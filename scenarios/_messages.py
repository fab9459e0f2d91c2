"""Turn pydantic's validation errors into lines a person can act on.

Each line reads ``FILE: field.path: problem, got VALUE``: the path uses the YAML names with
list indices (``faults[2].kind``), the problem is plain English (``must be ≥ 1``,
``unknown field (did you mean "concurrency"?)``) and the value is shown as written in YAML.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ._base import ISSUES
from ._duration import format_duration
from ._merge import Loc
from ._render import render

__all__ = ["error_lines", "format_loc"]

_PLAIN: dict[str, str] = {
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "dict_type": "must be a mapping of key: value",
    "model_type": "must be a mapping of key: value",
    "model_attributes_type": "must be a mapping of key: value",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "date_type": "not a date like 2026-11-27",
    "date_parsing": "not a date like 2026-11-27",
    "date_from_datetime_parsing": "not a date like 2026-11-27",
    "date_from_datetime_inexact": "not a date like 2026-11-27",
    "datetime_type": "not a date and time like 2026-11-27T07:00",
    "datetime_parsing": "not a date and time like 2026-11-27T07:00",
    "datetime_from_date_parsing": "not a date and time like 2026-11-27T07:00",
    "datetime_object_invalid": "not a date and time like 2026-11-27T07:00",
}
_BOUNDS = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", "≥"),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "≤"),
}


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-]+")


def format_loc(loc: Loc) -> str:
    """``("faults", 2, "kind")`` → ``faults[2].kind``; a key that is not a plain name is
    quoted (``chain.'odd key'``), so the path stays on one line."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        plain = isinstance(part, str) and _PLAIN_KEY.fullmatch(part) is not None
        name = part if plain else render(part)
        text += f".{name}" if text else name
    return text


def _bound(value: object) -> str:
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    elif get_origin(annotation) is not None or isinstance(annotation, types.UnionType):
        for argument in get_args(annotation):
            yield from _models_in(argument)


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the keys at ``loc`` (None if not a model)."""
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int) or part not in _fields_by_key(model):
            # list index or mapping key: the item type was already selected below
            continue
        annotation = _fields_by_key(model)[part].annotation
        model = next(_models_in(annotation), None)
    return model


def _fields_by_key(model: type[BaseModel]) -> dict[str, Any]:
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _homes(model: type[BaseModel], key: str, prefix: Loc = ()) -> Iterator[Loc]:
    """Paths, anywhere below ``model``, of fields named ``key``."""
    for name, field in _fields_by_key(model).items():
        if name == key:
            yield (*prefix, name)
        for inner in _models_in(field.annotation):
            yield from _homes(inner, key, (*prefix, name))


def _unknown_field(root: type[BaseModel], loc: Loc, extra_keys: tuple[str, ...]) -> str:
    model = _model_at(root, loc[:-1])
    if model is None:
        return "unknown field"
    key = str(loc[-1])
    known = sorted(_fields_by_key(model)) + (list(extra_keys) if len(loc) == 1 else [])
    elsewhere = sorted({format_loc(home) for home in _homes(root, key)})
    if elsewhere:
        return f"unknown field here (did you mean {' or '.join(elsewhere)}?)"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f'unknown field (did you mean "{close[0]}"?)'
    return f"unknown field (expected one of: {', '.join(known)})"


def _problem(error: ErrorDetails, root: type[BaseModel], extra_keys: tuple[str, ...]) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind in _BOUNDS:
        key, symbol = _BOUNDS[kind]
        return f"must be {symbol} {_bound(ctx[key])}"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} entries"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "extra_forbidden":
        return _unknown_field(root, tuple(error["loc"]), extra_keys)
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"must be one of {', '.join(choices)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"][:1].lower() + error["msg"][1:]


@dataclass(frozen=True)
class _Options:
    model: type[BaseModel]
    file_of: Callable[[Loc], str]
    extra_keys: tuple[str, ...]


def _line(where: Loc, problem: str, got: str | None, options: _Options) -> tuple[Loc, str]:
    suffix = "" if got is None else f", got {got}"
    return where, f"{options.file_of(where)}: {format_loc(where)}: {problem}{suffix}"


def _located(error: ErrorDetails, prefix: Loc, options: _Options) -> list[tuple[Loc, str]]:
    loc: Loc = (*prefix, *error["loc"])
    if error["type"] == ISSUES:
        ctx = error["ctx"]
        found = [
            _line((*loc, *issue.loc), issue.problem, issue.got, options) for issue in ctx["issues"]
        ]
        for inner in ctx["errors"]:
            found += _located(inner, loc, options)
        return sorted(found, key=lambda pair: _order(pair[0][len(loc) :]))
    if error["type"] == "missing":
        return [_line(loc, "required, but missing", None, options)]
    problem = _problem({**error, "loc": loc}, options.model, options.extra_keys)
    return [_line(loc, problem, _got(error), options)]


def _got(error: ErrorDetails) -> str:
    """The value to show: as written, or how many entries or characters when too long."""
    value = error["input"]
    if error["type"] == "too_long" and hasattr(value, "__len__"):
        return f"{len(value)} entries"
    if error["type"] == "string_too_long" and isinstance(value, str):
        return f"{len(value)} characters"
    return render(value)


def _order(loc: Loc) -> tuple[int, ...]:
    """Sort key: list indices first, so problems of one list item stay together."""
    return tuple(part if isinstance(part, int) else -1 for part in loc[:1])


def _lines(error: ErrorDetails, prefix: Loc, options: _Options) -> list[str]:
    return [line for _, line in _located(error, prefix, options)]


def error_lines(
    exc: ValidationError,
    *,
    model: type[BaseModel],
    file_of: Callable[[Loc], str],
    extra_keys: tuple[str, ...] = (),
) -> list[str]:
    """One ``FILE: path: problem, got VALUE`` line per error in ``exc``.

    ``file_of`` names the file that wrote a path; ``extra_keys`` are top-level keys the
    loader understands besides the model's fields (``extends``), offered as suggestions.
    """
    options = _Options(model=model, file_of=file_of, extra_keys=extra_keys)
    return [line for error in exc.errors(include_url=False) for line in _lines(error, (), options)]

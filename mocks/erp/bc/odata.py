"""OData bits of the Business Central dialect: ETags, ``$filter`` (``eq``/``ne``/``gt``/
``ge``/``lt``/``le`` joined by ``and``), ``$skiptoken`` paging and ``@odata.nextLink``."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Table
from sqlalchemy.sql import ColumnElement

from mocks.core import ApiError

_TERM = re.compile(
    r"\s*([A-Za-z][A-Za-z0-9]*)\s+(eq|ne|gt|ge|lt|le)\s+"
    r"('(?:[^']|'')*'|true|false|null|[0-9a-fA-F-]{36}"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})"
    r"|\d{4}-\d{2}-\d{2}|-?\d+(?:\.\d+)?)\s*",
)


def etag(version: int, record_id: str) -> str:
    """A weak ETag that changes with every write of the record."""
    token = base64.urlsafe_b64encode(f"{version};{record_id}".encode()).decode().rstrip("=")
    return f'W/"{token}"'


def expected_version(if_match: str | None, record_id: str, *, required: bool = True) -> int | None:
    """The version an ``If-Match`` header expects (None for ``*``).

    Missing → 428; an ETag of another record or unreadable → 412 (stale)."""
    if if_match is None or not if_match.strip():
        if not required:
            return None
        raise ApiError(
            428,
            "Could not process the request because the If-Match header is missing; send the "
            "record's @odata.etag (or *).",
            code="Request_IfMatchMissing",
            field="If-Match",
        )
    value = if_match.strip()
    if value == "*":
        return None
    match = re.fullmatch(r'(?:W/)?"([A-Za-z0-9_-]+)"', value)
    if match:
        padded = match[1] + "=" * (-len(match[1]) % 4)
        try:
            version_text, _, owner = base64.urlsafe_b64decode(padded).decode().partition(";")
            if owner == record_id and version_text.isdigit():
                return int(version_text)
        except (ValueError, UnicodeDecodeError):
            pass
    raise ApiError(
        412,
        "Another user has already changed the record (the If-Match ETag is stale or belongs "
        "to another record); read it again and retry.",
        code="Request_EntityChanged",
        field="If-Match",
    )


@dataclass(frozen=True, slots=True)
class FilterField:
    """How an API property maps to a column for ``$filter``; ``convert`` maps the literal."""

    column: str
    kind: str = "str"


def parse_filter(
    text: str | None, table: Table, fields: Mapping[str, FilterField]
) -> list[ColumnElement[bool]]:
    """SQL clauses for a ``$filter`` expression; unsupported syntax → 400 naming ``$filter``."""
    if not text:
        return []
    clauses: list[ColumnElement[bool]] = []
    for part in re.split(r"\s+and\s+", text.strip()):
        match = _TERM.fullmatch(part)
        if match is None:
            raise ApiError(
                400,
                f"$filter: cannot parse {part!r}; use property eq 'value' joined by 'and'.",
                code="BadRequest",
                field="$filter",
            )
        name, op, literal = match[1], match[2], match[3]
        spec = fields.get(name)
        if spec is None:
            raise ApiError(
                400,
                f"$filter: property {name!r} cannot be filtered on; use one of "
                f"{', '.join(sorted(fields))}.",
                code="BadRequest_PropertyNotFound",
                field="$filter",
            )
        value = _literal(literal, spec.kind, name)
        column = table.c[spec.column]
        ops = {
            "eq": column == value,
            "ne": column != value,
            "gt": column > value,
            "ge": column >= value,
            "lt": column < value,
            "le": column <= value,
        }
        clauses.append(ops[op])
    return clauses


def _literal(text: str, kind: str, name: str) -> Any:
    if text == "null":
        return None
    if text.startswith("'"):
        value: Any = text[1:-1].replace("''", "'")
    elif text in ("true", "false"):
        value = text == "true"
    else:
        value = text
    if kind == "bool" and not isinstance(value, bool):
        raise ApiError(400, f"$filter: {name} needs true or false.", field="$filter")
    if kind == "date":
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ApiError(
                400, f"$filter: {name} needs a date YYYY-MM-DD.", field="$filter"
            ) from None
    if kind == "datetime":
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(
                400, f"$filter: {name} needs an ISO date-time.", field="$filter"
            ) from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return moment.replace(tzinfo=None)
    if kind == "seq":
        digits = re.sub(r"^[A-Z-]+", "", str(value))
        return int(digits) - 100000 if digits.isdigit() and len(digits) < 18 else -1
    return value if kind != "str" or isinstance(value, str) else str(value)


def encode_token(value: Any) -> str:
    """An opaque ``$skiptoken`` for a keyset position."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def decode_token(token: str | None) -> Any:
    """The keyset position of a ``$skiptoken``; garbage → 400 naming it."""
    if token is None:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            400, "$skiptoken is not valid; follow @odata.nextLink as given.", field="$skiptoken"
        ) from None


def next_link(base_url: str, query: Mapping[str, str], after: Any) -> str:
    """``@odata.nextLink``: the same query with ``$skiptoken`` set."""
    params = {k: v for k, v in query.items() if k not in ("$skiptoken", "$skip")}
    params["$skiptoken"] = encode_token(after)
    return f"{base_url}?{urlencode(params, safe='$,')}"

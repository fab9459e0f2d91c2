"""OData bits of the Business Central dialect: ETags (``@odata.etag``, the ``ETag`` header,
``If-Match``), ``$skiptoken`` and ``@odata.nextLink``. The query options themselves are in
`mocks.erp.bc.query`."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from mocks.core import ApiError

ETAG = "@odata.etag"


def etag_header(body: Mapping[str, Any]) -> dict[str, str]:
    """The ``ETag`` response header of a single entity (its ``@odata.etag``)."""
    value = body.get(ETAG)
    return {"ETag": str(value)} if value else {}


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
    params = {k: v for k, v in query.items() if k != "$skiptoken"}
    params["$skiptoken"] = encode_token(after)
    return f"{base_url}?{urlencode(params, safe='$,')}"

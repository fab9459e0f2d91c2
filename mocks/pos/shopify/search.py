"""Shopify search syntax for the `query:` argument of connections, the part the mock
covers: ``field:value`` terms joined by spaces (AND), with ``>``, ``>=``, ``<``, ``<=`` on
dates (``updated_at:>'2025-01-01T00:00:00Z'``). Unknown fields are refused, naming the
term, instead of being ignored."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from mocks.pos.engine.timestamps import normalize

TERM = re.compile(r"^(?P<field>[a-z_]+):(?P<op><=|>=|<|>)?(?P<value>.+)$")


class SearchError(ValueError):
    """A search string the mock cannot read; the message names the term."""


@dataclass(frozen=True, slots=True)
class Term:
    """One ``field:op value`` term."""

    field: str
    op: str
    value: str


def parse(query: str | None, fields: dict[str, str]) -> list[Term]:
    """The terms of `query`; `fields` maps each allowed field to its kind (date, text)."""
    if not query or not query.strip():
        return []
    try:
        words = shlex.split(query)
    except ValueError as error:
        raise SearchError(f"query: cannot read {query!r}: {error}") from None
    terms = []
    for word in words:
        if word.upper() == "AND":
            continue
        match = TERM.match(word)
        if match is None or match["field"] not in fields:
            allowed = ", ".join(sorted(fields))
            raise SearchError(
                f"query: unsupported search term {word!r}; this mock filters on {allowed}"
            )
        value = match["value"].strip("'\"")
        op = match["op"] or "="
        if fields[match["field"]] == "date":
            value = normalize(value, f"query.{match['field']}")
        elif op != "=":
            raise SearchError(f"query: {match['field']} takes no comparison, got {word!r}")
        terms.append(Term(match["field"], op, value))
    return terms

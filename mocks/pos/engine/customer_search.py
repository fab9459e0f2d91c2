"""Searching customer profiles: the matching rules of Square's SearchCustomers, kept apart
from the wire format (the dialect builds a `CustomerQuery`).

- Filters combine with AND. Only profiles with public information (a name, company, e-mail
  or phone number) are found.
- E-mail address and reference id, exact: equal ignoring case. Fuzzy: punctuation is
  removed (e-mail) or becomes spaces (reference id), the text is split into tokens, and
  every token of the query must be part of some token of the profile, in any order.
- Phone number, exact: the query must be in E.164 form (``+`` and the country code, e.g.
  ``+1 (206) 222-3333``); both sides compare as ``+`` and digits. A stored number without
  ``+`` counts as a number of the seller's country (``+1``, the mock merchant is in the
  US). Fuzzy: every token of the query (its digits) is part of the stored number's digits.
- ``created_at`` / ``updated_at``: a time range, both ends inclusive.
- ``creation_source``: profiles whose source is one of ``values`` are included (``INCLUDE``,
  the default) or left out (``EXCLUDE``).
- Order: ``DEFAULT`` sorts by given and family name (or, without them, company name, e-mail,
  phone number), ignoring case; ``CREATED_AT`` by creation time; ties by id.
- Profiles created less than ``search_lag_seconds`` ago are not found yet (Square: "well
  under 30 seconds", sometimes a minute or more).

Sources: developer.squareup.com, "Search for Customer Profiles" and the ``CustomerFilter``
object of the API reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

import sqlalchemy as sa

from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import customers
from mocks.pos.engine.timestamps import fmt

Record = dict[str, Any]

PUBLIC = ("given_name", "family_name", "company_name", "email_address", "phone_number")
"""A profile with none of these is never found."""
COUNTRY_CODE = "1"
"""The calling code a stored phone number without ``+`` is read in (the mock's US seller)."""

_PUNCTUATION = re.compile(r"[^\w\s]|_")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_E164 = re.compile(r"^\+\d[\d\s().-]*$")


@dataclass(frozen=True, slots=True)
class TextMatch:
    """One text filter: ``exact`` or ``fuzzy`` (never both)."""

    value: str
    fuzzy: bool


@dataclass(frozen=True, slots=True)
class CustomerQuery:
    """What to search for; None means "no such filter"."""

    email_address: TextMatch | None = None
    phone_number: TextMatch | None = None
    reference_id: TextMatch | None = None
    created_at: tuple[str | None, str | None] | None = None
    updated_at: tuple[str | None, str | None] | None = None
    creation_sources: tuple[frozenset[str], bool] | None = None
    """(sources, include)."""
    sort_field: Literal["DEFAULT", "CREATED_AT"] = "DEFAULT"
    descending: bool = False


def e164(number: str, field: str) -> str:
    """A phone number in E.164 form (``+`` and digits); InvalidRequest naming ``field`` when
    the query is not one."""
    if not _E164.match(number.strip()):
        raise InvalidRequest(
            f"an exact phone number must be in E.164 form, '+' and the country code first "
            f"(e.g. +12062223333 or +1 (206) 222-3333), got {number!r}",
            field=field,
        )
    return "+" + "".join(ch for ch in number if ch.isdigit())


def _stored_phone(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    if number.strip().startswith("+"):
        return "+" + digits
    return "+" + COUNTRY_CODE + digits


def _tokens(text: str, *, drop_punctuation: bool) -> list[str]:
    if drop_punctuation:
        return _PUNCTUATION.sub("", text.casefold()).split()
    return _NON_ALNUM.sub(" ", text.casefold()).split()


def _fuzzy(stored: str, query: str, *, drop_punctuation: bool) -> bool:
    have = _tokens(stored, drop_punctuation=drop_punctuation)
    wanted = _tokens(query, drop_punctuation=drop_punctuation)
    return bool(wanted) and all(any(w in h for h in have) for w in wanted)


def _text(record: Record, name: str, match: TextMatch) -> bool:
    stored = record.get(name)
    if not isinstance(stored, str) or not stored:
        return False
    if name == "phone_number":
        if match.fuzzy:
            digits = "".join(ch for ch in stored if ch.isdigit())
            wanted = [t for t in re.split(r"\s+", match.value.strip()) if t]
            tokens = ["".join(ch for ch in t if ch.isdigit()) for t in wanted]
            return bool(tokens) and all(t and t in digits for t in tokens)
        return _stored_phone(stored) == match.value
    if match.fuzzy:
        return _fuzzy(stored, match.value, drop_punctuation=name == "email_address")
    return stored.casefold() == match.value.casefold()


def _within(value: str, window: tuple[str | None, str | None]) -> bool:
    start, end = window
    return (start is None or value >= start) and (end is None or value <= end)


def matches(record: Record, query: CustomerQuery) -> bool:
    """Whether one profile meets every filter of ``query``."""
    if not any(record.get(name) for name in PUBLIC):
        return False
    for name in ("email_address", "phone_number", "reference_id"):
        match: TextMatch | None = getattr(query, name)
        if match is not None and not _text(record, name, match):
            return False
    if query.created_at is not None and not _within(str(record["created_at"]), query.created_at):
        return False
    if query.updated_at is not None and not _within(str(record["updated_at"]), query.updated_at):
        return False
    if query.creation_sources is not None:
        sources, include = query.creation_sources
        if (record.get("creation_source") in sources) != include:
            return False
    return True


def sort_key(record: Record, field: str) -> str:
    """The text a profile sorts by (ties are broken by id)."""
    if field == "CREATED_AT":
        return str(record["created_at"])
    name = " ".join(str(record.get(k) or "") for k in ("given_name", "family_name")).strip()
    for fallback in ("company_name", "email_address", "phone_number"):
        if name:
            break
        name = str(record.get(fallback) or "")
    return name.casefold()


def search(
    conn: sa.Connection,
    store: PosStore,
    query: CustomerQuery,
    *,
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[Record], int]:
    """A page of matching profiles after the keyset position ``after`` (sort key, id), and
    how many match in all."""
    c = customers.c
    select = sa.select(c.data)
    lag = store.settings.search_lag_seconds
    if lag > 0:
        select = select.where(c.created_at <= fmt(store.clock() - timedelta(seconds=lag)))
    if query.created_at is not None:
        start, end = query.created_at
        if start is not None:
            select = select.where(c.created_at >= start)
        if end is not None:
            select = select.where(c.created_at <= end)
    found = [dict(row.data) for row in conn.execute(select)]
    found = [record for record in found if matches(record, query)]
    keyed = sorted(
        ((sort_key(r, query.sort_field), str(r["id"]), r) for r in found),
        key=lambda item: (item[0], item[1]),
        reverse=query.descending,
    )
    if after is not None:
        if query.descending:
            keyed = [k for k in keyed if (k[0], k[1]) < after]
        else:
            keyed = [k for k in keyed if (k[0], k[1]) > after]
    return [record for _key, _id, record in keyed[:limit]], len(found)

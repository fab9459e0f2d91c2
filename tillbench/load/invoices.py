"""Sales invoices committed in the ERP, read incrementally through its public API.

A connector may post one invoice per request or many in a ``$batch`` (the mock's journal
then has one row for all of them), so commits are read from the documents themselves:
``GET salesInvoices?$filter=number gt '<last seen>'`` (Business Central numbers documents
in sequence), each invoice's ``externalDocumentNumber`` (the POS sale id) and its
``lastModifiedDateTime`` (the commit, wall clock). With PostgreSQL and several writers a
lower number may commit after a higher one is seen; the mocks on SQLite commit in order.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from domain.clock import epoch

__all__ = ["InvoiceTail"]


def _sequence(number: str) -> int:
    digits = re.sub(r"\D", "", number)
    return int(digits) if digits else -1


class InvoiceTail:
    """``commits``: POS sale id → wall time its invoice was committed (the first one)."""

    def __init__(self, company_url: str, *, token: str) -> None:
        self.url = f"{company_url.rstrip('/')}/salesInvoices"
        self.commits: dict[str, float] = {}
        self._last: str | None = None
        self._headers = {"Authorization": f"Bearer {token}"}

    def _page(self, client: httpx.Client, url: str, params: dict[str, str] | None) -> Any:
        response = client.get(url, params=params)
        response.raise_for_status()
        return response.json()

    def poll(self) -> int:
        """Read the invoices numbered after the last seen; returns how many were new."""
        params = {} if self._last is None else {"$filter": f"number gt '{self._last}'"}
        new = 0
        with httpx.Client(timeout=60, headers=self._headers) as client:
            url: str | None = self.url
            while url:
                page = self._page(client, url, params if url == self.url else None)
                for doc in page.get("value") or []:
                    new += 1
                    number = str(doc.get("number") or "")
                    if self._last is None or _sequence(number) > _sequence(self._last):
                        self._last = number
                    ref = doc.get("externalDocumentNumber")
                    wall = epoch(doc.get("lastModifiedDateTime"))
                    if ref and wall is not None:
                        self.commits[ref] = min(wall, self.commits.get(ref, wall))
                url = page.get("@odata.nextLink")
        return new

"""Sales invoices committed in the ERP, read incrementally through its public API."""

from __future__ import annotations

from typing import Any

import httpx

from domain.clock import epoch
from tests.tillbench.support import served
from tillbench.load.invoices import InvoiceTail


def _invoice(number: int, ref: str, stamp: str) -> dict[str, Any]:
    return {
        "number": f"S-INV-{number}",
        "externalDocumentNumber": ref,
        "lastModifiedDateTime": stamp,
    }


def test_invoice_tail_reads_only_invoices_numbered_after_the_last_seen() -> None:
    filters: list[str | None] = []
    later: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer tok"
        filters.append(request.url.params.get("$filter"))
        if request.url.params.get("page") == "2":
            return httpx.Response(
                200, json={"value": [_invoice(100002, "B", "2026-11-29T10:00:02.500Z")]}
            )
        if request.url.params.get("$filter") is None:
            first = [_invoice(100001, "A", "2026-11-29T10:00:01.000Z")]
            return httpx.Response(
                200, json={"value": first, "@odata.nextLink": f"{request.url}?page=2"}
            )
        return httpx.Response(200, json={"value": later})

    tail = InvoiceTail("http://erp/api/v2.0/companies(c1)/", token="tok")
    with served(handler):
        assert tail.poll() == 2
        assert tail.poll() == 0
        later.append(_invoice(100003, "A", "2026-11-29T10:00:09.000Z"))
        assert tail.poll() == 1
    assert filters == [None, None, "number gt 'S-INV-100002'", "number gt 'S-INV-100002'"]
    assert tail.commits == {
        "A": epoch("2026-11-29T10:00:01.000Z"),
        "B": epoch("2026-11-29T10:00:02.500Z"),
    }, "a sale posted twice keeps its first commit"

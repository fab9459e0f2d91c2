"""Property: ERP stock = opening − posted invoice lines + credit-memo lines ± journal lines,
whatever the sequence of documents (failed documents change nothing; drafts change nothing
until posted; duplicates refused here, so a second document of a number fails)."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.mocks.erp.support import (
    API,
    BASE,
    CATALOG,
    credit_memo,
    invoice,
    journal_id,
    seeded_client,
    stock_of,
)

SKUS = ["SKU-1", "SKU-2", "SKU-3", "GHOST"]
STORES = ["S001", "S002"]

line = st.tuples(st.sampled_from(SKUS), st.sampled_from(STORES), st.integers(1, 5))
operation = st.tuples(
    st.sampled_from(["invoice", "credit", "journal"]),
    st.lists(line, min_size=1, max_size=4),
    st.sampled_from(["A", "B", "C", "D"]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=8))
def test_stock_is_conserved(ops: list[tuple[str, list[tuple[str, str, int]], str]]) -> None:
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for level in CATALOG["stock"]:
        expected[(level["itemNumber"], level["locationCode"])] = level["quantity"]
    with (
        tempfile.TemporaryDirectory() as tmp,
        seeded_client(Path(tmp), duplicates="reject") as erp,
    ):
        jid = journal_id(erp)
        used: set[tuple[str, str]] = set()
        for kind, lines, ext in ops:
            valid = all(sku != "GHOST" for sku, _, _ in lines)
            if kind == "journal":
                sku, store, qty = lines[0]
                body = {"itemNumber": sku, "locationCode": store, "quantity": -qty}
                status = erp.post(
                    f"{BASE}/itemJournals({jid})/journalLines", json=body, headers=API
                ).status_code
                assert status == (201 if sku != "GHOST" else 400)
                if status == 201:
                    expected[(sku, store)] -= qty
                continue
            path, body, sign = (
                ("salesInvoices", invoice(ext, *lines), -1)
                if kind == "invoice"
                else ("salesCreditMemos", credit_memo(ext, *lines), 1)
            )
            created = erp.post(f"{BASE}/{path}", json=body, headers=API)
            status = created.status_code
            duplicate = (kind, ext) in used
            assert status == (409 if duplicate else 400 if not valid else 201)
            if status == 201:
                for sku, store in {(s, w) for s, w, _ in lines}:
                    assert stock_of(erp, sku, store) == expected[(sku, store)]
                doc_id = created.json()["id"]
                posted = erp.post(f"{BASE}/{path}({doc_id})/Microsoft.NAV.post", headers=API)
                assert posted.status_code == 204
                used.add((kind, ext))
                for sku, store, qty in lines:
                    expected[(sku, store)] += sign * qty
        for sku in SKUS[:3]:
            for store in STORES:
                assert stock_of(erp, sku, store) == expected[(sku, store)]

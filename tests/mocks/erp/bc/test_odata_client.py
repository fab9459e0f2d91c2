"""A generic OData v4 client from PyPI (``python-odata``) against the mock on a real
loopback server: it reflects its model from ``$metadata`` and runs filtered, ordered and
paged queries through the entity container, with the company in a ``Company`` header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
import requests
from odata import ODataService
from odata.exceptions import ODataError

from tests.mocks.erp.support import API, COMPANY, invoice, serve_erp


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The mock ERP on a loopback port with a server page of two rows."""
    with serve_erp(tmp_path, page_size=2) as base:
        yield base


def _service(base: str) -> ODataService:
    session = requests.Session()
    session.headers.update({**API, "Company": COMPANY})
    return ODataService(
        f"{base}/api/v2.0/", session=session, reflect_entities=True, quiet_progress=True
    )


def test_client_reflects_the_metadata(served: str) -> None:
    service = _service(served)
    assert {"companies", "items", "customers", "locations", "salesInvoices"} <= set(
        service.entities
    )
    names = {p["name"] for p in service.entities["items"].__odata_schema__["properties"]}
    assert {"id", "number", "unitPrice", "inventory", "lastModifiedDateTime"} <= names
    document = ElementTree.fromstring(httpx.get(service.metadata_url, headers=API).text)
    edm = "{http://docs.oasis-open.org/odata/ns/edm}"
    bound = {
        (action.get("Name"), action.find(f"{edm}Parameter").get("Type"))  # type: ignore[union-attr]
        for action in document.iter(f"{edm}Action")
    }
    assert ("post", "Microsoft.NAV.salesInvoice") in bound
    assert ("post", "Microsoft.NAV.salesCreditMemo") in bound
    invoice_type = next(
        e for e in document.iter(f"{edm}EntityType") if e.get("Name") == "salesInvoice"
    )
    keys = [r.get("Name") for r in invoice_type.iter(f"{edm}PropertyRef")]
    lines = [n.get("Name") for n in invoice_type.iter(f"{edm}NavigationProperty")]
    assert (keys, lines) == (["id"], ["salesInvoiceLines"])


def test_filtered_ordered_paged_queries(served: str) -> None:
    service = _service(served)
    item = service.entities["items"]
    query = service.query(item)
    pricey = query.filter(item.unitPrice > 2).order_by(item.unitPrice.desc())
    assert [i.number for i in pricey] == ["SKU-3", "SKU-2"]
    everything = [i.number for i in service.query(item).order_by(item.number.asc())]
    assert everything == ["SKU-1", "SKU-2", "SKU-3"]  # three items over two server pages
    page = service.query(item).order_by(item.number.desc()).offset(1).limit(1)
    assert [i.number for i in page] == ["SKU-2"]
    named = service.query(item).filter(item.displayName.startswith("Mi"))
    assert [i.number for i in named] == ["SKU-1"]


def test_documents_through_the_client(served: str) -> None:
    for ext, qty in (("C-1", 1), ("C-2", 3)):
        created = httpx.post(
            f"{served}/api/v2.0/companies({COMPANY})/salesInvoices",
            json=invoice(ext, ("SKU-1", "S001", qty)),
            headers=API,
        )
        assert created.status_code == 201
    service = _service(served)
    doc = service.entities["salesInvoices"]
    drafts = (
        service.query(doc)
        .filter(doc.status == "Draft")
        .order_by(doc.totalAmountExcludingTax.desc())
    )
    assert [d.externalDocumentNumber for d in drafts] == ["C-2", "C-1"]


def test_an_option_the_mock_cannot_honour_fails_loudly_through_the_client(served: str) -> None:
    service = _service(served)
    item = service.entities["items"]
    with pytest.raises(ODataError, match="distinct fields"):
        list(service.query(item).filter((item.number == "SKU-1") | (item.displayName == "Bread")))

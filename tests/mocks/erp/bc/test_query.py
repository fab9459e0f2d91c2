"""OData query options, from Microsoft's "Using filter expressions in OData URIs" and "Known
limitations with Business Central OData": honoured on every entity set, or a 400 naming the
option, never ignored."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mocks.erp.bc.entities import COMPANY_SETS
from tests.mocks.erp.support import API, BASE, create_and_post, credit_memo, invoice


def _get(erp: TestClient, path: str, **params: str) -> dict:
    response = erp.get(f"{BASE}/{path}", params=params, headers=API)
    assert response.status_code == 200, response.text
    body: dict = response.json()
    return body


def _numbers(erp: TestClient, path: str = "items", key: str = "number", **params: str) -> list:
    return [v[key] for v in _get(erp, path, **params)["value"]]


def test_filter_comparisons_and_functions(erp: TestClient) -> None:
    assert _numbers(erp, **{"$filter": "unitPrice gt 2"}) == ["SKU-2", "SKU-3"]
    assert _numbers(erp, **{"$filter": "unitPrice ge 2.5 and unitPrice lt 3.1"}) == ["SKU-2"]
    assert _numbers(erp, **{"$filter": "unitPrice le 1.29"}) == ["SKU-1"]
    assert _numbers(erp, **{"$filter": "number ne 'SKU-2'"}) == ["SKU-1", "SKU-3"]
    assert _numbers(erp, **{"$filter": "not (number eq 'SKU-2')"}) == ["SKU-1", "SKU-3"]
    assert _numbers(erp, **{"$filter": "number eq 'SKU-1' or number eq 'SKU-3'"}) == [
        "SKU-1",
        "SKU-3",
    ]
    assert _numbers(erp, **{"$filter": "number in ('SKU-3', 'SKU-1')"}) == ["SKU-1", "SKU-3"]
    assert _numbers(erp, **{"$filter": "contains(displayName, 'rea')"}) == ["SKU-2"]
    assert _numbers(erp, **{"$filter": "startswith(displayName, 'Mi')"}) == ["SKU-1"]
    assert _numbers(erp, **{"$filter": "endswith(number, '3')"}) == ["SKU-3"]
    assert _numbers(erp, **{"$filter": "inventory gt 100"}) == ["SKU-1"]
    assert _numbers(erp, **{"$filter": "blocked eq false and priceIncludesTax eq false"}) == [
        "SKU-1",
        "SKU-2",
        "SKU-3",
    ]


def test_wildcards_in_contains_are_literal(erp: TestClient) -> None:
    assert _numbers(erp, **{"$filter": "contains(displayName, '%')"}) == []
    assert _numbers(erp, **{"$filter": "contains(number, '_')"}) == []


def test_filter_on_document_fields_drafts_and_posted(erp: TestClient) -> None:
    create_and_post(erp, "salesInvoices", invoice("A-1", ("SKU-1", "S001", 2)))
    erp.post(f"{BASE}/salesInvoices", json=invoice("A-2", ("SKU-2", "S001", 1)), headers=API)
    create_and_post(erp, "salesCreditMemos", credit_memo("R-1", ("SKU-1", "S001", 1)))
    ext = "externalDocumentNumber"
    assert _numbers(erp, "salesInvoices", ext, **{"$filter": "status eq 'Draft'"}) == ["A-2"]
    posted = _get(erp, "salesInvoices", **{"$filter": "startswith(number, 'PS-INV')"})["value"]
    assert [d[ext] for d in posted] == ["A-1"]
    number = posted[0]["number"]
    assert _numbers(erp, "salesInvoices", ext, **{"$filter": f"number eq '{number}'"}) == ["A-1"]
    assert _numbers(erp, "salesInvoices", ext, **{"$filter": "totalAmountExcludingTax gt 2"}) == [
        "A-1",
        "A-2",
    ]
    today = posted[0]["postingDate"]
    assert _numbers(erp, "salesInvoices", ext, **{"$filter": f"postingDate eq {today}"}) == [
        "A-1",
        "A-2",
    ]
    customer = posted[0]["customerId"]
    assert len(_get(erp, "salesInvoices", **{"$filter": f"customerId eq {customer}"})["value"]) == 2
    assert _numbers(erp, "salesCreditMemos", ext) == ["R-1"]


def test_filter_on_lines_and_last_modified(erp: TestClient) -> None:
    doc = create_and_post(
        erp, "salesInvoices", invoice("L-1", ("SKU-1", "S001", 2), ("SKU-2", "S002", 1))
    )
    lines = f"salesInvoices({doc['id']})/salesInvoiceLines"
    assert _numbers(erp, lines, "lineObjectNumber", **{"$filter": "locationCode eq 'S002'"}) == [
        "SKU-2"
    ]
    assert _numbers(erp, lines, "lineObjectNumber", **{"$filter": "quantity ge 2"}) == ["SKU-1"]
    since = "lastModifiedDateTime gt 2000-01-01T00:00:00Z"
    assert len(_get(erp, "items", **{"$filter": since})["value"]) == 3
    assert (
        _get(erp, "items", **{"$filter": "lastModifiedDateTime lt 2000-01-01T00:00:00Z"})["value"]
        == []
    )


def test_orderby_several_keys_top_skip_count_and_paging(erp: TestClient) -> None:
    for index, (sku, qty) in enumerate([("SKU-1", 1), ("SKU-2", 3), ("SKU-1", 3), ("SKU-3", 2)]):
        create_and_post(erp, "salesInvoices", invoice(f"O-{index}", (sku, "S001", qty)))
    ext = "externalDocumentNumber"
    ordered = _numbers(
        erp,
        "salesInvoices",
        ext,
        **{"$orderby": "totalAmountExcludingTax desc,externalDocumentNumber asc"},
    )
    assert ordered == ["O-1", "O-3", "O-2", "O-0"]
    page = _get(
        erp,
        "salesInvoices",
        **{"$orderby": "externalDocumentNumber desc", "$skip": "1", "$top": "2", "$count": "true"},
    )
    assert [d[ext] for d in page["value"]] == ["O-2", "O-1"]
    assert page["@odata.count"] == 4
    assert "@odata.nextLink" not in page
    first = erp.get(
        f"{BASE}/salesInvoices",
        params={"$orderby": "externalDocumentNumber desc", "$skip": "1"},
        headers={**API, "Prefer": "odata.maxpagesize=2"},
    ).json()
    assert [d[ext] for d in first["value"]] == ["O-2", "O-1"]
    rest = erp.get(first["@odata.nextLink"], headers={**API, "Prefer": "odata.maxpagesize=2"})
    assert [d[ext] for d in rest.json()["value"]] == ["O-0"]
    assert "@odata.nextLink" not in rest.json()


def test_select_and_expand(erp: TestClient) -> None:
    doc = create_and_post(erp, "salesInvoices", invoice("S-1", ("SKU-1", "S001", 2)))
    listed = _get(
        erp, "salesInvoices", **{"$select": "number,status", "$expand": "salesInvoiceLines"}
    )
    row = listed["value"][0]
    assert set(row) == {"@odata.etag", "number", "status", "salesInvoiceLines"}
    assert [line["lineObjectNumber"] for line in row["salesInvoiceLines"]] == ["SKU-1"]
    one = erp.get(
        f"{BASE}/salesInvoices({doc['id']})",
        params={"$select": "externalDocumentNumber"},
        headers=API,
    ).json()
    assert set(one) == {"@odata.etag", "externalDocumentNumber"}
    company = erp.get("/api/v2.0/companies", params={"$select": "name"}, headers=API).json()
    assert company["value"] == [{"name": "CRONUS USA, Inc."}]


@pytest.mark.parametrize(
    ("params", "option", "words"),
    [
        ({"$search": "milk"}, "$search", "not supported"),
        ({"$apply": "groupby((number))"}, "$apply", "not supported"),
        ({"$compute": "unitPrice mul 2 as x"}, "$compute", "not supported"),
        ({"$format": "xml"}, "$format", "not supported"),
        ({"$filter": "number eq 'SKU-1' or displayName eq 'Bread'"}, "$filter", "distinct fields"),
        ({"$filter": "colour eq 'red'"}, "$filter", "'colour' does not exist"),
        ({"$filter": "unitPrice gt 'cheap'"}, "$filter", "Edm.Decimal"),
        ({"$filter": "lastModifiedDateTime gt 'yesterday'"}, "$filter", "Edm.DateTimeOffset"),
        ({"$filter": "length(number) eq 5"}, "$filter", "length() is not supported"),
        ({"$filter": "unitPrice add 1 gt 2"}, "$filter", "arithmetic"),
        ({"$filter": "number eq"}, "$filter", "cannot parse"),
        ({"$filter": "contains(unitPrice, '1')"}, "$filter", "needs a text property"),
        ({"$orderby": "colour desc"}, "$orderby", "'colour' does not exist"),
        ({"$orderby": "number sideways"}, "$orderby", "asc"),
        ({"$select": "number,colour"}, "$select", "'colour' does not exist"),
        ({"$expand": "customer"}, "$expand", "cannot be expanded"),
        ({"$top": "-1"}, "$top", "non-negative integer"),
        ({"$skip": "many"}, "$skip", "non-negative integer"),
        ({"$count": "yes"}, "$count", "true or false"),
        ({"$skiptoken": "garbage!!"}, "$skiptoken", "not valid"),
    ],
)
def test_unsupported_options_are_400_naming_them(
    erp: TestClient, params: dict, option: str, words: str
) -> None:
    response = erp.get(f"{BASE}/items", params=params, headers=API)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["target"] == option
    assert words in error["message"]


def test_collection_options_on_a_single_entity_are_400(erp: TestClient) -> None:
    item = _get(erp, "items", **{"$top": "1"})["value"][0]
    response = erp.get(
        f"{BASE}/items({item['id']})", params={"$filter": "number eq 'x'"}, headers=API
    )
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "$filter"


@pytest.mark.parametrize("entity", [s.name for s in COMPANY_SETS])
def test_every_set_honours_top_count_and_refuses_unknown_properties(
    erp: TestClient, entity: str
) -> None:
    body = _get(erp, entity, **{"$top": "1", "$count": "true"})
    assert len(body["value"]) <= 1
    assert body["@odata.count"] >= len(body["value"])
    bad = erp.get(f"{BASE}/{entity}", params={"$filter": "nope eq 1"}, headers=API)
    assert bad.status_code == 400
    for name in ("id", "lastModifiedDateTime"):
        ok = erp.get(f"{BASE}/{entity}", params={"$orderby": f"{name} desc"}, headers=API)
        assert ok.status_code == 200, ok.text

"""The simulator's traffic as endless, uniquely tagged request bodies."""

from __future__ import annotations

import scenarios
from tests.loadtests.support import module

_stream = module("stream")
TxnStream, erp_invoice, retag = _stream.TxnStream, _stream.erp_invoice, _stream.retag
first_pass = _stream.first_pass


def test_ids_stay_unique_across_passes_and_returns_point_at_tagged_originals() -> None:
    stream = TxnStream(scenarios.load("demo"), seed=None, tag="w1")
    bodies = [stream.next() for _ in range(700)]
    ids = [b.txn_id for b in bodies]
    assert len(set(ids)) == len(ids)
    assert all(i.endswith(("-p1", "-p2", "-p3")) and "-w1-" in i for i in ids)
    seen = set()
    originals = 0
    for body in bodies:
        seen.add(body.txn_id)
        for line in body.payload.get("lines", []):
            if line.get("original_txn_id"):
                originals += 1
                assert line["original_txn_id"].endswith(body.txn_id[body.txn_id.rindex("-p") :])
        if body.kind == "post_void":
            assert body.payload["voided_txn_id"] in seen
    assert originals > 0
    assert {b.kind for b in bodies} >= {"sale", "return"}


def test_same_seed_same_stream() -> None:
    first = TxnStream(scenarios.load("demo"), seed=7, tag="a")
    second = TxnStream(scenarios.load("demo"), seed=7, tag="a")
    assert [first.next().payload for _ in range(20)] == [second.next().payload for _ in range(20)]


def test_kinds_filter() -> None:
    stream = TxnStream(scenarios.load("demo"), seed=None)
    assert {stream.next(("sale",)).kind for _ in range(50)} == {"sale"}


def test_retag_without_tag_is_identity() -> None:
    payload = {"txn_id": "T1", "lines": [{"original_txn_id": "T0"}]}
    assert retag(payload, "") is payload
    assert retag(payload, "x")["lines"][0]["original_txn_id"] == "T0-x"


def test_erp_invoice_skips_voided_lines_and_keeps_store_and_quantity() -> None:
    sale = {
        "txn_id": "S1-K1-000001",
        "store_id": "S1",
        "lines": [
            {"sku": "SKU-1", "quantity": "2", "voided": False},
            {"sku": "SKU-2", "quantity": "1", "voided": True},
            {"sku": "SKU-3", "quantity": "0.75"},
        ],
    }
    body = erp_invoice(sale)
    assert body["externalDocumentNumber"] == "S1-K1-000001"
    assert body["customerNumber"] == "RETAIL"
    assert body["salesInvoiceLines"] == [
        {"lineObjectNumber": "SKU-1", "locationCode": "S1", "quantity": 2.0},
        {"lineObjectNumber": "SKU-3", "locationCode": "S1", "quantity": 0.75},
    ]


def test_later_passes_replay_the_first_whether_kept_or_simulated_again() -> None:
    scenario = scenarios.load("demo")
    kept = TxnStream(scenario, seed=3, tag="k")
    again = TxnStream(scenario, seed=3, tag="k", keep=10)
    first = [kept.next() for _ in range(1000)]
    second = [again.next() for _ in range(1000)]
    assert [b.payload for b in first] == [b.payload for b in second]
    per_pass = next(i for i, b in enumerate(first) if b.txn_id.endswith("-p2"))
    assert [b.base_id for b in first[per_pass : 2 * per_pass]] == [
        b.base_id for b in first[:per_pass]
    ]


def test_a_preloaded_first_pass_changes_nothing_but_when_the_day_is_simulated() -> None:
    scenario = scenarios.load("demo")
    plain = TxnStream(scenario, seed=5, tag="a")
    expected = [plain.next().payload for _ in range(900)]
    whole = first_pass(scenario, seed=5)
    assert len(whole) < 900, "the demo day is shorter than the comparison"
    head = first_pass(scenario, seed=5, keep=50)
    assert len(head) == 50
    for first, keep in ((whole, 100_000), (head, 50)):
        preloaded = TxnStream(scenario, seed=5, tag="a", first=first, keep=keep)
        assert [preloaded.next().payload for _ in range(900)] == expected

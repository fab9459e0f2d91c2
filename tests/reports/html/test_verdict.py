"""Reading the verdict from ``summary.json`` for display, whatever its detail."""

from __future__ import annotations

from reports.html import read_verdict


def test_verifier_summary_shape_is_read() -> None:
    summary = {
        "passed": False,
        "slos": [{"name": "missing", "target": 0, "actual": 3, "passed": False, "detail": "3 > 0"}],
        "exactly_once": {
            "expected": 10,
            "posted": 7,
            "expected_by_kind": {"sale": 10},
            "missing": {"count": 3, "examples": ["a", "b", "c"], "by_kind": {"sale": 3}},
            "extra_documents": 0,
            "deadline_t": 120.5,
            "tender_checked": True,
        },
        "card_leaks": {"count": 1, "findings": []},
        "diagnosis": ["3 sales never reached the ERP"],
    }
    assert read_verdict(None, kind="live").status == "not verified"
    view = read_verdict(summary, kind="live")
    assert view.status == "fail"
    assert view.headline == "1 of 1 SLOs failed: missing (3 > 0)"
    kinds = {f.kind: f for f in view.exactly_once}
    assert set(kinds) == {"missing", "extra_documents", "card leaks"}
    assert kinds["missing"].examples == ["a", "b", "c"]
    assert view.expected == 10


def test_summary_without_slos_is_not_a_verdict() -> None:
    view = read_verdict({"kind": "simulation", "capacity": {}}, kind="simulation")
    assert view.status == "not verified"

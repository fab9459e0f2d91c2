"""Checks that relate several fields: shares summing to 1, lanes, fault placement."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scenarios import ScenarioError, load

WriteFile = Callable[[str, str], Path]


def _lines(write: WriteFile, text: str) -> list[str]:
    write("x.yaml", text)
    with pytest.raises(ScenarioError) as caught:
        load("x.yaml")
    return caught.value.lines


def test_payment_mix_must_sum_to_one(write: WriteFile) -> None:
    assert _lines(write, "payments: {mix: {credit: 0.6, cash: 0.3}}\n") == [
        "x.yaml: payments.mix: shares must sum to 1, "
        "got 0.9 (credit 0.6 + debit 0 + cash 0.3 + mobile 0 + other 0)"
    ]


def test_payment_mix_within_tolerance_is_accepted(write: WriteFile) -> None:
    write("x.yaml", "payments: {mix: {credit: 0.3333333, debit: 0.3333333, cash: 0.3333334}}\n")
    assert load("x.yaml").payments.mix.cash == pytest.approx(0.3333334)


def test_payment_mix_just_outside_tolerance_is_refused(write: WriteFile) -> None:
    (line,) = _lines(write, "payments: {mix: {credit: 0.5, cash: 0.500002}}\n")
    assert line.startswith("x.yaml: payments.mix: shares must sum to 1, got 1.000002 (")


def test_card_brands_must_sum_to_one(write: WriteFile) -> None:
    (line,) = _lines(write, "payments: {card_brands: {visa: 1.0, amex: 0.1}}\n")
    assert line.startswith("x.yaml: payments.card_brands: shares must sum to 1, got 1.1 (")


def test_tax_shares_must_sum_to_one(write: WriteFile) -> None:
    text = "catalog: {tax_classes: {a: {rate: 0.1, share: 0.7}, b: {rate: 0, share: 0.2}}}\n"
    assert _lines(write, text) == [
        "x.yaml: catalog.tax_classes: shares must sum to 1, got 0.9 (a 0.7 + b 0.2)"
    ]


def test_tax_classes_cannot_be_empty(write: WriteFile) -> None:
    assert _lines(write, "catalog: {tax_classes: {}}\n") == [
        "x.yaml: catalog.tax_classes: needs at least one tax class, got {}"
    ]


def test_weekday_shares_must_sum_to_one(write: WriteFile) -> None:
    (line,) = _lines(write, "traffic: {weekday: [1, 1, 1, 1, 1, 1, 1]}\n")
    assert line.startswith("x.yaml: traffic.weekday: shares must sum to 1, got 7 (mon 1 + ")


def test_weekday_needs_seven_values_and_hourly_24(write: WriteFile) -> None:
    assert _lines(write, "traffic: {weekday: [0.5, 0.5], hourly: [1, 2, 3]}\n") == [
        "x.yaml: traffic.hourly: must have exactly 24 values, one per hour, got 3",
        "x.yaml: traffic.weekday: must have exactly 7 values, one per day from Monday, got 2",
    ]


def test_hourly_weights_cannot_be_negative(write: WriteFile) -> None:
    weights = [1.0] * 24
    weights[5] = -2.0
    assert _lines(write, f"traffic: {{hourly: {weights}}}\n") == [
        "x.yaml: traffic.hourly[5]: must be ≥ 0, got -2"
    ]


def test_a_store_needs_at_least_one_lane(write: WriteFile) -> None:
    assert _lines(write, "chain: {registers: 0, self_checkouts: 0}\n") == [
        "x.yaml: chain.self_checkouts: registers + self_checkouts must be ≥ 1 "
        "(a store needs a lane), got 0 + 0"
    ]


def test_self_checkouts_alone_are_enough(write: WriteFile) -> None:
    write("x.yaml", "chain: {registers: 0, self_checkouts: 3}\n")
    assert load("x.yaml").chain.self_checkouts == 3


def test_latency_p99_below_median(write: WriteFile) -> None:
    assert _lines(write, "erp: {latency: {median: 1s, p99: 500ms}}\n") == [
        "x.yaml: erp.latency.p99: must be ≥ median (1s), got 500ms"
    ]


def test_retry_cap_below_base(write: WriteFile) -> None:
    assert _lines(write, "integration: {retry: {base: 10s, cap: 5s}}\n") == [
        "x.yaml: integration.retry.cap: must be ≥ base (10s), got 5s"
    ]


def test_reorder_above_target(write: WriteFile) -> None:
    text = "inventory: {replenishment: {target_days: 5, reorder_days: 9}}\n"
    assert _lines(write, text) == [
        "x.yaml: inventory.replenishment.reorder_days: must be ≤ target_days (5), got 9"
    ]


FAULTS = """
start: 2026-11-27T07:00:00
duration: 10h
chain: {stores: 3}
faults:
"""


def test_faults_must_fall_inside_the_scenario(write: WriteFile) -> None:
    text = FAULTS + (
        '  - {at: "06:00", for: 15m, target: erp, kind: outage}\n'
        '  - {at: "16:50", for: 15m, target: erp, kind: outage}\n'
        '  - {at: "+9h45m", for: 15m, target: erp, kind: outage}\n'
    )
    assert _lines(write, text) == [
        "x.yaml: faults[0].at: starts before the scenario (2026-11-27 07:00), got '06:00'",
        "x.yaml: faults[1].at: ends after the scenario (2026-11-27 07:00 + 10h); "
        "start earlier or shorten 'for', got '16:50' for 15m",
    ]


def test_store_target_must_be_a_store_of_the_chain(write: WriteFile) -> None:
    text = FAULTS + (
        '  - {at: "08:00", for: 1h, target: "store:3", kind: offline}\n'
        '  - {at: "08:00", for: 1h, target: "store:4", kind: offline}\n'
        '  - {at: "08:00", for: 1h, target: "store:0", kind: offline}\n'
    )
    assert _lines(write, text) == [
        "x.yaml: faults[1].target: must name a store within 1..3, got 'store:4'",
        "x.yaml: faults[2].target: must be one of erp, pos, pos.webhooks, connector, "
        "store:<n>, got 'store:0'",
    ]


def test_timeline_is_checked_even_when_another_fault_is_invalid(write: WriteFile) -> None:
    text = FAULTS + (
        '  - {at: "05:00", for: 15m, target: erp, kind: outage}\n'
        '  - {at: "08:00", for: 15m, target: erp, kind: meltdown}\n'
        '  - {at: "08:00", for: 15m, target: "store:9", kind: offline}\n'
    )
    assert _lines(write, text) == [
        "x.yaml: faults[0].at: starts before the scenario (2026-11-27 07:00), got '05:00'",
        "x.yaml: faults[1].kind: must be one of outage, latency, errors, rate_limit, "
        "duplicate, drop, reorder, delay, offline, got 'meltdown'",
        "x.yaml: faults[2].target: must name a store within 1..3, got 'store:9'",
    ]


def test_fault_fields_must_fit_the_kind(write: WriteFile) -> None:
    text = FAULTS + (
        '  - {at: "08:00", for: 1h, target: erp, kind: latency}\n'
        '  - {at: "08:00", for: 1h, target: erp, kind: outage, rate: 0.5, status: 503}\n'
        '  - {at: "08:00", for: 1h, target: erp, kind: errors, rate: 1.5}\n'
    )
    assert _lines(write, text) == [
        "x.yaml: faults[0].latency: required for kind latency, got null",
        "x.yaml: faults[1].rate: not used by kind outage; remove it, got 0.5",
        "x.yaml: faults[1].status: not used by kind outage; remove it, got 503",
        "x.yaml: faults[2].rate: must be ≤ 1, got 1.5",
    ]


def test_phase_after_is_for_latency_and_errors_only(write: WriteFile) -> None:
    text = FAULTS + (
        '  - {at: "08:00", for: 1h, target: erp, kind: errors, status: 504, phase: after}\n'
        '  - {at: "08:00", for: 1h, target: erp, kind: outage, phase: after}\n'
        '  - {at: "08:00", for: 1h, target: erp, kind: latency, latency: 2s, phase: later}\n'
    )
    assert _lines(write, text) == [
        "x.yaml: faults[1].phase: not used by kind outage; remove it, got 'after'",
        "x.yaml: faults[2].phase: must be one of before, after, got 'later'",
    ]


def test_faults_know_their_place_on_the_timeline(write: WriteFile) -> None:
    write(
        "x.yaml",
        FAULTS
        + '  - {at: "12:00", for: 30m, target: erp, kind: errors, rate: 0.2}\n'
        + '  - {at: "+1h", for: 5m, target: "store:2", kind: offline}\n',
    )
    errors, offline = load("x.yaml").faults
    assert (errors.start.total_seconds(), errors.end.total_seconds()) == (5 * 3600, 5.5 * 3600)
    assert (errors.share, errors.status_code, errors.store) == (0.2, 500, None)
    assert (offline.start.total_seconds(), offline.store, offline.share) == (3600, 2, 1.0)

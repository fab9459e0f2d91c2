"""Broken scenario files produce exact `FILE: field.path: problem, got VALUE` lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scenarios import ScenarioError, library, load

WriteFile = Callable[[str, str], Path]


def _lines(source: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load(source)
    return caught.value.lines


def test_concurrency_and_multiplier_give_two_lines(write: WriteFile) -> None:
    write(
        "bad.yaml",
        """
        erp: {concurrency: 0}
        traffic: {multiplier: -1}
        """,
    )
    assert sorted(_lines("bad.yaml")) == [
        "bad.yaml: erp.concurrency: must be ≥ 1, got 0",
        "bad.yaml: traffic.multiplier: must be > 0, got -1",
    ]


def test_error_message_joins_all_lines(write: WriteFile) -> None:
    write("bad.yaml", "erp: {concurrency: 0, queue: -1}\n")
    with pytest.raises(ScenarioError) as caught:
        load("bad.yaml")
    assert str(caught.value) == "\n".join(caught.value.lines)
    assert len(caught.value.lines) == 2


def test_unknown_field_suggests_the_closest_name(write: WriteFile) -> None:
    write("typo.yaml", "erp: {concurency: 3}\n")
    assert _lines("typo.yaml") == [
        'typo.yaml: erp.concurency: unknown field (did you mean "concurrency"?), got 3'
    ]


def test_unknown_top_level_field_suggests_extends(write: WriteFile) -> None:
    write("typo.yaml", "extend: grocery-chain\n")
    assert _lines("typo.yaml") == [
        "typo.yaml: extend: unknown field (did you mean \"extends\"?), got 'grocery-chain'"
    ]


def test_field_in_the_wrong_section_names_its_home(write: WriteFile) -> None:
    write("lost.yaml", "erp: {profile: grocery}\n")
    assert _lines("lost.yaml") == [
        "lost.yaml: erp.profile: unknown field here (did you mean traffic.profile?), got 'grocery'"
    ]


def test_unknown_field_without_a_close_match_lists_the_fields(write: WriteFile) -> None:
    write("odd.yaml", "voids: {zzz: 1}\n")
    assert _lines("odd.yaml") == [
        "odd.yaml: voids.zzz: unknown field (expected one of: cancel, line_void, post_void), got 1"
    ]


def test_bad_duration(write: WriteFile) -> None:
    write("slow.yaml", "integration: {interval: fast}\nerp: {timeout: 480}\n")
    assert _lines("slow.yaml") == [
        "slow.yaml: integration.interval: not a duration like 15m, 2h, 120ms, got 'fast'",
        "slow.yaml: erp.timeout: not a duration like 15m, 2h, 120ms, got 480",
    ]


def test_zero_duration_where_positive_is_needed(write: WriteFile) -> None:
    write("zero.yaml", "duration: 0s\n")
    assert _lines("zero.yaml") == ["zero.yaml: duration: must be > 0s, got '0s'"]


def test_literal_choices_are_listed(write: WriteFile) -> None:
    write("mode.yaml", "integration: {mode: sometimes}\n")
    assert _lines("mode.yaml") == [
        "mode.yaml: integration.mode: must be one of realtime, batch, hybrid, got 'sometimes'"
    ]


def test_wrong_types(write: WriteFile) -> None:
    write(
        "types.yaml",
        """
        seed: many
        speed: fast
        chain: {stores: 2.5}
        erp: 5
        faults: {at: "12:00"}
        catalog: {price: {endings: 0.99}}
        """,
    )
    assert _lines("types.yaml") == [
        "types.yaml: seed: must be a whole number, got 'many'",
        "types.yaml: speed: must be a number, got 'fast'",
        "types.yaml: chain.stores: must be a whole number, got 2.5",
        "types.yaml: catalog.price.endings: must be a list, got 0.99",
        "types.yaml: erp: must be a mapping of key: value, got 5",
        "types.yaml: faults: must be a list, got {at: '12:00'}",
    ]


def test_list_indices_appear_in_paths(write: WriteFile) -> None:
    write(
        "faults.yaml",
        """
        faults:
          - {at: "12:00", for: 15m, target: erp, kind: outage}
          - {at: "13:00", for: 15m, target: erp, kind: outage}
          - {at: "14:00", for: 15m, target: erp, kind: meltdown}
        """,
    )
    assert _lines("faults.yaml") == [
        "faults.yaml: faults[2].kind: must be one of outage, latency, errors, rate_limit, "
        "duplicate, drop, reorder, delay, offline, got 'meltdown'"
    ]


def test_missing_required_event_fields(write: WriteFile) -> None:
    write("event.yaml", "traffic: {events: [{name: Sale}]}\n")
    assert _lines("event.yaml") == [
        "event.yaml: traffic.events[0].date: required, but missing",
        "event.yaml: traffic.events[0].multiplier: required, but missing",
    ]


def test_impossible_date_is_reported_by_the_schema(write: WriteFile) -> None:
    write("date.yaml", "traffic: {events: [{name: X, date: 2026-13-01, multiplier: 2}]}\n")
    assert _lines("date.yaml") == [
        "date.yaml: traffic.events[0].date: not a date like 2026-11-27, got '2026-13-01'"
    ]


def test_start_with_an_offset_is_refused(write: WriteFile) -> None:
    write("tz.yaml", "start: 2026-11-27T07:00:00Z\n")
    assert _lines("tz.yaml") == [
        "tz.yaml: start: must be a local time without offset (the timezone field sets the "
        "zone), got 2026-11-27T07:00:00+00:00"
    ]


def test_identity_fields_are_checked(write: WriteFile) -> None:
    write("id.yaml", "locale: english\ncurrency: usd\ntimezone: Mars/Olympus\n")
    assert _lines("id.yaml") == [
        "id.yaml: locale: not a locale like en_US or de_DE, got 'english'",
        "id.yaml: currency: not an ISO 4217 code like USD or EUR, got 'usd'",
        "id.yaml: timezone: not an IANA time zone like America/New_York, got 'Mars/Olympus'",
    ]


def test_yaml_syntax_error_names_line_and_column(write: WriteFile) -> None:
    write("syntax.yaml", "name: x\nerp:\n  concurrency: 5\n queue: 3\n")
    (line,) = _lines("syntax.yaml")
    assert line.startswith("syntax.yaml:4:2: invalid YAML: ")


def test_repeated_key_is_an_error(write: WriteFile) -> None:
    write("dup.yaml", "erp: {concurrency: 1}\nerp: {queue: 1}\n")
    assert _lines("dup.yaml") == [
        "dup.yaml:2:1: invalid YAML: key 'erp' appears twice in one mapping"
    ]


def test_document_must_be_a_mapping(write: WriteFile) -> None:
    write("list.yaml", "- a\n- b\n")
    assert _lines("list.yaml") == [
        "list.yaml: not a scenario: it holds a list, where a scenario is a mapping of sections "
        "(name: ..., chain: ...)"
    ]


def test_missing_file_lists_the_bundled_names(write: WriteFile) -> None:
    assert _lines("nope.yaml") == [
        f"nope.yaml: no such file or bundled scenario (bundled: {', '.join(library())})"
    ]


def test_unknown_bundled_name_lists_the_bundled_names(write: WriteFile) -> None:
    (line,) = _lines("black-fryday")
    assert line.startswith("black-fryday: no such file or bundled scenario (bundled: ")
    assert "black-friday" in line


def test_long_values_are_cut(write: WriteFile) -> None:
    write("long.yaml", f"name: x\nseed: '{'9' * 200}x'\n")
    (line,) = _lines("long.yaml")
    assert line.endswith("…")
    assert len(line) < 140

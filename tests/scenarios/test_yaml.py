"""The scenario YAML reader: no base-60 surprises, numbers with exponents, repeated keys."""

from __future__ import annotations

from datetime import date

import pytest

from scenarios._yaml import YamlProblem, read_yaml, write_yaml


def test_clock_times_stay_text() -> None:
    assert read_yaml("at: 12:00\nhours: 07:00-22:00\n") == {"at": "12:00", "hours": "07:00-22:00"}


def test_numbers_keep_their_types() -> None:
    assert read_yaml("a: 1e-3\nb: 10\nc: 0.5\nd: -2\ne: 1_000\n") == {
        "a": 0.001,
        "b": 10,
        "c": 0.5,
        "d": -2,
        "e": 1000,
    }


def test_dates_and_booleans_still_resolve() -> None:
    assert read_yaml("d: 2026-11-27\nb: true\nn: null\n") == {
        "d": date(2026, 11, 27),
        "b": True,
        "n": None,
    }


def test_impossible_dates_stay_text() -> None:
    assert read_yaml("d: 2026-02-30\n") == {"d": "2026-02-30"}


def test_repeated_keys_are_refused_with_position() -> None:
    with pytest.raises(YamlProblem) as caught:
        read_yaml("a:\n  b: 1\n  b: 2\n")
    assert (caught.value.line, caught.value.column) == (3, 3)


def test_written_yaml_reads_back() -> None:
    data = {"name": "x", "at": "12:00", "weights": [0.1, 0.2], "nested": {"k": [{"a": 1}]}}
    text = write_yaml(data)
    assert read_yaml(text) == data
    assert "weights: [0.1, 0.2]" in text

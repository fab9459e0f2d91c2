"""The scenario YAML reader: no base-60 surprises, numbers with exponents, repeated keys;
budgets on aliases and nesting (a "billion laughs" is refused before it is built)."""

from __future__ import annotations

import tracemalloc
from datetime import date

import pytest

from scenarios._yaml import MAX_ALIASED_VALUES, MAX_DEPTH, YamlProblem, read_yaml, write_yaml
from tests.scenarios.support import time_limit


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


# Budgets: documents out of proportion to their text are refused before they are built.


def _laughs(levels: int, width: int = 9) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_at_the_alias_that_passes_the_budget() -> None:
    with time_limit(30), pytest.raises(YamlProblem) as caught:
        read_yaml(_laughs(9))  # 9**10 values: a billion and more
    problem = caught.value
    assert problem.kind == "YAML too large"
    assert (problem.line, problem.column) == (5, 10)  # the first *l3 of l4
    assert problem.message == (
        f"the aliases up to *l3 stand for more than {MAX_ALIASED_VALUES} values "
        "(nested aliases, a 'billion laughs'?); write the values out or alias less"
    )


def test_a_billion_laughs_is_refused_in_bounded_memory() -> None:
    text = _laughs(30, width=30)  # 30**31 values if it were built
    tracemalloc.start()
    try:
        with time_limit(30), pytest.raises(YamlProblem):
            read_yaml(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_aliases_within_the_budget_are_read() -> None:
    document = read_yaml(_laughs(2, width=9))  # 9 + 81 + 729 values stood for
    assert len(document["l2"]) == 9
    assert document["l2"][0][0] == ["lol"] * 9


def test_an_alias_into_its_own_anchor_is_refused() -> None:
    with pytest.raises(YamlProblem) as caught:
        read_yaml("chain: &c {stores: 2, again: *c}\n")
    assert caught.value.kind == "YAML too large"
    assert caught.value.message.startswith("alias *c points into its own anchor")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    with pytest.raises(YamlProblem) as caught:
        read_yaml("a: " + "[" * depth + "]" * depth + "\n")
    assert (caught.value.kind, caught.value.column) == ("YAML too large", 3 + MAX_DEPTH)
    assert caught.value.message == f"lists and mappings nest more than {MAX_DEPTH} deep here"


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1  # the document's mapping is one level
    value = read_yaml("a: " + "[" * depth + "]" * depth + "\n")["a"]
    for _ in range(depth - 1):
        (value,) = value
    assert value == []


def test_a_number_too_long_for_python_is_a_problem_not_a_crash() -> None:
    with pytest.raises(YamlProblem) as caught:
        read_yaml("stores: " + "9" * 5000 + "\n")
    assert caught.value.message.startswith("a number is too long to read (Exceeds the limit")


def test_a_list_as_a_key_is_a_problem_not_a_crash() -> None:
    with pytest.raises(YamlProblem) as caught:
        read_yaml("? [a, b]\n: 1\n")
    assert caught.value.message == "a key must be a plain value, not a list or a mapping"


def test_merge_keys_bring_in_a_base_mapping_and_may_be_overridden() -> None:
    text = "base: &b {stores: 2, registers: 3}\nchain: {<<: *b, registers: 4}\n"
    assert read_yaml(text)["chain"] == {"stores": 2, "registers": 4}

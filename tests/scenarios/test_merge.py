"""Composition with `extends`: mapping merge, list replace, chains, cycles, origins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from scenarios import ScenarioError, load

WriteFile = Callable[[str, str], Path]


def test_child_mapping_merges_over_the_base(write: WriteFile) -> None:
    write("child.yaml", "extends: grocery-chain\nerp: {concurrency: 3}\n")
    child, base = load("child.yaml"), load("grocery-chain")
    assert child.erp.concurrency == 3
    assert child.erp.queue == base.erp.queue
    assert child.chain == base.chain


def test_lists_replace_instead_of_merging(write: WriteFile) -> None:
    write(
        "child.yaml",
        'extends: erp-outage\nfaults: [{at: "09:00", for: 5m, target: pos, kind: outage}]\n',
    )
    (fault,) = load("child.yaml").faults
    assert (fault.target, fault.start) == ("pos", timedelta(hours=9))


def test_chained_extends_with_relative_paths(write: WriteFile) -> None:
    write("base/a.yaml", "extends: grocery-chain\nchain: {stores: 7}\nerp: {queue: 10}\n")
    write("base/b.yaml", "extends: a.yaml\nerp: {concurrency: 2}\n")
    write("c.yaml", "extends: base/b.yaml\nerp: {queue: 20}\n")
    scenario = load("c.yaml")
    assert (scenario.chain.stores, scenario.erp.concurrency, scenario.erp.queue) == (7, 2, 20)
    assert scenario.chain.registers == load("grocery-chain").chain.registers


def test_name_defaults_to_the_file_not_the_base(write: WriteFile) -> None:
    write("friday-test.yaml", "extends: black-friday\n")
    write("named.yaml", "extends: black-friday\nname: my-friday\n")
    assert load("friday-test.yaml").name == "friday-test"
    assert load("named.yaml").name == "my-friday"


def test_returns_shorthand_keeps_inherited_fields(write: WriteFile) -> None:
    write("base.yaml", "returns: {rate: 0.05, receipted: 0.5}\n")
    write("child.yaml", "extends: base.yaml\nreturns: 0.08\n")
    returns = load("child.yaml").returns
    assert (returns.rate, returns.receipted) == (0.08, 0.5)


def test_null_over_an_inherited_mapping_removes_it(write: WriteFile) -> None:
    write(
        "base.yaml",
        """
        catalog:
          tax_classes:
            standard: {rate: 0.1, share: 0.6}
            food: {rate: 0.0, share: 0.4}
        """,
    )
    write(
        "child.yaml",
        """
        extends: base.yaml
        catalog: {tax_classes: {standard: {share: 1.0}, food: null}}
        """,
    )
    classes = load("child.yaml").catalog.tax_classes
    assert list(classes) == ["standard"]
    assert (classes["standard"].rate, classes["standard"].share) == (0.1, 1.0)


def _lines(source: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load(source)
    return caught.value.lines


def test_cycle_is_an_error(write: WriteFile) -> None:
    write("a.yaml", "extends: b.yaml\n")
    write("b.yaml", "extends: a.yaml\n")
    assert _lines("a.yaml") == ["b.yaml: extends: forms a cycle a.yaml → b.yaml → a.yaml"]


def test_self_extension_is_a_cycle(write: WriteFile) -> None:
    write("me.yaml", "extends: me.yaml\n")
    assert _lines("me.yaml") == ["me.yaml: extends: forms a cycle me.yaml → me.yaml"]


def test_errors_in_a_base_file_name_the_base(write: WriteFile) -> None:
    write("base.yaml", "erp: {concurrency: 0}\nchain: {stores: 4}\n")
    write("child.yaml", "extends: base.yaml\nchain: {stores: 0}\n")
    assert _lines("child.yaml") == [
        "child.yaml: chain.stores: must be ≥ 1, got 0",
        "base.yaml: erp.concurrency: must be ≥ 1, got 0",
    ]


def test_yaml_error_in_a_base_file_names_the_base(write: WriteFile) -> None:
    write("base.yaml", "erp: {concurrency: 1\n")
    write("child.yaml", "extends: base.yaml\n")
    (line,) = _lines("child.yaml")
    assert line.startswith("base.yaml:2:1: invalid YAML: ")


def test_cross_field_error_names_the_file_that_changed_last(write: WriteFile) -> None:
    write("base.yaml", "payments: {mix: {credit: 0.5, cash: 0.5}}\n")
    write("child.yaml", "extends: base.yaml\npayments: {mix: {cash: 0.4}}\n")
    assert _lines("child.yaml") == [
        "child.yaml: payments.mix: shares must sum to 1, "
        "got 0.9 (credit 0.5 + debit 0 + cash 0.4 + mobile 0 + other 0)"
    ]


def test_unknown_base_lists_the_bundled_names(write: WriteFile) -> None:
    write("child.yaml", "extends: grocery\n")
    (line,) = _lines("child.yaml")
    assert line.startswith("child.yaml: extends: no bundled scenario 'grocery' (bundled: ")
    assert "grocery-chain" in line


def test_missing_base_file(write: WriteFile) -> None:
    write("child.yaml", "extends: gone.yaml\n")
    (line,) = _lines("child.yaml")
    assert line.startswith("child.yaml: extends: no such file 'gone.yaml' (bundled: ")


def test_extends_must_be_text(write: WriteFile) -> None:
    write("child.yaml", "extends: [a, b]\n")
    assert _lines("child.yaml") == [
        "child.yaml: extends: must be a bundled name or a relative path, got ['a', 'b']"
    ]

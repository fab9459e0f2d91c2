"""The public surface of ``domain.rundir``: every exported name resolves, nothing else leaks."""

from __future__ import annotations

import domain.rundir as rundir

EXPORTED = [
    "FILES",
    "LIVE_TABLES",
    "REQUIRED",
    "TABLES",
    "Column",
    "ContractError",
    "Data",
    "File",
    "Need",
    "Producer",
    "RunMeta",
    "Table",
    "TableWriter",
    "check_schema",
    "conform",
    "kind",
    "markdown",
    "read_schema",
    "read_table",
    "table",
    "write_table",
]


def test_all_is_exactly_the_exported_list() -> None:
    assert sorted(rundir.__all__) == sorted(EXPORTED)


def test_every_exported_name_resolves() -> None:
    for name in rundir.__all__:
        assert getattr(rundir, name) is not None, name


def test_contract_errors_are_domain_errors() -> None:
    from domain import DomainError

    assert issubclass(rundir.ContractError, DomainError)

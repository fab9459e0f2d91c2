"""Errors of the run-directory contract.

Hierarchy::

    domain.DomainError
    └── ContractError        a table or run.json does not fit the contract; the message
                             names the file (or table), the column or field, and the problem

Producers get it from `write_table` (a bug in the producer: it wrote what the contract
does not allow); readers from `read_table` and `RunMeta.read` (the run directory is
incomplete or was written by something else), ``reports`` turns it into its
``RunDirError`` (a usage error).
"""

from __future__ import annotations

from domain.errors import DomainError

__all__ = ["ContractError"]


class ContractError(DomainError):
    """A table or ``run.json`` breaks the contract.

    ``where`` is the file (``runs/x/erp/documents.parquet``) or table name, ``column`` the
    column or run.json field (None for the whole file), ``problem`` what is wrong.
    """

    where: str
    column: str | None
    problem: str

    def __init__(self, where: str, problem: str, *, column: str | None = None) -> None:
        self.where = where
        self.column = column
        self.problem = problem
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.where, self.problem, self.column))


def _rebuild(where: str, problem: str, column: str | None) -> ContractError:
    return ContractError(where, problem, column=column)

"""Building blocks shared by every section of the scenario schema.

`Section` fixes the model config (unknown keys refused, instances frozen). `Share` is a
fraction in 0..1. `Issue` and `issues_error` let a validator report problems located
below the field it checks (``faults[2].at``) and say exactly what it got; the loader's
message translator expands them into one line each.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import ErrorDetails, PydanticCustomError

__all__ = [
    "ISSUES",
    "SUM_TOLERANCE",
    "Issue",
    "Section",
    "Share",
    "issues_error",
    "shares_issue",
]

ISSUES = "scenario_issues"
SUM_TOLERANCE = 1e-6

Share = Annotated[float, Field(ge=0.0, le=1.0)]
"""A fraction between 0 and 1 (a probability, a share of transactions)."""


class Section(BaseModel):
    """Base of every scenario model: unknown keys are errors, instances are immutable,
    numbers are finite (``.inf`` and ``.nan`` are refused), and attribute docstrings become
    field descriptions (in the JSON schema, for editors)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False
    )


class Issue(NamedTuple):
    """One problem found by a validator: where (below the field), what, and the value seen."""

    loc: tuple[str | int, ...]
    problem: str
    got: str


def issues_error(
    issues: Iterable[Issue], *, errors: Sequence[ErrorDetails] = ()
) -> PydanticCustomError:
    """Wrap located problems into one pydantic error for the message translator.

    ``errors`` carries pydantic errors (locations relative to the same field) reported
    alongside, when a validator checked what it could despite them.
    """
    found = tuple(issues)
    summary = "; ".join(f"{issue.problem}, got {issue.got}" for issue in found)
    return PydanticCustomError(
        ISSUES, "{summary}", {"summary": summary, "issues": found, "errors": tuple(errors)}
    )


def shares_issue(shares: Mapping[str, float], *, what: str = "shares") -> Issue | None:
    """An `Issue` when ``shares`` do not sum to 1 (within `SUM_TOLERANCE`), else None."""
    total = math.fsum(shares.values())
    if abs(total - 1.0) <= SUM_TOLERANCE:
        return None
    terms = " + ".join(f"{name} {value:.10g}" for name, value in shares.items())
    return Issue((), f"{what} must sum to 1", f"{total:.10g} ({terms})")

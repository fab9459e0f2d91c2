"""Put faults on the scenario's timeline and check that they fit it.

Every fault must start at or after the scenario start and end by the scenario end, and a
``store:<n>`` target must name one of the chain's stores. When some faults are invalid on
their own, the others are still checked, so a file's problems are all reported at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ._base import Issue, issues_error
from ._duration import format_duration
from ._faults import Fault
from ._render import render

__all__ = ["place_faults", "placement_error"]


def place_faults(
    faults: Iterable[tuple[int, Fault]],
    *,
    start: datetime,
    duration: timedelta,
    stores: int | None,
) -> tuple[list[Fault], list[Issue]]:
    """Each fault placed at its offset from ``start``, and the problems found (indexed)."""
    placed: list[Fault] = []
    issues: list[Issue] = []
    when = f"{start:%Y-%m-%d %H:%M}"
    for index, fault in faults:
        offset = fault.at.resolve(start)
        written = render(str(fault.at))
        if offset < timedelta(0):
            issues.append(Issue((index, "at"), f"starts before the scenario ({when})", written))
        elif offset + fault.duration > duration:
            problem = (
                f"ends after the scenario ({when} + {format_duration(duration)}); "
                "start earlier or shorten 'for'"
            )
            got = f"{written} for {format_duration(fault.duration)}"
            issues.append(Issue((index, "at"), problem, got))
        store = fault.store
        if stores is not None and store is not None and store > stores:
            problem = f"must name a store within 1..{stores}"
            issues.append(Issue((index, "target"), problem, render(fault.target)))
        placed.append(fault.placed(offset))
    return placed, issues


def placement_error(
    raw: Any,
    invalid: ValidationError,
    *,
    start: datetime,
    duration: timedelta,
    stores: int | None,
) -> Exception:
    """The error to raise when some faults failed validation: their errors plus the
    placement problems of the faults that are valid on their own."""
    valid: list[tuple[int, Fault]] = []
    for index, item in enumerate(raw if isinstance(raw, list | tuple) else []):
        try:
            valid.append((index, Fault.model_validate(item)))
        except ValidationError:
            continue
    _, issues = place_faults(valid, start=start, duration=duration, stores=stores)
    if not issues:
        return invalid
    errors: list[ErrorDetails] = invalid.errors(include_url=False)
    return issues_error(issues, errors=errors)

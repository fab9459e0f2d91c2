"""Exceptions of the fault engine.

Hierarchy::

    FaultError(ValueError)      a fault specification or timeline entry is invalid
"""

from __future__ import annotations


class FaultError(ValueError):
    """A fault specification is invalid; the message names the field and the value."""

    def __init__(self, field: str, value: object, hint: str) -> None:
        self.field = field
        self.value = value
        self.hint = hint
        super().__init__(f"{field}: {hint}, got {value!r}")

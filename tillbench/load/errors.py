"""The one exception base of `tillbench.load`."""

from __future__ import annotations

__all__ = ["LoadError"]


class LoadError(Exception):
    """A load test could not run or its output could not be read; the message says why."""

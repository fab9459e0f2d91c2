"""Errors of the ``reports`` package.

Hierarchy::

    ReportsError                 base of everything reports raises
    └── RunDirError              the run directory is missing, incomplete or malformed
                                 (a usage error: the CLI exits with code 2)
"""

from __future__ import annotations

__all__ = ["ReportsError", "RunDirError"]


class ReportsError(Exception):
    """Base class of the errors raised by ``reports``."""


class RunDirError(ReportsError):
    """The run directory cannot be verified; the message names the file and how to fix it."""

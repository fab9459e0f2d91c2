"""Errors of a live run.

Hierarchy::

    LiveError                 anything that stops a live run
    ├── UsageError            the user can fix it (exit code 2): bad connector, bad option
    │   └── ConnectorNotHealthy   the connector never answered GET /health
    └── HarnessError          a mock or the harness itself failed (a bug, not the user's)
"""

from __future__ import annotations

__all__ = ["ConnectorNotHealthy", "HarnessError", "LiveError", "UsageError"]


class LiveError(Exception):
    """Base of every error raised by `tillbench.live`."""


class UsageError(LiveError):
    """Something the user can fix; the message says how."""


class ConnectorNotHealthy(UsageError):
    """The connector did not answer ``GET /health`` with 200 in time."""


class HarnessError(LiveError):
    """A mock server or the harness failed; the message names the log to read."""

"""The errors of the pytest plugin and its helpers.

::

    PluginError                 anything this package refuses or cannot do
    ├── SetupError              a scenario, dialect or option that cannot be used as given
    ├── StartError              a mock or the connector did not start (its log attached)
    └── AdminError              a mock's admin API refused a call (status and body)

An assertion about the system under test (a sale that never reached the ERP, a run whose
verdict failed) is an ``AssertionError``, so pytest reports it as a test failure, not an
error of the fixture.
"""

from __future__ import annotations

__all__ = ["AdminError", "PluginError", "SetupError", "StartError"]


class PluginError(Exception):
    """Base of this package's errors."""


class SetupError(PluginError):
    """A scenario, dialect, marker argument or option that cannot be used; says which."""


class StartError(PluginError):
    """A mock or the connector under test did not start; the message ends with its log."""


class AdminError(PluginError):
    """A mock's admin API answered an error."""

    def __init__(self, what: str, status: int, body: str) -> None:
        self.status = status
        self.body = body
        super().__init__(f"{what} failed with {status}: {body[:500]}")

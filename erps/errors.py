"""The exceptions of `erps`.

::

    ErpError            a real ERP could not be set up, started or reached; the message says
    │                   what failed and how to fix it
    └── TrytonReadError the harness's Tryton reader got no answer or a refusal; ``status``
                        reads like HTTP (0 no answer, 401 login, 403 access, 503 locked)
"""

from __future__ import annotations

__all__ = ["ErpError", "TrytonReadError"]


class ErpError(Exception):
    """A real ERP's environment, database or server failed; ``str()`` says how to fix it."""


class TrytonReadError(ErpError):
    """Tryton refused or did not answer a read; ``status`` is HTTP-like (0 = no answer)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"Tryton {status}: {message}")
        self.status = status
        self.message = message

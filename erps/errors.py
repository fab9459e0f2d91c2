"""The exception base of `erps`.

::

    ErpError            a real ERP could not be set up, started or reached; the message says
                        what failed and how to fix it
"""

from __future__ import annotations

__all__ = ["ErpError"]


class ErpError(Exception):
    """A real ERP's environment, database or server failed; ``str()`` says how to fix it."""

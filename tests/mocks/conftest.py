"""Shared by the mock tests (core, faults, erp, pos).

Starlette warns at import time that its TestClient prefers ``httpx2``; the installed
``httpx`` works, so import it once here with that one warning silenced (warnings are errors
in this suite).
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette.testclient`")
    import starlette.testclient  # noqa: F401

"""The public surface of ``reports`` verification."""

from __future__ import annotations

import reports


def test_public_names() -> None:
    assert {"verify", "Verdict", "SloResult", "ReportsError", "RunDirError"} <= set(reports.__all__)
    assert all(hasattr(reports, name) for name in reports.__all__)
    assert issubclass(reports.RunDirError, reports.ReportsError)

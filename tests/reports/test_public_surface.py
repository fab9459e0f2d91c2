"""The public surface of ``reports`` verification."""

from __future__ import annotations

import subprocess
import sys

import reports


def test_public_names() -> None:
    assert {"verify", "Verdict", "SloResult", "ReportsError", "RunDirError"} <= set(reports.__all__)
    assert all(hasattr(reports, name) for name in reports.__all__)
    assert issubclass(reports.RunDirError, reports.ReportsError)


def test_report_builders_are_exported_without_loading_matplotlib_on_import() -> None:
    code = (
        "import sys, reports\n"
        "assert 'matplotlib' not in sys.modules and 'jinja2' not in sys.modules\n"
        "from reports.html import build_report\n"
        "assert reports.build_report is build_report\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
